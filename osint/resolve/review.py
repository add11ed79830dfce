"""The review queue: scored pairs near the match threshold, most uncertain first.

A pair leaves the queue once it has a judgement in force (any of same, different, unsure).
Uncertainty is the distance of the pair's match weight from the threshold's weight, so a
pair at 0.89 against a threshold of 0.9 comes before one at 0.55.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from osint.resolve.linking import reasons_of, weight_of

SIDE_BY_SIDE = (
    "name",
    "kind",
    "source",
    "source_key",
    "aliases",
    "dob",
    "countries",
    "nationality",
    "city",
    "address",
    "identifiers",
    "phones",
    "emails",
    "domains",
    "wallets",
    "chemicals",
)

_QUEUE_SQL = """
SELECT m.record_a, m.record_b, m.match_probability, m.match_weight, m.levels, m.reasons,
       abs(m.match_weight - ?) AS distance
FROM match_pairs m
WHERE NOT EXISTS (
    SELECT 1 FROM judgements j WHERE j.deleted_at IS NULL
      AND least(j.record_a, j.record_b) = least(m.record_a, m.record_b)
      AND greatest(j.record_a, j.record_b) = greatest(m.record_a, m.record_b)
)
ORDER BY distance, m.record_a, m.record_b
LIMIT ?
"""


def queue(
    work: duckdb.DuckDBPyConnection, match_threshold: float, limit: int = 20
) -> list[dict[str, Any]]:
    """Unjudged pairs, most uncertain first, each with both records and the reasons."""
    rows = work.execute(_QUEUE_SQL, [weight_of(match_threshold), limit]).fetchall()
    ids = sorted({r for row in rows for r in row[:2]})
    records = fetch_records(work, ids)
    table = level_table(work)
    out = []
    for a, b, prob, weight, levels, reasons, _distance in rows:
        out.append(
            {
                "record_a": a,
                "record_b": b,
                "match_probability": round(prob, 4),
                "match_weight": round(weight, 2),
                "name_a": records.get(a, {}).get("name"),
                "name_b": records.get(b, {}).get("name"),
                # Pairs scored before osint kept levels carry their reasons as JSON.
                "reasons": reasons_of(levels, table)
                if levels is not None
                else (json.loads(reasons) if reasons else {}),
                "a": records.get(a, {}),
                "b": records.get(b, {}),
            }
        )
    return out


def level_table(work: duckdb.DuckDBPyConnection) -> dict[tuple[int, int], tuple[str, str, float]]:
    """The last run's `match_levels`, keyed by (position, gamma), for `reasons_of`."""
    rows = work.sql("SELECT position, gamma, comparison, label, weight FROM match_levels")
    return {(p, g): (c, label, w) for p, g, c, label, w in rows.fetchall()}


def fetch_records(work: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The side-by-side fields of some records, by record id."""
    if not ids:
        return {}
    cols = ", ".join(SIDE_BY_SIDE)
    rows = work.execute(
        f"SELECT record_id, {cols} FROM records WHERE list_contains(?, record_id)", [ids]
    ).fetchall()
    return {r[0]: dict(zip(SIDE_BY_SIDE, r[1:], strict=True)) for r in rows}


def conflicts(work: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Records of the last run that score high against two profiles judged different."""
    rows = work.sql(
        "SELECT c.record_id, r.name, c.profile_a, c.probability_a, c.profile_b, "
        "c.probability_b, c.judgement_id FROM resolve_conflicts c "
        "LEFT JOIN records r USING (record_id) ORDER BY c.record_id, c.profile_a"
    ).fetchall()
    keys = (
        "record_id",
        "name",
        "profile_a",
        "probability_a",
        "profile_b",
        "probability_b",
        "judgement_id",
    )
    return [dict(zip(keys, r, strict=True)) for r in rows]
