"""OFAC SDN entries (from the legacy CSV spider) to records.

The spider keeps the columns as published; here the Remarks field is parsed
(:mod:`osint.extract.ofac_remarks`) and every value goes through the shared normalizers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from osint.extract.common import countries, domains, emails, identifier, phones, unique, wallet
from osint.extract.ofac_remarks import Remarks, parse_remarks
from osint.normalize import ofac_display_name, parse_dob
from osint.records import Kind, Record, Relation

ORIGIN = "parser:ofac_sdn_csv.v1"
KINDS: dict[str | None, Kind | None] = {
    "individual": "person",
    "vessel": "vessel",
    None: "organization",
    # Aircraft are outside the record contract's kinds (nothing screens against them).
    "aircraft": None,
}


@dataclass(slots=True)
class SdnParts:
    """What the CSV and the XML publications of the SDN list both give for one entry."""

    source: str
    source_key: str
    doc_id: str
    kind: Kind
    name: str
    origin: str
    facts: Remarks
    alias_names: list[str]
    country_names: list[str | None]
    call_sign: str | None
    address: str | None
    city: str | None
    programs: list[str]


def sdn_record(p: SdnParts) -> Record:
    """One record from an SDN entry, whichever publication it was read from."""
    country_list = countries(p.country_names)
    # A passport is issued by a country of citizenship: count it as nationality evidence.
    passport_countries = [i.country for i in p.facts.identifiers if i.scheme == "passport"]
    nationality = countries([*p.facts.nationality, *p.facts.citizenship, *passport_countries])
    hint = (country_list or nationality or [""])[0] or None
    ids = [identifier(i.scheme, i.value) for i in p.facts.identifiers]
    if p.call_sign:
        ids.append(identifier("call_sign", p.call_sign))
    dobs = unique(d for raw in p.facts.dob for d in parse_dob(raw))
    return Record(
        source=p.source,
        source_key=p.source_key,
        doc_id=p.doc_id,
        kind=p.kind,
        name=p.name,
        origin=p.origin,
        aliases=[a for a in unique(p.alias_names) if a != p.name],
        countries=country_list,
        nationality=nationality,
        address=p.address,
        city=p.city,
        dob=dobs[0] if dobs else None,
        dobs=dobs,
        phones=phones(p.facts.phones, hint),
        emails=emails(p.facts.emails),
        domains=domains(p.facts.websites, p.facts.emails),
        wallets=unique(wallet(chain, addr) for chain, addr in p.facts.wallets),
        identifiers=unique(ids),
        programs=p.programs,
        relations=[Relation("linked_to", target) for target in p.facts.linked_to],
    )


def map_entry(
    source: str, source_key: str, doc_id: str, data: dict[str, Any]
) -> tuple[list[Record], list[str]]:
    """One SDN entry to a record, plus messages about what could not be read."""
    raw_type = data.get("type")
    if raw_type not in KINDS:
        return [], [f"ent_num {source_key}: unknown SDN_Type {raw_type!r}: entry skipped"]
    kind = KINDS[raw_type]
    if kind is None:
        return [], []
    sdn_name: str = data.get("name") or ""
    if not sdn_name:
        return [], [f"ent_num {source_key}: no SDN_Name: entry skipped"]
    remarks = parse_remarks(data.get("remarks") or "")
    notes = [f"ent_num {source_key}: unknown Remarks item {u!r}" for u in remarks.unknown]
    notes += [f"ent_num {source_key}: {w}" for w in remarks.warnings]

    is_person = kind == "person"
    name = ofac_display_name(sdn_name, is_person)
    alias_names = [sdn_name]
    for alt in data.get("aliases") or []:
        if alt.get("name"):
            alias_names.append(alt["name"])
            alias_names.append(ofac_display_name(alt["name"], is_person))
    alias_names += [n for _, n in remarks.aliases]

    addresses = data.get("addresses") or []
    first = addresses[0] if addresses else {}
    record = sdn_record(
        SdnParts(
            source=source,
            source_key=source_key,
            doc_id=doc_id,
            kind=kind,
            name=name,
            origin=ORIGIN,
            facts=remarks,
            alias_names=alias_names,
            country_names=[*(a.get("country") for a in addresses), data.get("vessel_flag")],
            call_sign=data.get("call_sign"),
            address=first.get("address"),
            city=first.get("city"),
            programs=list(data.get("programs") or []),
        )
    )
    return [record], notes
