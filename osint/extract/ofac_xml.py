"""OFAC SDN entries (from the classic XML spider, `sdnList` schema of sdn.xml) to records.

The XML publishes as elements what the legacy CSV packs into Remarks: dates and places of
birth, nationalities and citizenships, weak aliases, and every identifier or attribute as an
``<id>`` whose ``idType`` is the Remarks label ("Passport", "Unified Social Credit Code
(USCC)", "Digital Currency Address - XBT", "Email Address", "Vessel Registration
Identification" with idNumber "IMO 9763837", ...). Those labels are classified with the tables
of :mod:`osint.extract.ofac_remarks`, into the same :class:`~osint.extract.ofac_remarks.Remarks`
the CSV path fills, so both publications give the same record; what is left in ``<remarks>``
("Linked To: ...", descriptions) is parsed with :func:`~osint.extract.ofac_remarks.parse_remarks`
and merged in. Values go through the shared normalizers, as in :mod:`osint.extract.ofac`.
"""

from __future__ import annotations

import re
from typing import Any

from stdnum import lei as _lei
from stdnum.cn import uscc as _uscc

from osint.extract.ofac import SdnParts, sdn_record
from osint.extract.ofac_remarks import (
    ATTRIBUTE_KEYS,
    INFO_KEYS,
    KEY_SCHEMES,
    Identifier,
    Remarks,
    imo_is_valid,
    parse_remarks,
)
from osint.normalize import ofac_display_name
from osint.records import Kind, Record

ORIGIN = "parser:ofac_sdn_xml.v1"
KINDS: dict[str | None, Kind | None] = {
    "Individual": "person",
    "Entity": "organization",
    "Vessel": "vessel",
    # Aircraft are outside the record contract's kinds (nothing screens against them).
    "Aircraft": None,
}
ALIAS_TYPES = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}


def _label(text: str) -> str:
    """A label compared without case and without its trailing ":" or " -"."""
    return re.sub(r"[\s:\-]+$", "", text.strip()).lower()


_SCHEMES = {_label(k): v for k, v in KEY_SCHEMES.items()}
_ATTRIBUTES = {_label(k): v for k, v in ATTRIBUTE_KEYS.items()}
_WALLET_LABELS = tuple(k for k, v in _ATTRIBUTES.items() if v == "wallets")
_INFO = [re.compile(re.sub(r"\s*[:\-]$", "", p), re.IGNORECASE) for p in INFO_KEYS]


def _details(item: dict[str, str]) -> str | None:
    """Issue and expiry dates written as the Remarks write them ("issued ... expires ...")."""
    parts = [
        f"{word} {item[key]}"
        for word, key in (("issued", "issueDate"), ("expires", "expirationDate"))
        if item.get(key)
    ]
    return " ".join(parts) or None


def _check(scheme: str, value: str) -> str | None:
    """A warning when a value with a check digit does not check."""
    if scheme == "uscc" and not _uscc.is_valid(value):
        return f"invalid USCC check digit: {value!r}"
    if scheme == "lei" and not _lei.is_valid(value):
        return f"invalid LEI check digits: {value!r}"
    if scheme == "imo" and not imo_is_valid(value):
        return f"invalid IMO check digit: {value!r}"
    return None


def _scheme(label: str, number: str) -> tuple[str, str] | None:
    """(scheme, value) of an identifier label, or None when the label is not an identifier."""
    # "Vessel Registration Identification" + "IMO 9763837" is the Remarks label "... IMO".
    prefix, _, rest = number.partition(" ")
    combined = f"{label} {prefix.lower()}"
    if rest.strip() and combined in _SCHEMES:
        return _SCHEMES[combined], rest.strip()
    if label not in _SCHEMES:
        return None
    scheme, value = _SCHEMES[label], number
    if scheme == "other_id" and value.upper().startswith("ISIN:"):
        scheme, value = "isin", value[5:].strip()
    return scheme, value


def _add_attribute(out: Remarks, name: str, value: str) -> None:
    if name in ("aka", "fka", "nka"):
        out.aliases.append((name, value.strip("'")))
    elif name == "gender":
        if out.gender is not None and out.gender != value:
            out.warnings.append(f"conflicting gender {value!r} (kept {out.gender!r})")
        elif out.gender is None:
            out.gender = value
    elif name == "wallets":
        chain, _, address = value.partition(" ")
        out.wallets.append((chain.upper(), address.strip()))
    else:
        target: list[str] = getattr(out, name)
        target.append(value)


