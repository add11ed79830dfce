"""Shipping records (bills of lading, entry format ``shipping_record.v1``) to records.

The spiders (:mod:`spiders.shipping`, CSV exports and HTML listings) keep the fields as published.
One bill of lading gives up to four records, keyed ``<bill of lading>#<role>``:

* organizations for the shipper, the consignee and the notify party (name, address, country,
  phone, e-mail, the shipment's HS codes); the shipper record carries the relations
  ``ships_to`` (-> consignee) and ``notify`` (-> notify party);
* a vessel, when the vessel's name or IMO number is given (``imo:NNNNNNN`` only when the
  IMO check digit is valid).

A notify party written "SAME AS CONSIGNEE" (or with the consignee's name) is the consignee: no
record of its own, and the ``notify`` relation points at the consignee. A consignee "TO ORDER"
(a negotiable bill) is not an organization: no record, a note.
"""

from __future__ import annotations

import re
from typing import Any

from osint.extract.common import countries, emails, identifier, phones, unique
from osint.extract.ofac_remarks import imo_is_valid
from osint.normalize import normalize_name
from osint.records import Record, Relation

ORIGIN = "parser:shipping_record.v1"
ROLES = ("shipper", "consignee", "notify")
# Values that stand for "no party" in bill-of-lading exports.
PLACEHOLDERS = {"", "n a", "na", "none", "not available", "not declared", "unknown", "null"}
_SAME_AS = re.compile(r"^(same as (the )?(consignee|above)|ditto)\b", re.IGNORECASE)
_TO_ORDER = re.compile(r"^to (the )?order\b", re.IGNORECASE)
_HS_SPLIT = re.compile(r"[,;/|\s]+")
_IMO_PREFIX = re.compile(r"^\s*IMO[\s:.#-]*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _text(data: dict[str, Any], field: str) -> str | None:
    value = data.get(field)
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    return None if normalize_name(text) in PLACEHOLDERS else text


def hs_codes(raw: str | None) -> tuple[list[str], list[str]]:
    """HS codes as digits only (4 to 10 of them), and the values that are not HS codes."""
    codes, bad = [], []
    for part in _HS_SPLIT.split(raw or ""):
        if not part:
            continue
        digits = "".join(ch for ch in part if ch.isdigit())
        if 4 <= len(digits) <= 10 and digits == part.replace(".", "").replace("-", ""):
            codes.append(digits)
        else:
            bad.append(part)
    return unique(codes), bad


def imo_number(raw: str) -> str | None:
    """The 7 digits of an IMO ship number ("IMO 9321483" or "9321483") if its check digit is
    valid, else None."""
    number = _IMO_PREFIX.sub("", raw).strip()
    return number if imo_is_valid(number) else None


def map_entry(
    source: str, source_key: str, doc_id: str, data: dict[str, Any]
) -> tuple[list[Record], list[str]]:
    """One bill of lading to party and vessel records, plus messages about what was not read."""
    notes: list[str] = []
    codes, bad_codes = hs_codes(_text(data, "hs_code"))
    notes += [f"B/L {source_key}: {c!r} is not an HS code (4 to 10 digits)" for c in bad_codes]

    names = {role: _text(data, f"{role}_name") for role in ROLES}
    consignee = names["consignee"]
    if consignee and _TO_ORDER.match(consignee):
        notes.append(f"B/L {source_key}: consignee {consignee!r} (to order): no consignee record")
        names["consignee"] = None
    notify = names["notify"]
    notify_key: str | None = f"{source_key}#notify"
    if notify and (
        _SAME_AS.match(notify)
        or (names["consignee"] and normalize_name(notify) == normalize_name(names["consignee"]))
    ):
        names["notify"] = None
        notify, notify_key = names["consignee"], f"{source_key}#consignee"

    records: dict[str, Record] = {}
    for role in ROLES:
        name = names[role]
        if not name:
            continue
        country_list = countries([_text(data, f"{role}_country")])
        hint = country_list[0] if country_list else None
        records[role] = Record(
            source=source,
            source_key=f"{source_key}#{role}",
            doc_id=doc_id,
            kind="organization",
            name=name,
            origin=ORIGIN,
            countries=country_list,
            address=_text(data, f"{role}_address"),
            phones=phones(_split(_text(data, f"{role}_phone")), hint),
            emails=emails(_split(_text(data, f"{role}_email"))),
            hs_codes=codes,
        )
        raw_country = _text(data, f"{role}_country")
        if raw_country and not country_list:
            notes.append(f"B/L {source_key}: {role} country {raw_country!r} not recognized")

    shipper = records.get("shipper")
    if shipper is not None:
        if "consignee" in records:
            shipper.relations.append(
                Relation("ships_to", records["consignee"].name, f"{source_key}#consignee")
            )
        if notify and notify_key:
            shipper.relations.append(Relation("notify", notify, notify_key))
    elif records:
        notes.append(f"B/L {source_key}: no shipper name: no ships_to/notify relations")

    vessel = _vessel(source, source_key, doc_id, data, notes)
    out = list(records.values()) + ([vessel] if vessel else [])
    if not out:
        notes.append(f"B/L {source_key}: no shipper, consignee, notify party or vessel: skipped")
    return out, notes


def _split(raw: str | None) -> list[str]:
    """Several phone numbers or e-mail addresses in one cell."""
    return [p.strip() for p in re.split(r"[;,/]| or ", raw or "") if p.strip()]


def _vessel(
    source: str, source_key: str, doc_id: str, data: dict[str, Any], notes: list[str]
) -> Record | None:
    name = _text(data, "vessel_name")
    raw_imo = _text(data, "vessel_imo")
    imo = imo_number(raw_imo) if raw_imo else None
    if raw_imo and imo is None:
        notes.append(
            f"B/L {source_key}: vessel IMO {raw_imo!r} is not a valid IMO number "
            "(7 digits with a check digit): not kept as an identifier"
        )
    if not name and not imo:
        return None
    return Record(
        source=source,
        source_key=f"{source_key}#vessel",
        doc_id=doc_id,
        kind="vessel",
        name=name or f"IMO {imo}",
        origin=ORIGIN,
        identifiers=[identifier("imo", imo)] if imo else [],
    )
