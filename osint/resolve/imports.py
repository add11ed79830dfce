"""`osint import`: structured records an analyst holds (CSV or JSON lines) into the work store.

Columns are the record contract's fields (docs/schema.md); other column names are mapped
with `column=field` pairs. Each row is validated on its own: a bad row is reported with its
line number and skipped, good rows are kept. The record id is a hash of the source name and
the row's own key (`source_key`), never of a name, so re-importing a corrected file updates
the same records. The file itself is stored as a document, for provenance.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from osint.errors import ItemError, UsageError
from osint.extract.rows import RECORD_COLUMNS, RECORD_TYPES, record_row
from osint.normalize import normalize_email, parse_dob, registered_domain, to_e164, to_iso2
from osint.records import KINDS, Record, stable_id
from osint.resolve import import_columns
from osint.resolve.import_read import (
    FIELDS,
    WALLET,
    Batch,
    identifier_key,
    read_batches,
    split_list,
    text_of,
)
from osint.store import bulk
from osint.store.work import utcnow

ORIGIN = "import.v1"
_SOURCE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(slots=True)
class ImportResult:
    """What an import did; `problems` are one line each, with the line number."""

    source: str
    path: str
    rows_read: int = 0
    rows_kept: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def rows_bad(self) -> int:
        return len(self.problems)


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`--map column=field` options -> {column: field}; unknown fields are a usage error."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column or target not in FIELDS:
            raise UsageError(
                f"--map {pair!r}: write COLUMN=FIELD with FIELD one of {', '.join(FIELDS)}"
            )
        mapping[column] = target
    return mapping


def _each(name: str, values: list[str], convert: Any) -> list[str]:
    out: list[str] = []
    for value in values:
        converted = convert(value)
        if not converted:
            raise ItemError(f"{name}: {value!r} is not valid")
        if converted not in out:
            out.append(converted)
    return out


def to_record(
    data: Mapping[str, Any], source: str, doc_id: str, mapping: Mapping[str, str]
) -> Record:
    """One row as a Record; raises ItemError naming the first bad field."""
    if "__error__" in data:
        raise ItemError(str(data["__error__"]))
    row = {mapping.get(k, k): v for k, v in data.items()}
    unknown = sorted(k for k in row if k not in FIELDS and k is not None)
    if unknown:
        raise ItemError(
            f"unknown column {unknown[0]!r}: map it with --map {unknown[0]}=FIELD or remove it"
        )
    key = text_of(row.get("source_key")).strip()
    if not key:
        raise ItemError("source_key is empty: every row needs its own stable key")
    kind = text_of(row.get("kind")).strip().lower()
    if kind not in KINDS:
        raise ItemError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    name = text_of(row.get("name")).strip()
    if not name:
        raise ItemError("name is empty")
    countries = _each("countries", split_list(row.get("countries")), to_iso2)
    nationality = _each("nationality", split_list(row.get("nationality")), to_iso2)
    hint = (countries or nationality)[0] if (countries or nationality) else None
    dobs: list[str] = []
    raw_dob = text_of(row.get("dob")).strip()
    if raw_dob:
        dobs = parse_dob(raw_dob)
        if not dobs:
            raise ItemError(f"dob: {raw_dob!r} is not a date (use YYYY-MM-DD or YYYY)")
    wallets = split_list(row.get("wallets"))
    for wallet in wallets:
        if not WALLET.match(wallet):
            raise ItemError(f"wallets: {wallet!r} is not CHAIN:address (e.g. XBT:1A1zP1...)")
    emails = _each("emails", split_list(row.get("emails")), normalize_email)
    raw_confidence = text_of(row.get("confidence"))
    try:
        confidence = float(raw_confidence) if raw_confidence else 1.0
    except ValueError:
        raise ItemError(f"confidence: {row.get('confidence')!r} is not a number") from None
    if not 0 <= confidence <= 1:  # also NaN
        raise ItemError(f"confidence: {confidence} is not between 0 and 1")
    return Record(
        source=source,
        source_key=key,
        doc_id=doc_id,
        kind=kind,
        name=name,
        origin=ORIGIN,
        confidence=confidence,
        aliases=split_list(row.get("aliases")),
        countries=countries,
        nationality=nationality,
        address=text_of(row.get("address")).strip() or None,
        city=text_of(row.get("city")).strip() or None,
        dob=dobs[0] if dobs else None,
        dobs=dobs,
        phones=_each("phones", split_list(row.get("phones")), lambda p: to_e164(p, hint)),
        emails=emails,
        domains=_each("domains", split_list(row.get("domains")), registered_domain),
        wallets=wallets,
        identifiers=_each("identifiers", split_list(row.get("identifiers")), identifier_key),
        chemicals=split_list(row.get("chemicals")),
        hs_codes=split_list(row.get("hs_codes")),
        programs=split_list(row.get("programs")),
    )


def _write_records(work: duckdb.DuckDBPyConnection, rows: list[list[Any]]) -> None:
    keep = ", ".join(
        f"{c} = excluded.{c}" for c in RECORD_COLUMNS if c not in ("record_id", "first_seen")
    )
    bulk.insert(
        work,
        "records",
        RECORD_COLUMNS,
        rows,
        on_conflict=f"ON CONFLICT (record_id) DO UPDATE SET {keep}",
        types=RECORD_TYPES,
    )


def _insert_good(
    work: duckdb.DuckDBPyConnection, source: str, doc_id: str, sha: str, now: object
) -> None:
    """`records` rows from the checked batch (`_import_good`): new records with a plain
    insert (half the cost of an upsert on a million rows), re-imported ones updated."""
    keep = ", ".join(
        f"{c} = excluded.{c}" for c in RECORD_COLUMNS if c not in ("record_id", "first_seen")
    )
    select = """
        SELECT record_id, $source, source_key, 'import:' || source_key, $doc_id, kind, name,
               aliases, names_norm, countries, nationality, address, city, dobs[1],
               coalesce(dobs, []), phones, emails, domains, wallets, identifiers, chemicals,
               hs_codes, programs, $origin, confidence, $now, $now, true, $sha, $now, NULL
        FROM _import_good g
    """
    params = {"source": source, "doc_id": doc_id, "origin": ORIGIN, "now": now, "sha": sha}
    columns = ", ".join(RECORD_COLUMNS)
    work.execute(
        "CREATE OR REPLACE TEMP TABLE _import_known AS SELECT g.record_id FROM _import_good g "
        "JOIN records r USING (record_id)"
    )
    work.execute(
        f"INSERT INTO records ({columns}) {select} "
        "WHERE g.record_id NOT IN (SELECT record_id FROM _import_known)",
        params,
    )
    work.execute(
        f"INSERT INTO records ({columns}) {select} "
        "WHERE g.record_id IN (SELECT record_id FROM _import_known) "
        f"ON CONFLICT (record_id) DO UPDATE SET {keep}",
        params,
    )


def import_file(
    work: duckdb.DuckDBPyConnection,
    path: Path,
    source: str,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate every row of `path`, write the good ones as records of `source`.

    All or nothing: the rows are written in one transaction, so an import that is killed
    leaves the store as it was and can simply be run again.
    """
    if not _SOURCE.match(source):
        raise UsageError(f"--source {source!r}: use lower-case letters, digits and _ only")
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path} ({exc.strerror}): check the path") from exc
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 (byte {exc.start}): save it as UTF-8") from exc
    mapping = mapping or {}
    url = path.resolve().as_uri()
    doc_id = stable_id("doc", source, url)
    result = ImportResult(source, str(path))
    now = utcnow()
    sha = hashlib.sha256(body).hexdigest()
    problems: list[tuple[int, str]] = []
    batches = read_batches(path, text, mapping, work)
    # The file is compressed for its document while the rows are checked (zlib lets go of
    # the interpreter lock: about a second at 100 MB, on the other core).
    compressing = ThreadPoolExecutor(1, thread_name_prefix="osint-import-zlib")
    try:
        packed = None if dry_run else compressing.submit(zlib.compress, body, 1)
        work.execute("BEGIN TRANSACTION")
        try:
            import_columns.start(work)
            converters = import_columns.Converters()
            for batch in batches:
                result.rows_read += batch.read
                problems += batch.problems
                if not batch.lines:
                    continue
                checked = import_columns.check_batch(work, batch, source, converters)
                result.rows_kept += checked.good
                if not dry_run:
                    _insert_good(work, source, doc_id, sha, now)
                for line, key, first in checked.repeats:
                    problems.append((line, f"source_key {key!r} repeats line {first}"))
                accepted: list[Record] = []
                for line, outcome in _word_problems(
                    work, batch, checked.bad_lines, (source, doc_id), mapping
                ):
                    if isinstance(outcome, str):
                        problems.append((line, outcome))
                    else:
                        accepted.append(outcome)
                result.rows_kept += len(accepted)
                if accepted and not dry_run:
                    _write_records(
                        work,
                        [
                            record_row(r, f"import:{r.source_key}", sha, True, (now, now))
                            for r in accepted
                        ],
                    )
            import_columns.finish(work)
            result.problems = [f"line {n}: {msg}" for n, msg in sorted(problems)]
            if packed is None:  # a dry run
                work.execute("ROLLBACK")
                return result
            import_id = f"import-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
            _write_document(
                work,
                path,
                source,
                url,
                doc_id,
                packed.result(),
                len(body),
                sha,
                now,
                import_id,
                result,
            )
            work.execute(
                "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?)",
                [import_id, source, str(path), now, result.rows_read, result.rows_kept,
                 result.rows_bad],
            )  # fmt: skip
            work.execute("COMMIT")
        except BaseException:
            work.execute("ROLLBACK")
            raise
    finally:
        # Not waiting: a compression still running (after an error) is of no use, and a
        # finished one was waited for by `result()`.
        compressing.shutdown(wait=False, cancel_futures=True)
    return result