def read_id(out: Remarks, item: dict[str, str]) -> None:
    """Classify one <id> into `out`, as the Remarks item "<idType> <idNumber>" would be."""
    raw_label = (item.get("idType") or "").strip()
    number = (item.get("idNumber") or "").strip()
    if not number:
        out.warnings.append(f"<id> {raw_label!r} without idNumber")
        return
    label = _label(raw_label)
    found = _scheme(label, number)
    if found is not None:
        scheme, value = found
        if warning := _check(scheme, value):
            out.warnings.append(warning)
        out.identifiers.append(
            Identifier(scheme, value, item.get("idCountry"), raw_label, _details(item))
        )
        return
    for wallet in _WALLET_LABELS:
        if label.startswith(wallet):
            chain = raw_label[len(wallet) :].strip(" -:")
            if not chain:
                out.warnings.append(f"digital currency address without chain: {number!r}")
            out.wallets.append((chain.upper(), number))
            return
    if label in _ATTRIBUTES:
        _add_attribute(out, _ATTRIBUTES[label], number)
    elif any(p.fullmatch(raw_label.strip().rstrip(":- ")) for p in _INFO):
        out.info.append((raw_label.rstrip(":- "), number))
    else:
        out.unknown.append(f"{raw_label} {number}")


def _merge(out: Remarks, more: Remarks) -> None:
    """Add what `more` found to `out` (lists extended; gender kept if already known)."""
    for name in (
        "dob", "pob", "nationality", "citizenship", "identifiers", "websites", "emails",
        "phones", "wallets", "aliases", "linked_to", "info", "unknown", "warnings",
    ):  # fmt: skip
        getattr(out, name).extend(getattr(more, name))
    if more.gender and out.gender is None:
        out.gender = more.gender


def _main_first(items: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(items, key=lambda i: (i.get("mainEntry") or "").lower() != "true")


def read_entry_facts(data: dict[str, Any]) -> Remarks:
    """Everything besides names, addresses and vessel data, as the CSV path's Remarks."""
    out = Remarks()
    for item in data.get("idList") or []:
        read_id(out, item)
    for field_name, list_tag, key in (
        ("dob", "dateOfBirthList", "dateOfBirth"),
        ("pob", "placeOfBirthList", "placeOfBirth"),
        ("nationality", "nationalityList", "country"),
        ("citizenship", "citizenshipList", "country"),
    ):
        values: list[str] = getattr(out, field_name)
        values += [i[key] for i in _main_first(data.get(list_tag) or []) if i.get(key)]
    _merge(out, parse_remarks(data.get("remarks") or ""))
    return out


def _joined(last: str | None, first: str | None) -> str:
    """The name as OFAC writes it in one field: "lastName, firstName"."""
    return ", ".join(p for p in (last, first) if p)


def map_entry(
    source: str, source_key: str, doc_id: str, data: dict[str, Any]
) -> tuple[list[Record], list[str]]:
    """One sdnEntry to a record, plus messages about what could not be read."""
    raw_type = data.get("sdnType")
    if raw_type not in KINDS:
        return [], [f"uid {source_key}: unknown sdnType {raw_type!r}: entry skipped"]
    kind = KINDS[raw_type]
    if kind is None:
        return [], []
    sdn_name = _joined(data.get("lastName"), data.get("firstName"))
    if not sdn_name:
        return [], [f"uid {source_key}: no lastName: entry skipped"]
    facts = read_entry_facts(data)
    notes = [f"uid {source_key}: unknown idType or Remarks item {u!r}" for u in facts.unknown]
    notes += [f"uid {source_key}: {w}" for w in facts.warnings]

    is_person = kind == "person"
    name = ofac_display_name(sdn_name, is_person)
    alias_names = [sdn_name]
    for aka in data.get("akaList") or []:
        if aka.get("type") and aka["type"] not in ALIAS_TYPES:
            notes.append(f"uid {source_key}: unknown aka type {aka['type']!r} (read as a.k.a.)")
        alias = _joined(aka.get("lastName"), aka.get("firstName"))
        if alias:
            alias_names += [alias, ofac_display_name(alias, is_person)]
    alias_names += [n for _, n in facts.aliases]

    addresses: list[dict[str, str]] = data.get("addressList") or []
    vessel: dict[str, str] = data.get("vesselInfo") or {}
    first = addresses[0] if addresses else {}
    street = ", ".join(first[k] for k in ("address1", "address2", "address3") if first.get(k))
    record = sdn_record(
        SdnParts(
            source=source,
            source_key=source_key,
            doc_id=doc_id,
            kind=kind,
            name=name,
            origin=ORIGIN,
            facts=facts,
            alias_names=alias_names,
            country_names=[*(a.get("country") for a in addresses), vessel.get("vesselFlag")],
            call_sign=vessel.get("callSign"),
            address=street or None,
            city=first.get("city"),
            programs=list(data.get("programList") or []),
        )
    )
    return [record], notes
