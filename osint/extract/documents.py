"""Text extraction over the work store's documents, incrementally and crash-safe.

A document is a text page when its spider kept its text (``meta.text``: news articles, sitemap
pages, marketplace listings and supplier pages). It is (re-)extracted when its content changed
or the pipeline version changed (``documents.extracted_input`` holds a hash of both), or always
with ``full=True``. Documents whose entries a structured parser reads (bills of lading) are left
to that parser; a marketplace listing's entry is passed along as structured hints.

Pages go through spaCy in chunks; each chunk's records, relations and extraction state are
written in one transaction, so a run killed halfway loses at most the chunk in flight, and the
next run carries on from there without duplicating anything. A page that cannot be read (binary,
empty, no letters) is noted, keeps whatever records it had, and is not retried until its
content or the pipeline changes.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import duckdb

from osint.errors import ItemError
from osint.extract.process import TextExtractor
from osint.extract.rows import (
    RECORD_COLUMNS,
    RECORD_TYPES,
    RELATION_COLUMNS,
    record_row,
    relation_rows,
)
from osint.extract.run import TEXT_FORMATS, ExtractStats
from osint.extract.text import PageInput, from_document
from osint.store import bulk

CHUNK = 256
_STATE = "sha256(? || ':' || content_sha256)"
# Entry formats read from their document's text (a listing's fields are hints), as SQL.
_TEXT_FORMATS_SQL = ", ".join(f"'{f}'" for f in sorted(TEXT_FORMATS))


def pending(con: duckdb.DuckDBPyConnection, version: str, full: bool) -> list[str]:
    """Ids of the text documents to (re-)extract, oldest first."""
    condition = "TRUE" if full else f"d.extracted_input IS DISTINCT FROM {_STATE}"
    rows = con.execute(
        f"""
        SELECT d.doc_id FROM documents d
        WHERE json_exists(d.meta, '$.text') AND {condition}
          AND NOT EXISTS (
            SELECT 1 FROM entries e
            WHERE e.doc_id = d.doc_id AND e.format NOT IN ({_TEXT_FORMATS_SQL}))
        ORDER BY d.first_seen, d.doc_id
        """,
        [] if full else [version],
    ).fetchall()
    return [r[0] for r in rows]


def _rows(con: duckdb.DuckDBPyConnection, ids: list[str]) -> Iterator[dict[str, Any]]:
    result = con.execute(
        f"""
        SELECT d.doc_id, d.source, d.url, d.final_url, d.content_type, d.body, d.meta,
               d.first_seen, d.last_seen,
               (SELECT any_value(e.data) FROM entries e
                WHERE e.doc_id = d.doc_id AND e.format IN ({_TEXT_FORMATS_SQL})) AS entry
        FROM documents d WHERE d.doc_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY d.first_seen, d.doc_id
        """,
        [ids],
    )
    names = [c[0] for c in result.description]
    for values in result.fetchall():
        row = dict(zip(names, values, strict=True))
        row["meta"] = json.loads(row["meta"]) if row["meta"] else {}
        row["body"] = zlib.decompress(row["body"]) if row["body"] else b""
        row["entry"] = json.loads(row["entry"]) if row["entry"] else None
        yield row


def extract_documents(
    con: duckdb.DuckDBPyConnection,
    version: str,
    extractor: Callable[[], TextExtractor],
    kind_of: Callable[[str], str],
    max_chars: int,
    full: bool = False,
    stats: ExtractStats | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExtractStats:
    """Extract records from new or changed text documents (the extractor loads on demand).
    `progress(done, total)` is called after each committed chunk."""
    stats = stats or ExtractStats()
    stats.documents_seen = con.sql(
        "SELECT count(*) FROM documents WHERE json_exists(meta, '$.text')"
    ).fetchall()[0][0]
    ids = pending(con, version, full) if stats.documents_seen else []
    stats.documents_unchanged = stats.documents_seen - len(ids)
    if not ids:
        return stats
    text = extractor()
    seen: dict[str, tuple[Any, Any]] = {}
    unreadable: list[str] = []

    def pages() -> Iterator[PageInput]:
        """Pages read from the store a chunk at a time, as the pipeline asks for them."""
        for start in range(0, len(ids), CHUNK):
            for row in _rows(con, ids[start : start + CHUNK]):
                seen[row["doc_id"]] = (row["first_seen"], row["last_seen"])
                kind = kind_of(row["source"])
                if kind == "listing" and row["entry"] is None:
                    # A marketplace's listing index: its sellers come from their detail pages.
                    unreadable.append(row["doc_id"])
                    stats.documents_skipped += 1
                    continue
                try:
                    page = from_document(row, kind, row["entry"], max_chars)
                except ItemError as exc:
                    stats.notes.append(f"{row['source']}: {row['url']}: {exc}")
                    stats.documents_skipped += 1
                    unreadable.append(row["doc_id"])
                    continue
                stats.notes.extend(f"{page.source}: {page.url}: {n}" for n in page.notes)
                yield page

    record_rows: list[list[Any]] = []
    rel_rows: list[list[Any]] = []
    done: list[str] = []

    def flush() -> None:
        _write(con, done, unreadable, record_rows, rel_rows, text.version)
        stats.records_written += len(record_rows)
        for batch in (done, unreadable, record_rows, rel_rows):
            batch.clear()
        if progress is not None:
            progress(stats.documents_extracted + stats.documents_skipped, len(ids))

    for result in text.run(pages(), many=len(ids) >= 4 * text.batch_size):
        page = result.page
        done.append(page.doc_id)
        stats.documents_extracted += 1
        first_last = seen.pop(page.doc_id)
        for record in result.records:
            record_rows.append(record_row(record, page.doc_id, text.version, True, first_last))
            rel_rows += relation_rows(record)
        if len(done) >= CHUNK:
            flush()
    flush()
    return stats


def _write(
    con: duckdb.DuckDBPyConnection,
    done: list[str],
    unreadable: list[str],
    record_rows: list[list[Any]],
    rel_rows: list[list[Any]],
    version: str,
) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        if done:
            con.execute(
                "DELETE FROM relations WHERE record_id IN (SELECT record_id FROM records "
                "WHERE entry_key IN (SELECT unnest(?::VARCHAR[])))",
                [done],
            )
            con.execute(
                "DELETE FROM records WHERE entry_key IN (SELECT unnest(?::VARCHAR[]))", [done]
            )
        bulk.insert(con, "records", RECORD_COLUMNS, record_rows, types=RECORD_TYPES)
        bulk.insert(con, "relations", RELATION_COLUMNS, rel_rows)
        con.execute(
            f"UPDATE documents SET extracted_input = {_STATE} "
            "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [version, done + unreadable],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
