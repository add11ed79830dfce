"""Reading screening queries from CSV or JSON lines, one query per line.

A bad line is reported (file, line, field, fix) and skipped; the good lines are screened.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from osint.errors import ItemError, UsageError
from osint.normalize import parse_dob
from osint.screen.traveler import Traveler

TRAVELER_FIELDS = (
    "id",
    "name",
    "given_name",
    "family_name",
    "dob",
    "nationality",
    "passport_number",
    "phone",
    "email",
    "address",
)


def traveler_from_mapping(row: dict[str, Any], where: str) -> Traveler:
    """Build a traveler query from a dict; raise ItemError naming the bad field."""
    unknown = sorted(set(row) - set(TRAVELER_FIELDS))
    if unknown:
        raise ItemError(
            f"{where}: unknown field {unknown[0]!r}: valid fields are {', '.join(TRAVELER_FIELDS)}"
        )
    values = {k: (str(v).strip() if v is not None else "") for k, v in row.items()}
    name = values.get("name") or " ".join(
        v for v in (values.get("given_name"), values.get("family_name")) if v
    )
    if not name:
        raise ItemError(f"{where}: field 'name' (or given_name + family_name) is empty: fill it in")
    dob = values.get("dob") or None
    if dob:
        parsed = parse_dob(dob)
        if not parsed:
            raise ItemError(f"{where}: field 'dob' {dob!r} is not a date: use YYYY-MM-DD or YYYY")
        dob = parsed[0]
    return Traveler(
        id=values.get("id") or where,
        name=name,
        dob=dob,
        nationality=values.get("nationality") or None,
        passport_number=values.get("passport_number") or None,
        phone=values.get("phone") or None,
        email=values.get("email") or None,
        address=values.get("address") or None,
    )


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")  # a BOM, as spreadsheet exports write, is fine
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: not UTF-8 (byte {exc.start} is {raw[exc.start]:#x}): save it as UTF-8"
        ) from exc


def _jsonl(path: Path, text: str) -> Iterator[Traveler | ItemError]:
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{line_no}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ItemError(f"{where}: not valid JSON ({exc.msg}): one object per line")
            continue
        if not isinstance(data, dict):
            yield ItemError(f"{where}: expected a JSON object per line")
            continue
        try:
            yield traveler_from_mapping(data, where)
        except ItemError as exc:
            yield exc


def _csv(path: Path, text: str) -> Iterator[Traveler | ItemError]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    unknown = [h for h in header if h not in TRAVELER_FIELDS]
    if unknown or not ({"name", "given_name", "family_name"} & set(header)):
        raise UsageError(
            f"{path}:1: header {', '.join(header) or '(empty)'} is not a traveler header: "
            f"use columns from {', '.join(TRAVELER_FIELDS)} (name, or given_name + family_name)"
        )
    for row in reader:
        where = f"{path}:{reader.line_num}"
        if None in row:
            yield ItemError(f"{where}: more values than header columns: check quoting")
            continue
        try:
            yield traveler_from_mapping(dict(row), where)
        except ItemError as exc:
            yield exc


def read_travelers(path: Path) -> list[Traveler | ItemError]:
    """Queries from a .csv (with header) or .jsonl file, or an ItemError per bad line.

    A file that cannot be read as a whole (missing, not UTF-8, wrong header, no query at
    all) is a UsageError.
    """
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".json", ".csv"):
        raise UsageError(f"{path}: unknown file type {suffix!r}: use .csv or .jsonl")
    text = _read_text(path)
    queries = list(_csv(path, text) if suffix == ".csv" else _jsonl(path, text))
    if not queries:
        raise UsageError(f"{path}: no queries in the file: one traveler per line")
    return queries
