"""Reading screening queries from CSV or JSON lines, one query per line, streamed.

A bad line is reported (file, line, field, fix) and skipped; the good lines are screened.
A file is read line by line, so a batch of millions of lines is never held in memory. A file
that cannot be read as a whole (missing, not UTF-8 at the start, wrong header) is a
UsageError that names the expected columns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from osint.errors import ItemError, UsageError
from osint.normalize import parse_dob
from osint.screen.queries import CargoLine, Traveler

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
CARGO_FIELDS = (
    "id",
    "shipper_name",
    "shipper_address",
    "shipper_country",
    "consignee_name",
    "consignee_address",
    "consignee_country",
    "notify_name",
    "phones",
    "emails",
    "hs_code",
    "goods_description",
    "container_numbers",
    "vessel_name",
    "vessel_imo",
    "port_of_loading",
    "port_of_discharge",
)
CARGO_LISTS = ("phones", "emails", "container_numbers")
PARTY_FIELDS = ("shipper_name", "consignee_name", "notify_name", "vessel_name", "vessel_imo")
Q = TypeVar("Q", Traveler, CargoLine)


def _values(row: dict[str, Any], fields: tuple[str, ...], where: str) -> dict[str, Any]:
    unknown = sorted(set(row) - set(fields))
    if unknown:
        raise ItemError(
            f"{where}: unknown field {unknown[0]!r}: valid fields are {', '.join(fields)}"
        )
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, list):
            out[key] = [str(v).strip() for v in value if v is not None and str(v).strip()]
        else:
            out[key] = str(value).strip() if value is not None else ""
    return out


def traveler_from_mapping(row: dict[str, Any], where: str) -> Traveler:
    """Build a traveler query from a dict; raise ItemError naming the bad field."""
    values = _values(row, TRAVELER_FIELDS, where)
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


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [v.strip() for v in str(value or "").replace(";", "|").split("|") if v.strip()]


def cargo_from_mapping(row: dict[str, Any], where: str) -> CargoLine:
    """Build a cargo line from a dict; `id` and one party name are required."""
    values = _values(row, CARGO_FIELDS, where)
    if not values.get("id"):
        raise ItemError(f"{where}: field 'id' is empty: give every manifest line an id")
    if not any(values.get(f) for f in ("shipper_name", "consignee_name", "notify_name")):
        raise ItemError(f"{where}: no party: fill in shipper_name, consignee_name or notify_name")
    kwargs: dict[str, Any] = {}
    for f in CARGO_FIELDS:
        if f in CARGO_LISTS:
            kwargs[f] = _split(values.get(f))
        else:
            kwargs[f] = values.get(f) or None
    return CargoLine(**kwargs)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        for line_no, raw in enumerate(fh, start=1):
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # a BOM, as spreadsheet exports write, is fine
            try:
                yield line_no, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                message = (
                    f"{path}:{line_no}: not UTF-8 (byte {exc.start} is {raw[exc.start]:#x}): "
                    "save it as UTF-8"
                )
                if line_no <= 2:
                    raise UsageError(message) from exc
                yield line_no, "\x00" + message


def _jsonl(path: Path, build: Callable[[dict[str, Any], str], Q]) -> Iterator[Q | ItemError]:
    for line_no, line in _lines(path):
        if line.startswith("\x00"):
            yield ItemError(line[1:])
            continue
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
            yield build(data, where)
        except ItemError as exc:
            yield exc


def _csv(
    path: Path,
    build: Callable[[dict[str, Any], str], Q],
    fields: tuple[str, ...],
    header_ok: Callable[[list[str]], bool],
    what: str,
) -> Iterator[Q | ItemError]:
    numbered = _lines(path)
    current = [0]

    def text() -> Iterator[str]:
        for line_no, line in numbered:
            current[0] = line_no
            yield line

    reader = csv.DictReader(text())
    header = list(reader.fieldnames or [])
    if any(h not in fields for h in header) or not header_ok(header):
        raise UsageError(
            f"{path}:1: header {', '.join(header) or '(empty)'} is not a {what} header: "
            f"use columns from {', '.join(fields)}"
        )
    start = current[0]
    for row in reader:
        where = f"{path}:{start + 1}"
        start = current[0]
        if None in row:
            yield ItemError(f"{where}: more values than header columns: check quoting")
            continue
        bad = [v for v in row.values() if isinstance(v, str) and v.startswith("\x00")]
        if bad:
            yield ItemError(bad[0][1:])
            continue
        try:
            yield build(dict(row), where)
        except ItemError as exc:
            yield exc


def _stream(
    path: Path,
    build: Callable[[dict[str, Any], str], Q],
    fields: tuple[str, ...],
    header_ok: Callable[[list[str]], bool],
    what: str,
) -> Iterator[Q | ItemError]:
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".ndjson", ".json", ".csv"):
        raise UsageError(f"{path}: unknown file type {suffix!r}: use .csv or .jsonl")
    if not path.is_file():
        raise UsageError(f"cannot read {path}: no such file")
    items = _csv(path, build, fields, header_ok, what) if suffix == ".csv" else _jsonl(path, build)
    seen = False
    for item in items:
        seen = True
        yield item
    if not seen:
        raise UsageError(f"{path}: no queries in the file: one {what} per line")


def iter_travelers(path: Path) -> Iterator[Traveler | ItemError]:
    """Travelers from a .csv (with header) or .jsonl file, streamed; an ItemError per bad line."""
    return _stream(
        path,
        traveler_from_mapping,
        TRAVELER_FIELDS,
        lambda h: bool({"name", "given_name", "family_name"} & set(h)),
        "traveler",
    )


def iter_cargo(path: Path) -> Iterator[CargoLine | ItemError]:
    """Cargo lines from a .csv (with header) or .jsonl file, streamed; an ItemError per bad line."""
    return _stream(
        path,
        cargo_from_mapping,
        CARGO_FIELDS,
        lambda h: "id" in h and bool(set(PARTY_FIELDS) & set(h)),
        "cargo line",
    )


def read_travelers(path: Path) -> list[Traveler | ItemError]:
    """All travelers of a file at once (small files; use iter_travelers for big ones)."""
    return list(iter_travelers(path))
