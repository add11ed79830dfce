"""Records and relations as rows of the work store's `records` and `relations` tables."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from osint.extract.common import unique
from osint.normalize import matching_form, normalize_name, strip_legal_form
from osint.records import Record, record_id
from osint.store.work import utcnow

RECORD_COLUMNS = (
    "record_id", "source", "source_key", "entry_key", "doc_id", "kind", "name", "aliases",
    "names_norm", "countries", "nationality", "address", "city", "dob", "dobs", "phones", "emails",
    "domains", "wallets", "identifiers", "chemicals", "hs_codes", "programs", "origin",
    "confidence", "first_seen", "last_seen", "listed", "input_sha256", "extracted_at", "evidence",
)  # fmt: skip
# Arrow types for columns a batch may hold only NULLs in.
RECORD_TYPES = {"evidence": pa.string(), "confidence": pa.float64()}
RELATION_COLUMNS = (
    "record_id",
    "relation",
    "target_name",
    "target_name_norm",
    "target_record_id",
    "source",
)


def matching_names(record: Record) -> list[str]:
    """The record's name and aliases, normalized for matching (legal forms dropped)."""
    organization = record.kind == "organization"
    return unique(matching_form(name, organization) for name in [record.name, *record.aliases])


def record_row(
    record: Record, entry_key: str, input_sha: str, listed: bool, seen: tuple[Any, Any]
) -> list[Any]:
    """One `records` row; `seen` is (first seen, last seen) of the entry or document."""
    return [
        record.record_id,
        record.source,
        record.source_key,
        entry_key,
        record.doc_id,
        record.kind,
        record.name,
        record.aliases,
        matching_names(record),
        record.countries,
        record.nationality,
        record.address,
        record.city,
        record.dob,
        record.dobs or ([record.dob] if record.dob else []),
        record.phones,
        record.emails,
        record.domains,
        record.wallets,
        record.identifiers,
        record.chemicals,
        record.hs_codes,
        record.programs,
        record.origin,
        record.confidence,
        seen[0],
        seen[1],
        listed,
        input_sha,
        utcnow(),
        json.dumps(record.evidence, ensure_ascii=False) if record.evidence else None,
    ]


def relation_rows(record: Record) -> list[list[Any]]:
    """The `relations` rows of a record (targets in the same source become record ids)."""
    return [
        [
            record.record_id,
            rel.relation,
            rel.target_name,
            strip_legal_form(normalize_name(rel.target_name)),
            record_id(record.source, rel.target_source_key) if rel.target_source_key else None,
            record.source,
        ]
        for rel in record.relations
    ]
