"""Reading an import file in batches of columns, each row with its line number.

CSV rows keep the line they end on (a quoted value may span lines), as `csv.DictReader`
counts; blank lines are skipped; a short row reads as missing values, a long row's extra
values are ignored. JSON lines keep their own line number; a line that is not a JSON object
becomes a problem at once. List fields of JSON lines are split here (a JSON list, or a
`;`-separated string); those of CSV are split later, in SQL, for speed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb

from osint.errors import UsageError
from osint.store.work import sql_string

LIST_FIELDS = (
    "aliases", "countries", "nationality", "phones", "emails", "domains", "wallets",
    "identifiers", "chemicals", "hs_codes", "programs",
)  # fmt: skip
SCALAR_FIELDS = ("source_key", "kind", "name", "address", "city", "dob", "confidence", "listed")
FIELDS = SCALAR_FIELDS + LIST_FIELDS
LIST_SEPARATOR = ";"
BATCH = 200_000  # rows validated at a time (memory stays flat on large files)
WALLET = re.compile(r"^[A-Z][A-Z0-9]{1,9}:[A-Za-z0-9]{10,120}$")
_SCHEME = re.compile(r"^[a-z][a-z0-9_]*$")


def split_list(value: Any) -> list[str]:
    """A list field's values: a JSON list's items, or a string split at `;`, stripped."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(LIST_SEPARATOR) if v.strip()]


def text_of(value: Any) -> str:
    """A scalar field as text: missing (None) is empty; a JSON number or true is its text."""
    return "" if value is None else str(value)


def identifier_key(value: str) -> str | None:
    """ "USCC: 9137 0100..." -> "uscc:91370100..."; None without a scheme or a value."""
    scheme, sep, raw = value.partition(":")
    clean = "".join(ch for ch in raw.upper() if ch.isalnum())
    scheme = scheme.strip().lower()
    return f"{scheme}:{clean}" if sep and clean and _SCHEME.match(scheme) else None


@dataclass(slots=True)
class Batch:
    """Rows as columns (one list per field, None where a row has no value) and line numbers.

    `lists_split`: the list fields already hold lists (JSON lines), not `;` strings (CSV).
    `row(i)` gives row i as the file gave it (column -> value), for the row-by-row
    validator that words the problems. `unknown` is the first unknown field of each row.
    """

    lines: Sequence[int]
    columns: dict[str, list[Any]]
    unknown: list[str | None]
    row: Callable[[int], Mapping[str, Any]]
    lists_split: bool
    problems: list[tuple[int, str]] = field(default_factory=list)
    read: int = 0
    # Or the rows are in DuckDB already: a SELECT giving `line`, `unknown` and every field.
    select: str | None = None


def _target_fields(header: list[str], mapping: Mapping[str, str]) -> list[str | None]:
    """Each header column's field (None for a column that is not a field), refusing two
    columns that would fill one field."""
    targets: list[str | None] = []
    seen: dict[str, str] = {}
    for column in header:
        target = mapping.get(column, column)
        if target in FIELDS:
            if target in seen:
                raise UsageError(
                    f"columns {seen[target]!r} and {column!r} both give the field {target!r}: "
                    "remove one or map it elsewhere with --map COLUMN=FIELD"
                )
            seen[target] = column
            targets.append(target)
        else:
            targets.append(None)
    return targets


def _first_unknown(
    header: list[str], targets: list[str | None], mapping: Mapping[str, str]
) -> str | None:
    """The first (sorted) column name, as mapped, that is not a field: every row reports it."""
    unknown = sorted(mapping.get(c, c) for c, t in zip(header, targets, strict=True) if t is None)
    return unknown[0] if unknown else None


def _csv_batches(text: str, mapping: Mapping[str, str]) -> Iterator[Batch]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return
    width = len(header)
    targets = _target_fields(header, mapping)
    unknown = _first_unknown(header, targets, mapping)
    wanted = [(i, t) for i, t in enumerate(targets) if t is not None]

    def batch(rows: list[list[str]], lines: list[int]) -> Batch:
        columns: dict[str, list[Any]] = {f: [None] * len(rows) for f in FIELDS}
        if rows:
            cells = list(zip(*rows, strict=True))
            for i, target in wanted:
                columns[target] = list(cells[i])

        at = {line: i for i, line in enumerate(lines)}

        def original(line: int) -> Mapping[str, Any]:
            return dict(zip(header, rows[at[line]], strict=True))

        return Batch(lines, columns, [unknown] * len(rows), original, False, read=len(rows))

    while True:
        before = reader.line_num
        chunk = list(islice(reader, BATCH))
        if not chunk:
            return
        if reader.line_num - before == len(chunk):
            lines = list(range(before + 1, reader.line_num + 1))  # one line per row
        else:
            lines = _end_lines(chunk, before)  # a quoted value spans lines
        if not all(chunk):  # blank lines (csv.DictReader skips these too)
            lines = [n for n, row in zip(lines, chunk, strict=True) if row]
            chunk = [row for row in chunk if row]
        if any(len(row) != width for row in chunk):
            chunk = [(row + [""] * width)[:width] for row in chunk]
        yield batch(chunk, lines)


