"""UN Security Council consolidated list entries (from the XML spider) to records."""

from __future__ import annotations

from typing import Any

from osint.extract.common import countries, identifier, unique
from osint.normalize import parse_dob
from osint.records import Kind, Record

ORIGIN = "parser:un_consolidated_xml.v1"
NAME_PARTS = ("first_name", "second_name", "third_name", "fourth_name")
DOCUMENT_SCHEMES = {
    "passport": "passport",
    "national identification number": "national_id",
    "identification number": "national_id",
    "national identity card": "national_id",
}


def _dobs(parts: list[dict[str, str]]) -> list[str]:
    """Every date of birth: exact dates, years, and FROM_YEAR..TO_YEAR ranges as years."""
    found: list[str] = []
    for part in parts:
        if part.get("from_year") and part.get("to_year"):
            found += parse_dob(f"{part['from_year']} to {part['to_year']}")
            continue
        for key in ("date", "year", "from_year"):
            if part.get(key):
                found += parse_dob(str(part[key]))
                break
    return unique(found)


def map_entry(
    source: str, source_key: str, doc_id: str, data: dict[str, Any]
) -> tuple[list[Record], list[str]]:
    """One UN list individual or entity to a record."""
    name = " ".join(data[p] for p in NAME_PARTS if data.get(p))
    if not name:
        return [], [f"DATAID {source_key}: no name: entry skipped"]
    kind: Kind = "person" if data.get("kind") == "individual" else "organization"
    aliases = [a["alias_name"] for a in data.get("alias", []) if a.get("alias_name")]
    if data.get("name_original_script"):
        aliases.append(data["name_original_script"])
    ids = []
    notes = []
    for doc in data.get("document", []):
        number = doc.get("number")
        if not number:
            continue
        doc_type = (doc.get("type_of_document") or "").strip().lower()
        scheme = DOCUMENT_SCHEMES.get(doc_type, "other_id")
        if scheme == "other_id" and doc_type:
            notes.append(f"DATAID {source_key}: document type {doc_type!r} kept as other_id")
        ids.append(identifier(scheme, number))
    addresses = data.get("address", [])
    first = addresses[0] if addresses else {}
    dobs = _dobs(data.get("date_of_birth", []))
    street = ", ".join(first[k] for k in ("street", "state_province") if first.get(k)) or None
    record = Record(
        source=source,
        source_key=source_key,
        doc_id=doc_id,
        kind=kind,
        name=name,
        origin=ORIGIN,
        aliases=[a for a in unique(aliases) if a != name],
        countries=countries(a.get("country") for a in addresses),
        nationality=countries(data.get("nationality", [])),
        address=street,
        city=first.get("city"),
        dob=dobs[0] if dobs else None,
        dobs=dobs,
        identifiers=unique(ids),
        programs=unique([data.get("un_list_type")]),
    )
    return [record], notes
