"""The resolve stage: Splink scores record pairs, rules and judgements cluster them, ids stay.

Order of evidence when clustering (`components.py`, with `clusters.py` where a constraint
sits): analysts' positive judgements, then strong identifiers (`rules.py`), then model pairs
at or above the match threshold, strongest first. Negative judgements and exclusive
identifiers refuse merges at every step. Results (members, pairs with reasons, rule links,
conflicts) go to the work store.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from osint.resolve import model
from osint.resolve.components import Edges, cluster_records
from osint.resolve.features import feature_table
from osint.resolve.ids import Assignment, assign_group_ids
from osint.resolve.judgements import current_judgements
from osint.resolve.linking import (
    Levels,
    level_labels,
    level_rows,
    levels_sql,
    load_model,
    open_linker,
)
from osint.resolve.positions import RecordIndex
from osint.resolve.rules import strong_pairs
from osint.store import bulk
from osint.store.work import utcnow

logger = logging.getLogger(__name__)
# Pairs at or above this probability are kept for review and explanations.
KEEP_PAIRS_ABOVE = 0.5


@dataclass(slots=True)
class ResolveStats:
    """What one resolve run did."""

    records: int
    pairs: int
    profiles: int
    merged_records: int
    refused_merges: int
    referents: int
    rule_links: int
    shared_values: int
    conflicts: int
    model_version: str


class _Clock:
    """Seconds per stage of a run, for the debug log and benchmarks."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 2)
        self._last = now


