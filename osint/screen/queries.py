"""The two query shapes of the screening contract, and how each becomes parties to match.

A traveler is one party (role `traveler`). A cargo line has up to four: `shipper`,
`consignee`, `notify` and the `vessel`; the line's phones and emails are keys of every
party, since a manifest does not say whose they are. Each party carries a fingerprint (a
hash of its normalized name, date of birth, countries and keys) against which analysts
record exclusions ("this query is not that profile").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from osint.normalize import (
    normalize_email,
    normalize_name,
    strip_legal_form,
    to_e164,
    to_iso2,
)
from osint.screen.features import Party

PERSON = ("person",)
PARTY_KINDS = ("organization", "person")
VESSEL = ("vessel",)


@dataclass(slots=True)
class Traveler:
    """One screening query (the traveler half of the screening contract)."""

    id: str
    name: str
    dob: str | None = None
    nationality: str | None = None
    passport_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(slots=True)
class CargoLine:
    """One manifest line (the cargo half of the screening contract)."""

    id: str
    shipper_name: str | None = None
    shipper_address: str | None = None
    shipper_country: str | None = None
    consignee_name: str | None = None
    consignee_address: str | None = None
    consignee_country: str | None = None
    notify_name: str | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    hs_code: str | None = None
    goods_description: str | None = None
    container_numbers: list[str] = field(default_factory=list)
    vessel_name: str | None = None
    vessel_imo: str | None = None
    port_of_loading: str | None = None
    port_of_discharge: str | None = None


def fingerprint(party: Party) -> str:
    """A stable hash of what identifies the query, independent of its id and word order."""
    if not party.fp:
        body = "\x1f".join(
            (
                " ".join(sorted(party.name_norm.split())),
                party.dob or "",
                ",".join(sorted(party.countries)),
                ",".join(sorted(party.keys)),
            )
        )
        party.fp = "fp-" + hashlib.sha256(body.encode()).hexdigest()[:20]
    return party.fp


def _country(value: str | None) -> tuple[str, ...]:
    code = to_iso2(value) if value else None
    return (code,) if code else ()


def _address(value: str | None) -> str | None:
    return normalize_name(value) or None if value else None


def _org_name(name: str) -> str:
    norm = normalize_name(name)
    return strip_legal_form(norm) or norm


def _contacts(phones: list[str], emails: list[str], country: str | None) -> tuple[str, ...]:
    keys: list[str] = []
    for phone in phones:
        if e164 := to_e164(phone, country):
            keys.append(e164)
    for email in emails:
        if norm := normalize_email(email):
            keys.append(norm)
    return tuple(dict.fromkeys(keys))


def traveler_party(q: Traveler) -> Party:
    countries = _country(q.nationality)
    keys: list[str] = []
    if q.passport_number:
        clean = "".join(ch for ch in q.passport_number.upper() if ch.isalnum())
        keys.append(f"passport:{clean}")
    keys.extend(
        _contacts(
            [q.phone] if q.phone else [],
            [q.email] if q.email else [],
            countries[0] if countries else None,
        )
    )
    return Party(
        role="traveler",
        name=q.name,
        name_norm=normalize_name(q.name),
        kinds=PERSON,
        dob=q.dob,
        countries=countries,
        address_norm=_address(q.address),
        keys=tuple(keys),
    )


def cargo_parties(line: CargoLine) -> list[Party]:
    """The parties of a manifest line that have a name (or, for the vessel, an IMO)."""
    shipper_country = _country(line.shipper_country)
    contacts = _contacts(line.phones, line.emails, shipper_country[0] if shipper_country else None)
    parties: list[Party] = []
    for role, name, address, country in (
        ("shipper", line.shipper_name, line.shipper_address, line.shipper_country),
        ("consignee", line.consignee_name, line.consignee_address, line.consignee_country),
        ("notify", line.notify_name, None, None),
    ):
        if not name:
            continue
        parties.append(
            Party(
                role=role,
                name=name,
                name_norm=_org_name(name),
                kinds=PARTY_KINDS,
                countries=_country(country),
                address_norm=_address(address),
                keys=contacts,
            )
        )
    if line.vessel_name or line.vessel_imo:
        imo = "".join(ch for ch in (line.vessel_imo or "") if ch.isdigit())
        parties.append(
            Party(
                role="vessel",
                name=line.vessel_name or f"IMO {imo}",
                name_norm=normalize_name(line.vessel_name or ""),
                kinds=VESSEL,
                keys=(f"imo:{imo}",) if imo else (),
            )
        )
    return parties
