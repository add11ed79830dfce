"""`osint show`: everything known about one profile, each value with the records behind it.

The profile store says which records make a profile and where each record came from
(document URL, fetched time, origin). Which record carries which value lives in the work
store; when it can be read (it exists and no run holds it), every value lists exactly the
records that carry it, otherwise each value lists all the profile's records and the
`notes` say why. Judgements (analysts' decisions on record pairs) are read from the work
store too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from osint.analyst.store import resolve_profile_id
from osint.errors import OsintError
from osint.store import meta, open_work_store

#: Profile fields shown with provenance, and the record columns that feed each of them.
VALUE_FIELDS: dict[str, tuple[str, ...]] = {
    "names": ("name", "aliases"),
    "countries": ("countries",),
    "nationality": ("nationality",),
    "dobs": ("dobs",),
    "addresses": ("address",),
    "phones": ("phones",),
    "emails": ("emails",),
    "domains": ("domains",),
    "wallets": ("wallets",),
    "identifiers": ("identifiers",),
    "chemicals": ("chemicals",),
    "programs": ("programs",),
}
_RECORD_SQL = """
SELECT record_id, source, source_key, kind, name, origin, confidence, listed, first_seen,
       last_seen, doc_id, doc_url, doc_fetched_at, doc_content_sha256, match_probability
FROM profile_records WHERE profile_id = ? ORDER BY source, source_key, record_id
"""


def _dicts(rel: duckdb.DuckDBPyRelation) -> list[dict[str, Any]]:
    columns = rel.columns
    return [dict(zip(columns, row, strict=True)) for row in rel.fetchall()]


def _record_values(
    work: duckdb.DuckDBPyConnection, ids: list[str]
) -> dict[str, dict[str, set[str]]]:
    """record_id -> profile field -> values that record carries."""
    cols = sorted({c for fields in VALUE_FIELDS.values() for c in fields})
    rows = work.execute(
        f"SELECT record_id, {', '.join(cols)} FROM records "
        "WHERE record_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    ).fetchall()
    out: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        by_col = dict(zip(cols, row[1:], strict=True))
        fields: dict[str, set[str]] = {}
        for field, sources in VALUE_FIELDS.items():
            values: set[str] = set()
            for col in sources:
                raw = by_col[col]
                if isinstance(raw, list):
                    values.update(str(v) for v in raw)
                elif raw is not None:
                    values.add(str(raw))
            fields[field] = values
        out[str(row[0])] = fields
    return out


def _judgements(work: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict[str, Any]]:
    rel = work.sql(
        "SELECT judgement_id, record_a, record_b, judgement, author, created_at, note "
        "FROM judgements WHERE deleted_at IS NULL AND (list_contains($ids, record_a) "
        "OR list_contains($ids, record_b)) ORDER BY created_at",
        params={"ids": ids},
    )
    return _dicts(rel)


def _evidence(record: dict[str, Any]) -> dict[str, Any]:
    keys = ("record_id", "source", "source_key", "doc_url", "doc_fetched_at", "origin")
    return {k: record[k] for k in keys} | {"confidence": record["confidence"]}


def load_profile(
    con: duckdb.DuckDBPyConnection, any_id: str, work_store: Path | None
) -> dict[str, Any]:
    """The profile `any_id` (current or retired) with values, evidence, links, judgements."""
    profile_id = resolve_profile_id(con, any_id)
    profile = _dicts(con.sql("SELECT * FROM profiles WHERE profile_id = ?", params=[profile_id]))[0]
    records = _dicts(con.sql(_RECORD_SQL, params=[profile_id]))
    ids = [r["record_id"] for r in records]
    notes: list[str] = []
    per_record: dict[str, dict[str, set[str]]] | None = None
    judgements: list[dict[str, Any]] | None = None
    if work_store is not None:
        try:
            work = open_work_store(work_store, read_only=True)
        except (OsintError, duckdb.Error) as exc:
            notes.append(f"work store not read ({str(exc).splitlines()[0]})")
        else:
            try:
                per_record = _record_values(work, ids)
                judgements = _judgements(work, ids)
            except duckdb.Error as exc:
                notes.append(f"work store not read ({str(exc).splitlines()[0]})")
            finally:
                work.close()
    if per_record is None:
        notes.append("values are attributed to all of the profile's records")
        notes.append("judgements unknown: the work store could not be read")
    values: dict[str, list[dict[str, Any]]] = {}
    for field in VALUE_FIELDS:
        entries = []
        for value in profile.get(field) or []:
            backing = [
                _evidence(r)
                for r in records
                if per_record is None or value in per_record.get(r["record_id"], {}).get(field, ())
            ]
            entries.append({"value": value, "sources": backing or [_evidence(r) for r in records]})
        values[field] = entries
    links = _dicts(
        con.sql(
            "SELECT relation, target_name, target_profile_id, source, record_id, evidence "
            "FROM profile_links WHERE profile_id = ? ORDER BY relation, target_name",
            params=[profile_id],
        )
    )
    linked_from = _dicts(
        con.sql(
            "SELECT l.relation, l.profile_id AS from_profile_id, p.name AS from_name, "
            "l.source, l.record_id, l.evidence FROM profile_links l "
            "JOIN profiles p USING (profile_id) WHERE l.target_profile_id = ? "
            "AND NOT starts_with(l.relation, 'shared_') ORDER BY l.relation, p.name",
            params=[profile_id],
        )
    )
    store = meta(con)
    return {
        "profile_id": profile_id,
        "requested_id": any_id,
        "retired_id": any_id if any_id != profile_id else None,
        "kind": profile["kind"],
        "name": profile["name"],
        "listed": profile["listed"],
        "risk_flags": profile["risk_flags"],
        "sources": profile["sources"],
        "first_seen": profile["first_seen"],
        "last_seen": profile["last_seen"],
        "source_seen": profile["source_seen"],
        "record_count": profile["record_count"],
        "values": values,
        "records": records,
        "links": links,
        "linked_from": linked_from,
        "judgements": judgements,
        "notes": notes,
        "store": {k: store.get(k) for k in ("data_version", "built_at", "model_version")},
    }
