"""OFAC SDN entries (from the legacy CSV spider) to records.

The spider keeps the columns as published; here the Remarks field is parsed
(:mod:`osint.extract.ofac_remarks`) and every value goes through the shared normalizers.
"""

from __future__ import annotations

from typing import Any

from osint.extract.common import countries, domains, emails, identifier, phones, unique
from osint.extract.ofac_remarks import parse_remarks
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
    address_countries = countries(a.get("country") for a in addresses)
    flag = countries([data.get("vessel_flag")])
    country_list = unique([*address_countries, *flag])
    # A passport is issued by a country of citizenship: count it as nationality evidence.
    passport_countries = [i.country for i in remarks.identifiers if i.scheme == "passport"]
    nationality = countries([*remarks.nationality, *remarks.citizenship, *passport_countries])
    hint = (country_list or nationality or [""])[0] or None

    ids = [identifier(i.scheme, i.value) for i in remarks.identifiers]
    if data.get("call_sign"):
        ids.append(identifier("call_sign", data["call_sign"]))
    dobs = [d for raw in remarks.dob for d in parse_dob(raw)]
    first = addresses[0] if addresses else {}
    record = Record(
        source=source,
        source_key=source_key,
        doc_id=doc_id,
        kind=kind,
        name=name,
        origin=ORIGIN,
        aliases=[a for a in unique(alias_names) if a != name],
        countries=country_list,
        nationality=nationality,
        address=first.get("address"),
        city=first.get("city"),
        dob=dobs[0] if dobs else None,
        dobs=unique(dobs),
        phones=phones(remarks.phones, hint),
        emails=emails(remarks.emails),
        domains=domains(remarks.websites, remarks.emails),
        wallets=unique(f"{chain}:{addr}" for chain, addr in remarks.wallets),
        identifiers=unique(ids),
        programs=list(data.get("programs") or []),
        relations=[Relation("linked_to", target) for target in remarks.linked_to],
    )
    return [record], notes
