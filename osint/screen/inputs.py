"""Reading screening queries from CSV or JSON lines, one query per line.

A bad line is reported (file, line, field, fix) and skipped; the good lines are screened.
"""

from __future__ import annotations

import csv
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


def read_travelers(path: Path) -> Iterator[Traveler | ItemError]:
    """Queries from a .csv (with header) or .jsonl file, or an ItemError per bad line."""
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            for line_no, line in enumerate(fh, start=1):
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
        elif path.suffix.lower() == ".csv":
            reader = csv.DictReader(fh)
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if None in row:
                    yield ItemError(f"{where}: more values than header columns: check quoting")
                    continue
                try:
                    yield traveler_from_mapping(dict(row), where)
                except ItemError as exc:
                    yield exc
        else:
            raise UsageError(f"{path}: unknown file type {path.suffix!r}: use .csv or .jsonl")
