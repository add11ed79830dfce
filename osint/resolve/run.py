"""The resolve stage: Splink scores record pairs, rules and judgements cluster them, ids stay.

Splink runs on its own in-memory DuckDB connection (it creates working tables), fed with
the records' matching view from the work store; results are written back to the work store.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker
from splink.blocking_analysis import count_comparisons_from_blocking_rules

from osint.errors import ResolveError
from osint.resolve import model
from osint.resolve.clusters import Clusters
from osint.resolve.ids import assign_ids
from osint.store import bulk
from osint.store.work import utcnow

# One row per record, with empty lists as NULL so that Splink's null levels apply.
FEATURES_SQL = """
SELECT record_id AS unique_id,
       kind,
       names_norm[1] AS name_norm,
       nullif(names_norm, []) AS names_norm,
       dob,
       substr(dob, 1, 4) AS dob_year,
       nullif(list_distinct(list_concat(countries, nationality)), []) AS countries,
       nullif(identifiers, []) AS identifiers,
       nullif(phones, []) AS phones,
       nullif(emails, []) AS emails,
       nullif(domains, []) AS domains,
       nullif(wallets, []) AS wallets
FROM records
ORDER BY record_id
"""
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
    model_version: str


def model_version(path: Path) -> str:
    """`<name>.v<version>+<sha of the model file>`: stored with everything the model produced."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{model.MODEL_NAME}.v{model.MODEL_VERSION}+{digest}"


def _linker(
    work: duckdb.DuckDBPyConnection, settings: Any, max_pairs: int | None = None
) -> tuple[Linker, int, duckdb.DuckDBPyConnection]:
    table = work.sql(FEATURES_SQL).to_arrow_table()
    if table.num_rows < 2:
        raise ResolveError(
            f"{table.num_rows} records in the work store: run `osint crawl` and `osint extract`"
        )
    mem = duckdb.connect()
    mem.register("records_arrow", table)
    mem.execute("CREATE TABLE records_in AS SELECT * FROM records_arrow")
    mem.unregister("records_arrow")
    db_api = DuckDBAPI(mem)
    sdf = db_api.register("records_in")
    if max_pairs is not None:
        try:
            check_budget(sdf, settings["blocking_rules_to_generate_predictions"], max_pairs)
        except BaseException:
            mem.close()
            raise
    return Linker(sdf, settings, log_level=logging.WARNING), table.num_rows, mem


def check_budget(sdf: Any, rules: list[Any], max_pairs: int) -> int:
    """Count the pairs the blocking rules generate; refuse a rule set over the budget.

    Exact up to 50,000 records, estimated from a 5% sample on each side above that.
    """
    records = sdf.as_duckdbpyrelation().count("*").fetchall()[0][0]
    proportion = 1.0 if records <= 50_000 else 0.05
    counts = count_comparisons_from_blocking_rules(
        sdf,
        blocking_rules=rules,
        link_type="dedupe_only",
        record_sample_proportion=proportion,
    )
    total = int(counts[-1]["cumulative_comparison_count"]) if counts else 0
    if total > max_pairs:
        worst = max(counts, key=lambda c: c["marginal_comparison_count"])
        raise ResolveError(
            f"the blocking rules generate about {total:,} pairs, over resolve.max_pairs "
            f"({max_pairs:,}); the largest share ({worst['marginal_comparison_count']:,}) "
            f"comes from {worst['blocking_rule']}: tighten that rule or raise the budget"
        )
    return total


def prior_for(records: int, duplicates_per_record: float = 1.0) -> float:
    """Probability that two random records match, for a data set of this size (about 1/N)."""
    return min(0.5, duplicates_per_record / max(records - 1, 1))


def train(work: duckdb.DuckDBPyConnection, path: Path, seed: int = 42) -> Path:
    """Estimate u probabilities from the records by random sampling; write the model JSON."""
    count = work.sql("SELECT count(*) FROM records").fetchall()[0][0]
    linker, _records, mem = _linker(work, model.settings(prior_for(count)))
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
        path.parent.mkdir(parents=True, exist_ok=True)
        linker.misc.save_model_to_json(str(path), overwrite=True)
    finally:
        mem.close()
    return path


def _load_model(path: Path, records: int) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ResolveError(
            f"no resolution model at {path}: run `osint resolve --train` to create one"
        ) from exc
    except ValueError as exc:
        raise ResolveError(f"{path} is not valid JSON ({exc}): restore it from git") from exc
    names = [c.get("output_column_name") for c in data.get("comparisons", [])]
    expected = [f.name for f in model.FEATURES]
    if names != expected:
        raise ResolveError(
            f"{path} has comparisons {names}, this osint expects {expected}: "
            "retrain with `osint resolve --train`"
        )
    data["probability_two_random_records_match"] = prior_for(records)
    data["retain_intermediate_calculation_columns"] = True
    data["retain_matching_columns"] = True  # gamma_* (the level reached) need it
    return data


