"""The extract stage: entries in the work store to records, incrementally.

An entry is (re-)extracted when it has no record yet, when its content changed, or when the
extractor version changed (`entries.extracted_input` and `records.input_sha256` hold the
extractor version and content hash they were made from). `full=True` redoes all.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from osint.extract.rows import (
    RECORD_COLUMNS,
    RECORD_TYPES,
    RELATION_COLUMNS,
    record_row,
    relation_rows,
)
from osint.records import Record
from osint.store import bulk

EXTRACTOR_VERSION = "structured.v1"
# (source, entry key, doc id, entry data) -> (records, notes for the user)
Mapper = Callable[[str, str, str, dict[str, Any]], tuple[list[Record], list[str]]]
# entry format (written by a spider) -> "module:function" turning one entry into a record.
MAPPERS: dict[str, str] = {
    "ofac_sdn_csv.v1": "osint.extract.ofac:map_entry",
    "un_consolidated_xml.v1": "osint.extract.un:map_entry",
    "ofac_sdn_xml.v1": "osint.extract.ofac_xml:map_entry",
    "shipping_record.v1": "osint.extract.shipping:map_entry",
}
# Entry formats whose records come from their document's text (osint.extract.documents), with
# the entry's fields as structured hints.
TEXT_FORMATS = frozenset({"marketplace_listing.v1"})


def load_mapper(fmt: str) -> Mapper | None:
    """The mapper registered for an entry format, or None."""
    target = MAPPERS.get(fmt)
    if target is None:
        return None
    module, _, func = target.partition(":")
    mapper: Mapper = getattr(importlib.import_module(module), func)
    return mapper


@dataclass(slots=True)
class ExtractStats:
    """What one extract run did."""

    entries_seen: int = 0
    records_written: int = 0
    skipped: int = 0
    unchanged: int = 0
    documents_seen: int = 0
    documents_extracted: int = 0
    documents_skipped: int = 0
    documents_unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def _input_sha(content_sha: str) -> str:
    return hashlib.sha256(f"{EXTRACTOR_VERSION}:{content_sha}".encode()).hexdigest()


def extract(con: duckdb.DuckDBPyConnection, full: bool = False) -> ExtractStats:
    """Turn new or changed entries into records. Returns counts and notes for the user."""
    stats = ExtractStats()
    condition = (
        "TRUE"
        if full
        else f"extracted_input IS DISTINCT FROM sha256('{EXTRACTOR_VERSION}:' || content_sha256)"
    )
    rows = con.sql(
        f"""
        SELECT source, source_key, doc_id, format, data, content_sha256, listed,
               first_seen, last_seen
        FROM entries
        WHERE {condition}
        ORDER BY source, source_key
        """
    ).fetchall()
    stats.entries_seen = con.sql("SELECT count(*) FROM entries").fetchall()[0][0]
    stats.unchanged = stats.entries_seen - len(rows)
    record_rows: list[list[Any]] = []
    relation_rows_: list[list[Any]] = []
    redone: list[tuple[str, str]] = []
    for source, key, doc_id, fmt, data, content_sha, listed, first, last in rows:
        redone.append((source, key))
        if fmt in TEXT_FORMATS:
            continue
        mapper = load_mapper(fmt)
        if mapper is None:
            stats.skipped += 1
            stats.notes.append(f"{source} {key}: no extractor for format {fmt}")
            continue
        records, notes = mapper(source, key, doc_id, json.loads(data))
        stats.notes.extend(f"{source}: {n}" for n in notes)
        if not records:
            stats.skipped += 1
            continue
        for record in records:
            record_rows.append(
                record_row(record, key, _input_sha(content_sha), listed, (first, last))
            )
            relation_rows_ += relation_rows(record)
    con.execute("BEGIN TRANSACTION")
    con.execute(
        f"UPDATE entries SET extracted_input = sha256('{EXTRACTOR_VERSION}:' || content_sha256) "
        f"WHERE {condition}"
    )
    if redone:
        con.execute("CREATE OR REPLACE TEMP TABLE redo (source VARCHAR, entry_key VARCHAR)")
        bulk.insert(con, "redo", ["source", "entry_key"], redone)
        con.execute(
            "DELETE FROM relations WHERE record_id IN "
            "(SELECT record_id FROM records JOIN redo USING (source, entry_key))"
        )
        con.execute(
            "DELETE FROM records "
            "WHERE (source, entry_key) IN (SELECT (source, entry_key) FROM redo)"
        )
    bulk.insert(con, "records", RECORD_COLUMNS, record_rows, types=RECORD_TYPES)
    bulk.insert(con, "relations", RELATION_COLUMNS, relation_rows_)
    # Listing status follows the entries even when their content did not change.
    con.execute(
        """
        UPDATE records SET listed = e.listed, last_seen = e.last_seen
        FROM entries e
        WHERE records.source = e.source AND records.entry_key = e.source_key
          AND (records.listed <> e.listed OR records.last_seen <> e.last_seen)
        """
    )
    con.execute("COMMIT")
    stats.records_written = len(record_rows)
    return stats