def model_version(path: Path) -> str:
    """`<name>.v<version>+<sha of the model file>`: stored with everything the model produced."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{model.MODEL_NAME}.v{model.MODEL_VERSION}+{digest}"


def score(
    table: pa.Table, model_path: Path, max_pairs: int | None = None
) -> tuple[pa.Table, list[tuple[str, str, str]], Levels]:
    """Model pairs (a, b, probability, weight, levels) at or above KEEP_PAIRS_ABOVE,
    strongest first, the strong-identifier rule's edges, and the levels the pairs reached
    (`linking.level_rows`), for a matching view."""
    settings = load_model(model_path, table.num_rows)
    labels = level_labels(settings)
    linker, mem = open_linker(table, settings, max_pairs)
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    # Levels training could not reach keep their reviewed values; `osint resolve train`
    # says so once, predict would repeat it on every run.
    splink_log.setLevel(logging.ERROR)
    try:
        predictions = linker.inference.predict(threshold_match_probability=KEEP_PAIRS_ABOVE)
        pairs = mem.sql(
            "SELECT unique_id_l AS record_a, unique_id_r AS record_b, match_probability, "
            f"match_weight, {levels_sql(labels)} AS levels FROM {predictions.physical_name} "
            "ORDER BY match_probability DESC, unique_id_l, unique_id_r"
        ).to_arrow_table()
        levels = level_rows(mem, predictions.physical_name, labels)
        rules = strong_pairs(mem, "records_in")
    finally:
        splink_log.setLevel(level)
        mem.close()
    return pairs, rules, levels


def find_conflicts(
    high: pa.Table,
    profile_of: dict[str, str],
    negatives: list[tuple[str, str, str]],
) -> list[list[object]]:
    """Records that score high against two profiles an analyst called different.

    `high` are the model pairs at or above the match threshold; `negatives` are
    (judgement_id, record_a, record_b). Rows: record, profile a, profile b,
    best probability against each, judgement id.
    """
    apart: dict[frozenset[str], str] = {}
    for jid, a, b in negatives:
        pa_, pb_ = profile_of.get(a), profile_of.get(b)
        if pa_ and pb_ and pa_ != pb_:
            apart[frozenset((pa_, pb_))] = jid
    if not apart:
        return []
    involved = {p for key in apart for p in key}
    best: dict[str, dict[str, float]] = {}
    for a, b, prob in zip(
        high["record_a"].to_pylist(),
        high["record_b"].to_pylist(),
        high["match_probability"].to_pylist(),
        strict=True,
    ):
        for record, other in ((a, b), (b, a)):
            target = profile_of.get(other)
            if target in involved:
                seen = best.setdefault(record, {})
                seen[target] = max(seen.get(target, 0.0), prob)
    rows: list[list[object]] = []
    for record, scores in sorted(best.items()):
        own = profile_of.get(record)
        if own in involved:
            scores.setdefault(own, 1.0)
        for key, jid in sorted(apart.items(), key=lambda kv: kv[1]):
            p1, p2 = sorted(key)
            if p1 in scores and p2 in scores:
                rows.append([record, p1, p2, scores[p1], scores[p2], jid])
    return rows


def resolve(
    work: duckdb.DuckDBPyConnection,
    model_path: Path,
    match_threshold: float,
    max_pairs: int | None = None,
) -> ResolveStats:
    """Score, cluster and assign stable profile ids; write members, pairs and referents."""
    started = utcnow()
    run_id = f"resolve-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    version = model_version(model_path)
    clock = _Clock()
    table, stop = feature_table(work, ordered=False)
    clock.lap("features")
    pairs, rules, levels = score(table, model_path, max_pairs)
    clock.lap("score")
    judged = current_judgements(work)
    positive = [(j.record_a, j.record_b) for j in judged if j.judgement == "positive"]
    negatives = [
        (j.judgement_id, j.record_a, j.record_b) for j in judged if j.judgement == "negative"
    ]
    strong = pairs.filter(pa.compute.greater_equal(pairs["match_probability"], match_threshold))
    with closing(RecordIndex(work)) as index:
        model_edges = index.edges(strong["record_a"], strong["record_b"])
        apart = index.edges([a for _, a, _ in negatives], [b for _, _, b in negatives])
        clustering = cluster_records(
            index.ids,
            index.edges([a for a, _ in positive], [b for _, b in positive]),
            index.edges([a for a, _, _ in rules], [b for _, b, _ in rules]),
            model_edges,
            apart,
            index.exclusive(),
        )
        sizes = np.bincount(clustering.group_of, minlength=len(index))
        profiles = int(np.count_nonzero(sizes))
        merged = int(sizes[sizes > 1].sum())
        applied = [r for r, held in zip(rules, clustering.rules_held.tolist(), strict=True) if held]
        clock.lap("cluster")
        used = (
            work.sql(
                "SELECT referent_id AS id FROM referents "
                "UNION SELECT profile_id FROM profile_members"
            )
            .to_arrow_table()["id"]
            .combine_chunks()
        )
        assignment = assign_group_ids(index.ids, clustering.group_of, index.previous(), used)
    near = _profiles_near(assignment, model_edges, apart)
    conflicts = find_conflicts(strong, near, negatives)
    clock.lap("ids")
    _write(
        work,
        run_id,
        started,
        version,
        table.num_rows,
        pairs,
        levels,
        applied,
        stop,
        conflicts,
        assignment,
        profiles,
    )
    clock.lap("write")
    logger.debug("resolve stages: %s", clock.laps)
    return ResolveStats(
        records=table.num_rows,
        pairs=pairs.num_rows,
        profiles=profiles,
        merged_records=merged,
        refused_merges=clustering.refused,
        referents=len(assignment.referents),
        rule_links=len(applied),
        shared_values=len(stop),
        conflicts=len(conflicts),
        model_version=version,
    )


def _profiles_near(assignment: Assignment, model: Edges, apart: Edges) -> dict[str, str]:
    """record -> profile for what `find_conflicts` looks at: the records of negative
    judgements (`apart`, as positions), and both ends of every high pair (`model`) touching
    one of their profiles."""
    if not len(apart):
        return {}
    profile_ids = assignment.profile_ids
    involved = profile_ids.take(pa.array(np.concatenate([apart.a, apart.b])))
    near = pc.or_(
        pc.is_in(profile_ids.take(pa.array(model.a)), value_set=involved),
        pc.is_in(profile_ids.take(pa.array(model.b)), value_set=involved),
    ).to_numpy(zero_copy_only=False)
    places = pa.array(np.unique(np.concatenate([apart.a, apart.b, model.a[near], model.b[near]])))
    return dict(
        zip(
            assignment.record_ids.take(places).to_pylist(),
            profile_ids.take(places).to_pylist(),
            strict=True,
        )
    )


def _write(
    work: duckdb.DuckDBPyConnection,
    run_id: str,
    started: object,
    version: str,
    records: int,
    pairs: pa.Table,
    levels: Levels,
    applied: list[tuple[str, str, str]],
    stop: list[tuple[str, int, int]],
    conflicts: list[list[object]],
    assignment: Assignment,
    profiles: int,
) -> None:
    now = utcnow()
    work.execute("BEGIN TRANSACTION")
    work.execute("DELETE FROM match_pairs")
    work.register("_pairs", pairs)
    try:
        work.execute(
            "INSERT INTO match_pairs (record_a, record_b, match_probability, match_weight, "
            "levels) SELECT record_a, record_b, match_probability, match_weight, levels "
            "FROM _pairs"
        )
        work.execute("DELETE FROM profile_members")
        members = pa.table(
            {"record_id": assignment.record_ids, "profile_id": assignment.profile_ids}
        )
        work.register("_members", members)
        work.execute(
            """
            INSERT INTO profile_members
            SELECT m.record_id, m.profile_id, best.p FROM _members m
            LEFT JOIN (
                SELECT r, max(p) AS p FROM (
                    SELECT record_a AS r, match_probability AS p FROM _pairs
                    UNION ALL SELECT record_b, match_probability FROM _pairs
                ) GROUP BY r
            ) best ON best.r = m.record_id
            """
        )
        work.unregister("_members")
    finally:
        work.unregister("_pairs")
    work.execute("DELETE FROM match_levels")
    bulk.insert(
        work, "match_levels", ("comparison", "position", "gamma", "label", "weight"), levels
    )
    work.execute("DELETE FROM rule_links")
    bulk.insert(
        work,
        "rule_links",
        ("record_a", "record_b", "rule", "evidence"),
        [[a, b, "strong_identifier", ev] for a, b, ev in applied],
    )
    work.execute("DELETE FROM shared_values")
    bulk.insert(work, "shared_values", ("value", "names", "records"), [list(s) for s in stop])
    work.execute("DELETE FROM resolve_conflicts")
    bulk.insert(
        work,
        "resolve_conflicts",
        ("record_id", "profile_a", "profile_b", "probability_a", "probability_b", "judgement_id"),
        conflicts,
    )
    retired = [[old, new, now] for old, new in assignment.referents.items()]
    bulk.insert(
        work,
        "referents",
        ("referent_id", "profile_id", "retired_at"),
        retired,
        on_conflict="ON CONFLICT (referent_id) DO UPDATE SET profile_id = excluded.profile_id",
    )
    if retired:
        # Older referents follow their target when it was merged away in this run (targets
        # are surviving ids, so one pass is enough).
        work.register("_retired", pa.table({
            "old": [r[0] for r in retired], "new": [r[1] for r in retired]
        }))  # fmt: skip
        try:
            work.execute(
                "UPDATE referents SET profile_id = r.new FROM _retired r "
                "WHERE referents.profile_id = r.old"
            )
        finally:
            work.unregister("_retired")
    work.execute(
        "INSERT INTO resolve_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ok')",
        [run_id, started, utcnow(), model.MODEL_NAME, version, records, pairs.num_rows, profiles],
    )
    work.execute("COMMIT")
