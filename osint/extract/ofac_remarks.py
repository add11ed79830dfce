"""Parse the Remarks field of OFAC's SDN list (legacy CSV ``sdn.csv``, column 12).

OFAC publishes the SDN list as a legacy CSV without a header: ent_num, SDN_Name, SDN_Type,
Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks, with
``-0-`` for an empty field. Remarks packs every other fact into one string: items separated
by ``"; "``, each item ``<label> <value>``, the whole string ending with ``"."``::

    DOB 01 Jan 1966; POB Tripoli, Lebanon; Passport 1091875; a.k.a. 'ABOU ZEINAB'.
    SWIFT/BIC HAVIGB2L; Website www.havanaintbank.co.uk; Company Number 01074897 (United Kingdom).

``alt.`` before a label repeats it; identifier values often end with ``(Country)`` and may
carry ``issued DATE`` / ``expires DATE``. The legacy file cuts Remarks at 1000 characters; the
cut last item is kept as info ("truncated", item), not parsed. Items are classified by the
tables below; items no table knows go to ``Remarks.unknown`` (never dropped), problems to
``Remarks.warnings``. :func:`parse_remarks` never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stdnum import lei as _lei
from stdnum.cn import uscc as _uscc

# --- Tables ---------------------------------------------------------------------------------

#: Identifier labels as written in Remarks -> scheme (lower snake case).
KEY_SCHEMES: dict[str, str] = {
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "National ID No.": "national_id",
    "Kenya ID No.": "national_id",
    "C.U.I.": "national_id",  # Guatemala, Codigo Unico de Identificacion
    "Cedula No.": "cedula",
    "C.U.R.P.": "curp",  # Mexico
    "SSN": "ssn",
    "Residency Number": "residency_no",
    "Public Security and Immigration No.": "immigration_no",
    "Tax ID No.": "tax_id",
    "NIT #": "tax_id",  # Guatemala, Numero de Identificacion Tributaria
    "V.A.T. Number": "vat",
    "Unified Social Credit Code (USCC)": "uscc",
    "United Social Credit Code Certificate (USCCC)": "uscc",
    "Registration Number": "company_no",
    "Registration ID": "company_no",
    "Company Number": "company_no",
    "Business Registration Number": "company_no",
    "Business Registration Document #": "company_no",
    "Commercial Registry Number": "company_no",
    "C.R. No.": "company_no",
    "Central Registration System Number": "company_no",  # Turkey (MERSIS)
    "Enterprise Number": "company_no",
    "Chamber of Commerce Number": "chamber_of_commerce",
    "Dubai Chamber of Commerce Membership No.": "chamber_of_commerce",
    "Trade License No.": "trade_license",
    "Registered Charity No.": "charity_no",
    "License": "license",
    "Government Gazette Number": "okpo",  # OFAC's label for the Russian OKPO code
    "BIK (RU)": "bik",
    "Economic Register Number (CBLS)": "cbls",
    "MICEX Code": "micex",
    "Legal Entity Number": "lei",
    "SWIFT/BIC": "swift_bic",
    "D-U-N-S Number": "duns",
    "Identification Number": "other_id",  # "ISIN: ..." values become scheme "isin"
    "Vessel Registration Identification IMO": "imo",
    "Identification Number IMO": "imo_company",  # IMO company number (no ship check digit)
    "Company Number IMO": "imo_company",
    "MMSI": "mmsi",
    "Other Vessel Call Sign": "call_sign",
}

#: Labels of entity attributes -> the Remarks field that receives the value.
ATTRIBUTE_KEYS: dict[str, str] = {
    "DOB": "dob",
    "POB": "pob",
    "nationality": "nationality",
    "citizen": "citizenship",
    "Gender": "gender",
    "Website": "websites",
    "Email Address": "emails",
    "Phone Number": "phones",
    "Telephone": "phones",
    "Fax": "phones",
    "Digital Currency Address -": "wallets",
    "a.k.a.": "aka",
    "f.k.a.": "fka",
    "n.k.a.": "nka",
    "Linked To:": "linked_to",
}

#: Labels (regular expressions) of facts kept as ``info`` (label as written, value).
INFO_KEYS: tuple[str, ...] = (
    r"Additional Sanctions Information -",
    r"Secondary sanctions risk:",
    r"Transactions Prohibited For Persons Owned or Controlled By U\.S\. Financial Institutions:",
    r"Executive Order \d+ information:",
    r"Executive Order \d+ Directive Determination -",
    r"Executive Order \d+ Directive Information(?: -)?",
    r"(?:Listing|Effective) Date \(EO \d+ Directive \d*\):?",
    r"For more information on directives, please visit the following link:",
    r"CAATSA Section 235 Information:",
    r"IFCA Determination -",
    r"Equity Ticker",
    r"Target Type",
    r"Organization Established Date",
    r"Organization Type:",
    r"Vessel Year of Build",
    r"(?:Former|Other) Vessel Flag",
    r"Other Vessel Type",
    r"Nationality of Registration",
    r"From:",
    r"(?:Previous )?Aircraft Tail Number",
    r"Aircraft Construction Number \(also called L/N or S/N or F/N\)",
    r"Aircraft Manufacturer's Serial Number \(MSN\)",
    r"Aircraft (?:Manufacture Date|Mode S Transponder Code|Model|Operator|Serial Identification)",
)

#: Free-text items (positions, roles, relatives, branch scope) kept as info ("description", ...).
_DESCRIPTION = re.compile(
    r"\b(?:Minister|Commander(?:-in-Chief)?|Director|General|Colonel|Member|President|"
    r"advis[oe]r|representative|Employee|Official|Officer|chairman|Attorney|Shaykh|Sheikh|"
    r"Leader|Governor|Deputy|Chief|Secretary|Ambassador|Manager|indictee|"
    r"(?:half-)?(?:brother|sister|son|daughter|wife|husband|father|mother) of|"
    r"(?:offices|branches) worldwide)\b",
    re.IGNORECASE,
)
#: ... unless the item looks like a labelled number ("Head Office No. 12" stays unknown).
_LABELLED_NUMBER = re.compile(r"\b(?:No\.|Number|#|ID|Code)\s*:?\s*\S*\d", re.IGNORECASE)
#: A document number with only an issue/expiry trailer and no label ("M0018061/104,issued ...").
_BARE_DOCUMENT = re.compile(
    r"(?P<value>[A-Z0-9][A-Z0-9/\-]*\d[A-Z0-9/\-]*)\s*,?\s*(?=issued|expires)"
)

#: The legacy CSV cuts Remarks at this many characters (no closing "." then).
LEGACY_REMARKS_LIMIT = 1000

_ALT = re.compile(r"alt\.\s+", re.IGNORECASE)
_TRAILER = re.compile(r"[\s,]*\b((?:issued|expires)\b.*)$", re.IGNORECASE)
_COUNTRY = re.compile(r"\s*\(([^()]+)\)\s*$")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
_IMO_DIGITS = re.compile(r"\d{7}")
_ALIAS_KINDS = frozenset({"aka", "fka", "nka"})


def _label_pattern(source: str) -> re.Pattern[str]:
    return re.compile(rf"(?P<label>{source})(?=\s|$)\s*(?P<value>.*)$", re.IGNORECASE | re.DOTALL)


# (pattern, family, name); longest label first so "Company Number IMO" wins over "Company Number".
_MATCHERS: list[tuple[re.Pattern[str], str, str]] = sorted(
    [(_label_pattern(re.escape(k)), "id", v) for k, v in KEY_SCHEMES.items()]
    + [(_label_pattern(re.escape(k)), "attr", v) for k, v in ATTRIBUTE_KEYS.items()]
    + [(_label_pattern(k), "info", "") for k in INFO_KEYS],
    key=lambda m: -len(m[0].pattern),
)


def known_keys() -> list[str]:
    """Every label the parser recognises (identifier and attribute labels, info patterns)."""
    return [*KEY_SCHEMES, *ATTRIBUTE_KEYS, *INFO_KEYS]


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identifier:
    scheme: str
    value: str
    country: str | None
    raw_label: str
    details: str | None = None  # "issued 25 Mar 2005 expires 12 Feb 2012", as written


@dataclass(slots=True)
class Remarks:
    dob: list[str] = field(default_factory=list)
    pob: list[str] = field(default_factory=list)
    nationality: list[str] = field(default_factory=list)
    citizenship: list[str] = field(default_factory=list)
    gender: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    wallets: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    info: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- Parsing --------------------------------------------------------------------------------


def parse_remarks(text: str) -> Remarks:
    """Parse one Remarks string (``-0-`` or empty gives an empty result)."""
    out = Remarks()
    body = (text or "").strip()
    if not body or body == "-0-":
        return out
    items = _split(body)
    if len(body) >= LEGACY_REMARKS_LIMIT and not body.endswith("."):
        # Cut by the legacy file's length cap: a partial value (wallet, name) would mislead.
        cut = items.pop()
        out.info.append(("truncated", cut))
        out.warnings.append(f"Remarks cut at {len(body)} characters; last item unparsed: {cut!r}")
    elif items and items[-1].endswith(".") and not _ABBREVIATION_END.search(items[-1]):
        items[-1] = items[-1][:-1].rstrip()
    for item in items:
        if item:
            _parse_item(item, out)
    return out


def _match(item: str) -> tuple[str, str, str, str] | None:
    """(family, name, label as written, value) for an item with a known label."""
    for pattern, family, name in _MATCHERS:
        m = pattern.match(item)
        if m:
            return family, name, m.group("label"), m.group("value").strip()
    return None


def _is_open(item: str) -> bool:
    """True while an item has an unclosed parenthesis or an unterminated quoted alias."""
    if item.count("(") > item.count(")"):
        return True
    m = _match(_ALT.sub("", item, count=1))
    if m and m[1] in _ALIAS_KINDS and m[3].startswith("'"):
        return len(m[3]) < 2 or not m[3].rstrip(".").endswith("'")
    return False


def _split(body: str) -> list[str]:
    """Split on "; ", re-joining pieces that continue the previous item."""
    items: list[str] = []
    for raw in re.split(r";\s+", body):
        piece = raw.strip()
        bare = _ALT.sub("", piece, count=1)
        continues = re.match(r"(?:issued|expires)\b", piece, re.IGNORECASE) is not None
        if items and (continues or (_is_open(items[-1]) and _match(bare) is None)):
            items[-1] = f"{items[-1]}; {piece}" if not continues else f"{items[-1]} {piece}"
        else:
            items.append(piece)
    return items


def _parse_item(item: str, out: Remarks) -> None:
    bare = _ALT.sub("", item, count=1)
    m = _match(bare)
    if m is None:
        doc = _BARE_DOCUMENT.match(bare)
        if doc:
            out.warnings.append(f"identifier without label: {item!r}")
            _add_identifier(out, "document", "", bare)
        elif _DESCRIPTION.search(bare) and not _LABELLED_NUMBER.search(bare):
            out.info.append(("description", bare))
        else:
            out.unknown.append(item)
        return
    family, name, label, value = m
    if not value:
        out.warnings.append(f"no value after {label!r}")
    if family == "id":
        _add_identifier(out, name, label, value)
    elif family == "info":
        out.info.append((label.rstrip(":- "), value))
    else:
        _add_attribute(out, name, label, value)


def _add_attribute(out: Remarks, name: str, label: str, value: str) -> None:
    if name in _ALIAS_KINDS:
        alias = value
        if len(alias) >= 2 and alias[0] == alias[-1] == "'":
            alias = alias[1:-1]
        else:
            out.warnings.append(f"unbalanced quotes in {label} {value!r}")
            alias = alias.strip("'")
        if alias.strip():
            out.aliases.append((name, alias.strip()))
    elif name == "wallets":
        chain, _, address = value.partition(" ")
        if not address.strip():
            out.warnings.append(f"digital currency address without chain or address: {value!r}")
        out.wallets.append((chain.upper(), address.strip()))
    elif name == "gender":
        if out.gender is not None and out.gender != value:
            out.warnings.append(f"conflicting gender {value!r} (kept {out.gender!r})")
        elif value:
            out.gender = value
    elif value:
        target: list[str] = getattr(out, name)
        target.append(value)


def _add_identifier(out: Remarks, scheme: str, label: str, value: str) -> None:
    details = None
    trailer = _TRAILER.search(value)
    if trailer:
        details = trailer.group(1).strip()
        value = value[: trailer.start()]
    country = None
    paren = _COUNTRY.search(value)
    if paren and paren.start() > 0:
        country = paren.group(1).strip()
        value = value[: paren.start()]
    value = value.strip().rstrip(",")
    if scheme == "other_id" and value.upper().startswith("ISIN:"):
        scheme, value = "isin", value[5:].strip()
    _validate(out, scheme, value)
    out.identifiers.append(Identifier(scheme, value, country, label, details))


def imo_is_valid(number: str) -> bool:
    """IMO ship number: 7 digits, sum of the first six weighted 7..2, mod 10 == the last."""
    if not _IMO_DIGITS.fullmatch(number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(number[6])


def _validate(out: Remarks, scheme: str, value: str) -> None:
    if scheme == "uscc" and not _uscc.is_valid(value):
        out.warnings.append(f"invalid USCC check digit: {value!r}")
    elif scheme == "lei" and not _lei.is_valid(value):
        out.warnings.append(f"invalid LEI check digits: {value!r}")
    elif scheme == "imo" and not imo_is_valid(value):
        out.warnings.append(f"invalid IMO check digit: {value!r}")
