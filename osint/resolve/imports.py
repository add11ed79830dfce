"""`osint import`: structured records an analyst holds (CSV or JSON lines) into the work store.

Columns are the record contract's fields (docs/schema.md); other column names are mapped
with `column=field` pairs. Each row is validated on its own: a bad row is reported with its
line number and skipped, good rows are kept. The record id is a hash of the source name and
the row's own key (`source_key`), never of a name, so re-importing a corrected file updates
the same records. The file itself is stored as a document, for provenance.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from osint.errors import ItemError, UsageError
from osint.extract.rows import RECORD_COLUMNS, RECORD_TYPES, record_row
from osint.normalize import normalize_email, parse_dob, registered_domain, to_e164, to_iso2
from osint.records import KINDS, Record, stable_id
from osint.store import bulk
from osint.store.work import utcnow

ORIGIN = "import.v1"
LIST_FIELDS = (
    "aliases", "countries", "nationality", "phones", "emails", "domains", "wallets",
    "identifiers", "chemicals", "hs_codes", "programs",
)  # fmt: skip
SCALAR_FIELDS = ("source_key", "kind", "name", "address", "city", "dob", "confidence", "listed")
FIELDS = SCALAR_FIELDS + LIST_FIELDS
LIST_SEPARATOR = ";"
_SOURCE = re.compile(r"^[a-z][a-z0-9_]*$")
_WALLET = re.compile(r"^[A-Z][A-Z0-9]{1,9}:[A-Za-z0-9]{10,120}$")
_SCHEME = re.compile(r"^[a-z][a-z0-9_]*$")
BATCH = 50_000  # rows written at a time (memory stays flat on large files)


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


def _rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for row in reader:
            yield reader.line_num, dict(row)
    elif suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                yield number, {"__error__": f"not valid JSON ({exc})"}
                continue
            yield number, data if isinstance(data, dict) else {"__error__": "not a JSON object"}
    else:
        raise UsageError(f"{path}: unknown file type {suffix!r}: use a .csv or .jsonl file")


def _list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(LIST_SEPARATOR) if v.strip()]


def _each(name: str, values: list[str], convert: Any) -> list[str]:
    out: list[str] = []
    for value in values:
        converted = convert(value)
        if not converted:
            raise ItemError(f"{name}: {value!r} is not valid")
        if converted not in out:
            out.append(converted)
    return out


def _identifier(value: str) -> str | None:
    scheme, sep, raw = value.partition(":")
    clean = "".join(ch for ch in raw.upper() if ch.isalnum())
    scheme = scheme.strip().lower()
    return f"{scheme}:{clean}" if sep and clean and _SCHEME.match(scheme) else None


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
    key = str(row.get("source_key") or "").strip()
    if not key:
        raise ItemError("source_key is empty: every row needs its own stable key")
    kind = str(row.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise ItemError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    name = str(row.get("name") or "").strip()
    if not name:
        raise ItemError("name is empty")
    countries = _each("countries", _list(row.get("countries")), to_iso2)
    nationality = _each("nationality", _list(row.get("nationality")), to_iso2)
    hint = (countries or nationality)[0] if (countries or nationality) else None
    dobs: list[str] = []
    raw_dob = str(row.get("dob") or "").strip()
    if raw_dob:
        dobs = parse_dob(raw_dob)
        if not dobs:
            raise ItemError(f"dob: {raw_dob!r} is not a date (use YYYY-MM-DD or YYYY)")
    wallets = _list(row.get("wallets"))
    for wallet in wallets:
        if not _WALLET.match(wallet):
            raise ItemError(f"wallets: {wallet!r} is not CHAIN:address (e.g. XBT:1A1zP1...)")
    emails = _each("emails", _list(row.get("emails")), normalize_email)
    try:
        confidence = float(row.get("confidence") or 1.0)
    except ValueError:
        raise ItemError(f"confidence: {row.get('confidence')!r} is not a number") from None
    if not 0 <= confidence <= 1:
        raise ItemError(f"confidence: {confidence} is not between 0 and 1")
    return Record(
        source=source,
        source_key=key,
        doc_id=doc_id,
        kind=kind,
        name=name,
        origin=ORIGIN,
        confidence=confidence,
        aliases=_list(row.get("aliases")),
        countries=countries,
        nationality=nationality,
        address=str(row.get("address") or "").strip() or None,
        city=str(row.get("city") or "").strip() or None,
        dob=dobs[0] if dobs else None,
        dobs=dobs,
        phones=_each("phones", _list(row.get("phones")), lambda p: to_e164(p, hint)),
        emails=emails,
        domains=_each("domains", _list(row.get("domains")), registered_domain),
        wallets=wallets,
        identifiers=_each("identifiers", _list(row.get("identifiers")), _identifier),
        chemicals=_list(row.get("chemicals")),
        hs_codes=_list(row.get("hs_codes")),
        programs=_list(row.get("programs")),
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


def import_file(
    work: duckdb.DuckDBPyConnection,
    path: Path,
    source: str,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate every row of `path`, write the good ones as records of `source`."""
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
    url = path.resolve().as_uri()
    doc_id = stable_id("doc", source, url)
    result = ImportResult(source, str(path))
    rows: list[list[Any]] = []
    started = False  # the transaction, begun at the first full batch
    seen_keys: dict[str, int] = {}
    now = utcnow()
    sha = hashlib.sha256(body).hexdigest()
    for number, data in _rows(path, text):
        result.rows_read += 1
        try:
            record = to_record(data, source, doc_id, mapping or {})
            if record.source_key in seen_keys:
                raise ItemError(
                    f"source_key {record.source_key!r} repeats line {seen_keys[record.source_key]}"
                )
        except ItemError as exc:
            result.problems.append(f"line {number}: {exc}")
            continue
        seen_keys[record.source_key] = number
        result.rows_kept += 1
        if dry_run:
            continue
        rows.append(record_row(record, f"import:{record.source_key}", sha, True, (now, now)))
        if len(rows) >= BATCH:
            if not started:
                work.execute("BEGIN TRANSACTION")
                started = True
            _write_records(work, rows)
            rows = []
    if dry_run:
        return result
    import_id = f"import-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    if not started:
        work.execute("BEGIN TRANSACTION")
    work.execute(
        "INSERT INTO documents (doc_id, source, url, final_url, http_status, content_type, "
        "content_sha256, size, body, meta, fetched_at, first_seen, last_seen, run_id) "
        "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET "
        "content_sha256 = excluded.content_sha256, size = excluded.size, body = excluded.body, "
        "meta = excluded.meta, fetched_at = excluded.fetched_at, last_seen = excluded.last_seen, "
        "run_id = excluded.run_id",
        [
            doc_id,
            source,
            url,
            url,
            "text/csv" if path.suffix.lower() == ".csv" else "application/x-ndjson",
            sha,
            len(body),
            zlib.compress(body, 1),
            json.dumps({"import": {"rows": result.rows_read, "kept": result.rows_kept}}),
            now,
            now,
            now,
            import_id,
        ],
    )
    _write_records(work, rows)
    work.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?)",
        [import_id, source, str(path), now, result.rows_read, result.rows_kept, result.rows_bad],
    )
    work.execute("COMMIT")
    return result