def level_labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """For each comparison, Splink's gamma value -> the level's label ("Exact match on dob")."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        named = {
            len(non_null) - 1 - i: lv.get("label_for_charts", "") for i, lv in enumerate(non_null)
        }
        named[-1] = "one side has no value"
        labels[comparison["output_column_name"]] = named
    return labels


def _judgements(work: duckdb.DuckDBPyConnection) -> tuple[list[tuple[str, str]], list[Any]]:
    rows = work.sql(
        "SELECT record_a, record_b, judgement FROM judgements WHERE deleted_at IS NULL "
        "QUALIFY row_number() OVER (PARTITION BY least(record_a, record_b), "
        "greatest(record_a, record_b) ORDER BY created_at DESC) = 1"
    ).fetchall()
    forced = [(a, b) for a, b, j in rows if j == "positive"]
    forbidden = [(a, b) for a, b, j in rows if j == "negative"]
    return forced, forbidden


def resolve(
    work: duckdb.DuckDBPyConnection,
    model_path: Path,
    match_threshold: float,
    max_pairs: int | None = None,
) -> ResolveStats:
    """Score, cluster and assign stable profile ids; write members, pairs and referents."""
    started = utcnow()
    run_id = f"resolve-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    count = work.sql("SELECT count(*) FROM records").fetchall()[0][0]
    settings = _load_model(model_path, count)
    version = model_version(model_path)
    labels = level_labels(settings)
    linker, records, mem = _linker(work, settings, max_pairs)
    try:
        predictions = linker.inference.predict(threshold_match_probability=KEEP_PAIRS_ABOVE)
        mw_cols = [f"mw_{f.name}" for f in model.FEATURES]
        gamma_cols = [f"gamma_{f.name}" for f in model.FEATURES]
        pairs = mem.sql(
            f"SELECT unique_id_l, unique_id_r, match_probability, match_weight, "
            f"{', '.join(gamma_cols + mw_cols)} FROM {predictions.physical_name} "
            "ORDER BY match_probability DESC, unique_id_l, unique_id_r"
        ).fetchall()

    finally:
        mem.close()
    ident_rows = work.sql("SELECT record_id, identifiers FROM records").fetchall()
    identifiers = {r: ids or [] for r, ids in ident_rows}
    forced, forbidden = _judgements(work)
    clusters = Clusters(identifiers, identifiers, forbidden)
    for a, b in forced:
        if a in identifiers and b in identifiers:
            clusters.union(a, b)
    pair_rows = []
    for row in pairs:
        a, b, prob, weight = row[:4]
        n = len(model.FEATURES)
        reasons = {
            f.name: {
                "level": labels[f.name].get(row[4 + i], str(row[4 + i])),
                "weight": round(row[4 + n + i], 3),
            }
            for i, f in enumerate(model.FEATURES)
        }
        pair_rows.append([a, b, prob, weight, json.dumps(reasons)])
        if prob >= match_threshold:
            clusters.union(a, b)
    groups = clusters.groups()
    previous = dict(work.sql("SELECT record_id, profile_id FROM profile_members").fetchall())
    used = [r[0] for r in work.sql("SELECT referent_id FROM referents").fetchall()]
    assignment = assign_ids(groups, previous, used)
    probability: dict[str, float] = {}
    for a, b, prob, _w, _r in pair_rows:
        probability.setdefault(a, prob)
        probability.setdefault(b, prob)

    now = utcnow()
    work.execute("BEGIN TRANSACTION")
    work.execute("DELETE FROM profile_members")
    bulk.insert(
        work,
        "profile_members",
        ("record_id", "profile_id", "match_probability"),
        [[r, p, probability.get(r)] for r, p in sorted(assignment.profile_of.items())],
        types={"match_probability": pa.float64()},
    )
    work.execute("DELETE FROM match_pairs")
    bulk.insert(
        work,
        "match_pairs",
        ("record_a", "record_b", "match_probability", "match_weight", "reasons"),
        pair_rows,
    )
    for old, new in assignment.referents.items():
        work.execute(
            "INSERT INTO referents VALUES (?, ?, ?) ON CONFLICT (referent_id) DO UPDATE "
            "SET profile_id = excluded.profile_id",
            [old, new, now],
        )
    # Older referents follow their target when it was merged away in this run.
    for old, new in assignment.referents.items():
        work.execute("UPDATE referents SET profile_id = ? WHERE profile_id = ?", [new, old])
    work.execute(
        "INSERT INTO resolve_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ok')",
        [
            run_id,
            started,
            utcnow(),
            model.MODEL_NAME,
            version,
            records,
            len(pair_rows),
            len(groups),
        ],
    )
    work.execute("COMMIT")
    return ResolveStats(
        records=records,
        pairs=len(pair_rows),
        profiles=len(groups),
        merged_records=sum(len(g) for g in groups if len(g) > 1),
        refused_merges=clusters.refused,
        referents=len(assignment.referents),
        model_version=version,
    )