def _word_problems(
    work: duckdb.DuckDBPyConnection,
    batch: Batch,
    bad_lines: list[int],
    origin: tuple[str, str],
    mapping: Mapping[str, str],
) -> list[tuple[int, str | Record]]:
    """The row-by-row validator's words for each bad line: (line, problem). A row it accepts
    after all (the two paths disagree, which the tests guard against) comes back as
    (line, record), to be written the row-by-row way, unless its key was seen before."""
    out: list[tuple[int, str | Record]] = []
    for line in bad_lines:
        try:
            record = to_record(batch.row(line), origin[0], origin[1], mapping)
        except ItemError as exc:
            out.append((line, str(exc)))
            continue
        first = work.execute(
            "SELECT line FROM _import_keys WHERE source_key = ?", [record.source_key]
        ).fetchall()
        if first:
            out.append((line, f"source_key {record.source_key!r} repeats line {first[0][0]}"))
            continue
        work.execute("INSERT INTO _import_keys VALUES (?, ?)", [record.source_key, line])
        out.append((line, record))
    return out


def _write_document(
    work: duckdb.DuckDBPyConnection,
    path: Path,
    source: str,
    url: str,
    doc_id: str,
    packed: bytes,
    size: int,
    sha: str,
    now: object,
    import_id: str,
    result: ImportResult,
) -> None:
    """The file itself (`packed`: zlib-compressed), as the document its records came from
    (provenance). Through Arrow: an upsert with a bound parameter of tens of megabytes took
    a second here, the same row from an Arrow table a twentieth of that."""
    row = pa.table(
        {
            "doc_id": [doc_id],
            "source": [source],
            "url": [url],
            "content_type": [
                "text/csv" if path.suffix.lower() == ".csv" else "application/x-ndjson"
            ],
            "content_sha256": [sha],
            "size": pa.array([size], pa.int64()),
            "body": pa.array([packed], pa.large_binary()),
            "meta": [json.dumps({"import": {"rows": result.rows_read, "kept": result.rows_kept}})],
            "run_id": [import_id],
        }
    )
    work.register("_import_document", row)
    try:
        work.execute(
            "INSERT INTO documents (doc_id, source, url, final_url, http_status, content_type, "
            "content_sha256, size, body, meta, fetched_at, first_seen, last_seen, run_id) "
            "SELECT doc_id, source, url, url, NULL, content_type, content_sha256, size, body, "
            "meta, $now, $now, $now, run_id FROM _import_document "
            "ON CONFLICT (doc_id) DO UPDATE SET "
            "content_sha256 = excluded.content_sha256, size = excluded.size, "
            "body = excluded.body, meta = excluded.meta, fetched_at = excluded.fetched_at, "
            "last_seen = excluded.last_seen, run_id = excluded.run_id",
            {"now": now},
        )
    finally:
        work.unregister("_import_document")