def _end_lines(rows: list[list[str]], before: int) -> list[int]:
    """The line each row ends on, counting the line breaks inside its quoted values."""
    lines = []
    line = before
    for row in rows:
        line += 1
        for value in row:
            if "\n" in value or "\r" in value:
                line += value.count("\n") + value.count("\r") - value.count("\r\n")
        lines.append(line)
    return lines


def _jsonl_batches(text: str, mapping: Mapping[str, str]) -> Iterator[Batch]:
    def empty() -> tuple[Batch, list[int], dict[int, Mapping[str, Any]]]:
        lines: list[int] = []
        originals: dict[int, Mapping[str, Any]] = {}  # by line, for the reference validator
        batch = Batch(lines, {f: [] for f in FIELDS}, [], originals.__getitem__, True)
        return batch, lines, originals

    current, lines, originals = empty()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        current.read += 1
        try:
            data = json.loads(line)
        except ValueError as exc:
            current.problems.append((number, f"not valid JSON ({exc})"))
            continue
        if not isinstance(data, dict):
            current.problems.append((number, "not a JSON object"))
            continue
        lines.append(number)
        originals[number] = data
        if mapping:
            data = {mapping.get(k, k): v for k, v in data.items()}
        unknown = sorted(k for k in data if k not in FIELDS)
        current.unknown.append(unknown[0] if unknown else None)
        for name in SCALAR_FIELDS:
            value = data.get(name)
            current.columns[name].append(None if value is None else str(value))
        for name in LIST_FIELDS:
            current.columns[name].append(split_list(data.get(name)))
        if len(lines) >= BATCH:
            yield current
            current, lines, originals = empty()
    if current.read:
        yield current


def _duckdb_csv(
    con: duckdb.DuckDBPyConnection, path: Path, text: str, mapping: Mapping[str, str]
) -> list[Batch] | None:
    """The CSV read by DuckDB into the temp table `_import_file` (row i is line i + 2),
    when that is sure to read it as Python's csv module does: one line per row (no quoted
    line breaks, no blank lines, no lone carriage returns), distinct header names, and
    DuckDB's strict RFC 4180 reader accepting every line. Otherwise None."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or reader.line_num != 1 or len(set(header)) != len(header):
        return None
    if "\n\n" in text or "\r" in text.replace("\r\n", "\n"):
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    targets = _target_fields(header, mapping)
    columns = ", ".join(f"{sql_string(c)}: 'VARCHAR'" for c in header)
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _import_file AS
            SELECT * FROM read_csv({sql_string(str(path))}, header = true, auto_detect = false,
                                   columns = {{{columns}}}, delim = ',', quote = '"',
                                   escape = '"', strict_mode = true, null_padding = true,
                                   encoding = 'utf-8')
            """
        )
    except duckdb.Error:
        return None
    rows = int(con.sql("SELECT count(*) FROM _import_file").fetchall()[0][0])
    if rows != lines - 1:
        con.execute("DROP TABLE _import_file")
        return None
    first_unknown = _first_unknown(header, targets, mapping)
    unknown = sql_string(first_unknown) if first_unknown else "NULL"
    given = {t: c for c, t in zip(header, targets, strict=True) if t is not None}
    fields = ", ".join(
        f'"{given[f].replace(chr(34), chr(34) * 2)}" AS {f}' if f in given else f"NULL AS {f}"
        for f in FIELDS
    )

    def original(line: int) -> Mapping[str, Any]:
        values = con.execute("SELECT * FROM _import_file WHERE rowid = ?", [line - 2]).fetchall()[0]
        return dict(zip(header, values, strict=True))

    batches = []
    for start in range(0, rows, BATCH):
        end = min(start + BATCH, rows)
        select = (
            f"SELECT rowid + 2 AS line, {unknown} AS unknown, {fields} FROM _import_file "
            f"WHERE rowid >= {start} AND rowid < {end}"
        )
        batches.append(
            Batch(range(start + 2, end + 2), {}, [], original, False, read=end - start,
                  select=select)
        )  # fmt: skip
    return batches


def read_batches(
    path: Path, text: str, mapping: Mapping[str, str], con: duckdb.DuckDBPyConnection | None = None
) -> Iterator[Batch]:
    """The file's rows in batches of columns (fields named through `mapping`); with `con`,
    a plain CSV is read by DuckDB at once (see `_duckdb_csv`): call this outside a
    transaction, where the rows of the new temp table are numbered in file order."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        fast = _duckdb_csv(con, path, text, mapping) if con is not None else None
        return iter(fast) if fast is not None else _csv_batches(text, mapping)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_batches(text, mapping)
    raise UsageError(f"{path}: unknown file type {suffix!r}: use a .csv or .jsonl file")
