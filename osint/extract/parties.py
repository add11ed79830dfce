"""Domain rules for organizations and people on seller pages and in press releases.

The general English model tags product names ("4-ANPP Powder"), menu items ("Hot Products"),
couriers ("DHL"), payment brands and the agencies that write press releases as ORG, and
officials quoted in a release as PERSON. Those are not the parties a border agency looks for.
This module (1) finds parties the model misses, from the page's own structure: legal-form
company names ("... Co., Ltd."), Chinese company names ("...有限公司"), and labels such as
"Company:", "Supplier:", "Shipper:", "Contact person:"; and (2) rejects model entities that are
chemicals, identifiers, products, menu items, service brands, authorities or officials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from osint.normalize import normalize_name

# Company legal forms, as written after a name (longest first).
LEGAL_FORM = (
    r"(?:Co\.?,?\s*Ltd\.?|Co\.,?\s*Limited|Company\s+Limited|Pvt\.?\s+Ltd\.?|Private\s+Limited|"
    r"Limited|Ltd\.?|Inc\.?|Incorporated|L\.?L\.?C\.?|Corp\.?|Corporation|GmbH|"
    r"S\.A\.\s+de\s+C\.V\.|S\.\s?de\s+R\.L\.(?:\s+de\s+C\.V\.)?|S\.A\.|S\.R\.L\.|B\.V\.|"
    r"Sdn\.?\s+Bhd\.?|PLC|LLP|Pte\.?\s+Ltd\.?|OOO|JSC)"
)
_NAME_WORD = r"(?:[A-Z][\w&'\u2019.\-]*|&|and|of|de|\(\w+\))"
LEGAL_NAME = re.compile(
    rf"(?<![\w-])((?:{_NAME_WORD}[ \t]+){{0,7}}[A-Z][\w&'\u2019.\-]*,?[ \t]+{LEGAL_FORM})(?![\w])"
)
CHINESE_COMPANY = re.compile(
    r"[\u4e00-\u9fff\uff08\uff09()]{2,30}?(?:股份有限公司|有限责任公司|有限公司)"
)
# "Company: Name" / "Supplier Name: Name", or the label alone on a line and the name on the next.
_ORG_LABELS = (
    r"company(?:\s+name)?|supplier|seller|manufacturer|vendor|exporter|importer|shipper|"
    r"consignee|notify(?:\s+party)?|forwarder|freight\s+forwarder|store|shop|factory|"
    r"公司名称|公司|供应商"
)
_PERSON_LABELS = (
    r"contact(?:\s+person)?|contact\s+name|sales(?:\s+manager)?|manager|representative|"
    r"联系人"
)
ORG_LABEL = re.compile(
    rf"^[ \t]*(?:{_ORG_LABELS})[ \t]*[:\uff1a][ \t]*(?P<value>[^\n]{{3,120}})$"
    rf"|^[ \t]*(?:{_ORG_LABELS})[ \t]*[:\uff1a]?[ \t]*\n(?P<next>[^\n]{{3,120}})$",
    re.IGNORECASE | re.MULTILINE,
)
PERSON_LABEL = re.compile(
    rf"^[ \t]*(?:{_PERSON_LABELS})[ \t]*[:\uff1a][ \t]*(?P<value>[^\n]{{2,80}})$",
    re.IGNORECASE | re.MULTILINE,
)
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr|mme|sr|sra)\.?\s+", re.IGNORECASE)
_PERSON_NAME = re.compile(
    r"^(?:[A-Z][a-z'\u2019\-]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z'\u2019\-]+|[A-Z]{2,})){1,3}$"
)
_CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_CUT = re.compile(r"\s*(?:[|,;(]|\s-\s|\bTel\b|\bPhone\b|\bEmail\b|\bE-mail\b|电话|手机).*$")

# Words that make an ORG a product, a chemical, or page furniture.
_PRODUCT = re.compile(
    r"(?i)\b(?:powder|crystal|crystals|liquid|oil|purity|cas|moq|price|sample|samples|"
    r"products?|hot|new|top|best|sale|buy|order|cart|inquiry|enquiry|quote|chat|login|"
    r"register|home|about|contact|faq|shipping|delivery|payment|categories|category|"
    r"supplier|suppliers|certificate|specification|packaging|package|kg|gram|grams)\b"
)
_CHEMICAL = re.compile(
    r"(?i)(?:piperid|phenyl|anilin|propion|benzyl|fentanyl|chloride|bromide|hydrochloride|"
    r"\bhcl\b|\bacid\b|ester\b|carbox|glycid|ketone|\b\d-[a-z])"
)
# Authorities: they write the press releases; they are not the parties.
_AUTHORITY = re.compile(
    r"(?i)\b(?:department|ministry|administration|agency|bureau|office|court|police|customs|"
    r"attorney|attorneys|commission|treasury|government|prosecutors?|sheriff|"
    r"interpol|europol|homeland|state\s+council|congress|senate|united\s+nations|"
    r"security\s+council|FBI|DEA|HSI|CBP|ICE|OFAC|DOJ|FinCEN|USPIS|IRS|SEMAR|FGR|CBSA|RCMP|"
    r"NCA|MPS|SAMR|NNCC|Federal|National\s+Narcotics|Secretar[ií]a|Fiscal[ií]a)\b"
)
# Brands pages name as services, not as parties (couriers, payments, crypto, platforms).
SERVICE_BRANDS = frozenset(
    normalize_name(n)
    for n in (
        "DHL", "FedEx", "Fedex", "EMS", "TNT", "UPS", "USPS", "Aramex", "SF Express",
        "China Post", "EMS China Post", "Royal Mail", "DPD", "GLS", "Estafeta",
        "Western Union", "MoneyGram", "PayPal", "Paypal", "Alipay", "WeChat Pay", "Visa",
        "MasterCard", "Mastercard", "Bitcoin", "BTC", "USDT", "Tether", "Ethereum", "Monero",
        "Binance", "Coinbase", "T/T", "Bank Transfer", "Escrow", "Trade Assurance",
        "WhatsApp", "Whatsapp", "WeChat", "Wechat", "Telegram", "Wickr", "Signal", "Skype",
        "Viber", "Threema", "Google", "Facebook", "Twitter", "LinkedIn", "YouTube",
        "Alibaba", "Made-in-China", "Made in China", "ECHEMI", "Echemi", "ChemicalBook",
        "LookChem", "Guidechem", "Molbase", "ChemNet", "Tradeindia", "IndiaMART", "GMP",
        "ISO", "SGS", "COA", "MSDS", "HPLC", "NMR",
    )
)  # fmt: skip
_OFFICIAL_BEFORE = re.compile(
    r"(?i)(?:attorney(?:\s+general)?|administrator|secretary|director|agent|judge|"
    r"commissioner|chief|minister|spokes(?:person|man|woman)|deputy|inspector|prosecutor|"
    r"governor|senator|ambassador|president|officer|acting|said|according\s+to|"
    r"under\s+secretary|assistant|in\s+charge|u\.s\.\s+attorney)[\s,]*(?:[A-Z][\w.'-]*\s+){0,3}$"
)
_OFFICIAL_AFTER = re.compile(
    r"^[\s,]+(?:said|stated|announced|added|the\s+(?:u\.s\.\s+)?(?:attorney|administrator|"
    r"secretary|director|special\s+agent)|(?:u\.s\.\s+)?attorney\s+for|special\s+agent|"
    r"administrator|director|secretary|assistant\s+attorney)",
    re.IGNORECASE,
)


# Words that describe a company without naming it ("a Chinese chemical company").
_GENERIC = frozenset(
    "a an the chinese indian mexican american us u s canadian foreign local two three several "
    "chemical chemicals company companies firm firms business businesses supplier suppliers "
    "manufacturer manufacturers vendor vendors trader traders trading pharmaceutical pharma "
    "biotech biotechnology laboratory laboratories lab labs executives employees group groups "
    "international global industrial industries enterprise enterprises co ltd limited inc llc "
    "corp corporation and of its their based cartel cartels organization organizations".split()
)


def is_generic(name: str) -> bool:
    """True when every word of a name is a description ("Chinese Chemical Company")."""
    words = normalize_name(name).split()
    return bool(words) and all(w in _GENERIC for w in words)


def legal_names(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of company names written with a legal form, in Latin or Chinese."""
    for m in LEGAL_NAME.finditer(text):
        name = m.group(1).strip()
        start = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip()))
        # Leading connective words are not part of the name ("and Hebei ...", "of ...").
        lead = re.match(r"(?:(?:and|of|de|&|The|the)\s+)+", name)
        if lead:
            start += lead.end()
            name = name[lead.end() :]
        if len(name.split()) >= 2:
            yield start, start + len(name), name
    for m in CHINESE_COMPANY.finditer(text):
        yield m.start(), m.end(), m.group(0)


def _cut(value: str) -> str:
    return _CUT.sub("", value).strip(" .:-")


def labelled_orgs(text: str) -> Iterator[tuple[int, int, str]]:
    """Names after labels such as "Company:", "Supplier:", "Shipper:" (same or next line)."""
    for m in ORG_LABEL.finditer(text):
        group = "value" if m.group("value") is not None else "next"
        value = _cut(m.group(group))
        if value and reject_org(value) is None and not _HAS_DIGIT_RUN.search(value):
            start = m.start(group)
            yield start, start + len(value), value


_HAS_DIGIT_RUN = re.compile(r"\d{3,}|@|https?://|www\.")


def person_name(value: str) -> str | None:
    """A person's name as written after a label, honorific removed, or None."""
    name = _HONORIFIC.sub("", _cut(value)).strip()
    if _PERSON_NAME.match(name) or _CHINESE_NAME.match(name):
        return name
    return None


def labelled_people(text: str) -> Iterator[tuple[int, int, str]]:
    """Names after "Contact person:", "Contact:", "Manager:" labels."""
    for m in PERSON_LABEL.finditer(text):
        raw = m.group("value")
        name = person_name(raw)
        if name is None:
            continue
        offset = raw.find(name)
        start = m.start("value") + max(offset, 0)
        yield start, start + len(name), name


def reject_org(name: str) -> str | None:
    """Why an ORG is not a party (a product, chemical, service, authority), or None."""
    norm = normalize_name(name)
    if len(norm) < 3 or not re.search(r"[^\W\d_]", name):
        return "too short"
    if norm in SERVICE_BRANDS or any(part in SERVICE_BRANDS for part in norm.split(" / ")):
        return "service brand"
    has_form = LEGAL_NAME.fullmatch(name.strip()) is not None or bool(
        CHINESE_COMPANY.fullmatch(name.strip())
    )
    if _AUTHORITY.search(name):
        return "authority"
    if is_generic(name):
        return "generic description"
    if has_form:
        return None
    if _CHEMICAL.search(name):
        return "chemical"
    if _PRODUCT.search(name):
        return "product or page text"
    if name.isupper() and len(norm.replace(" ", "")) <= 4:
        return "abbreviation"
    return None


# "Hubei Qianyue Biotechnology Co., Ltd. (Qianyue)" / ("Qianyue"): the short name used after.
SHORT_NAME = re.compile(
    r"\s*\(\s*[\"\u201c']?([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,2})[\"\u201d']?\s*\)"
)


def short_name(text: str, end: int, full: str) -> tuple[int, int, str] | None:
    """The parenthesized short name right after an organization's name, if it is one of the
    name's own words (so "(Qianyue)" counts, "(PRC)" or "(the Company)" does not)."""
    m = SHORT_NAME.match(text, end)
    if m is None:
        return None
    short = m.group(1)
    words = {w.lower() for w in re.findall(r"[\w&\-]+", full)}
    if not all(w.lower() in words for w in short.split()) or short.lower() in _GENERIC:
        return None
    return m.start(1), m.end(1), short


AKA_AFTER = re.compile(
    r"[\s,(]*(?:also\s+known\s+as|a/k/a|a\.k\.a\.?|aka|formerly\s+known\s+as|f\.k\.a\.?|"
    r"doing\s+business\s+as|d/b/a|also\s+called|operating\s+as)[\s:\"\u201c']*"
    r"(?P<name>(?:[A-Z0-9][\w&'.\-]*)(?:[ \t]+(?:[A-Z0-9][\w&'.\-]*|&|and|of)){0,7})",
    re.IGNORECASE,
)


def aka_name(text: str, end: int) -> tuple[int, int, str] | None:
    """The name after "also known as" right after an entity, as (start, end, name)."""
    m = AKA_AFTER.match(text, end)
    if m is None:
        return None
    name = re.sub(r"(?:\s+(?:and|of|&))+$", "", m.group("name")).rstrip(".,")
    if not name or not name[0].isupper():
        return None
    return m.start("name"), m.start("name") + len(name), name


def is_official(text: str, start: int, end: int) -> bool:
    """True when the person at text[start:end] is named in an official role."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 80) : start]
    after = text[end : end + 60]
    return bool(_OFFICIAL_BEFORE.search(before) or _OFFICIAL_AFTER.match(after))


def reject_person(name: str) -> str | None:
    """Why a PERSON is not a person (a brand, a company, a single first name), or None."""
    norm = normalize_name(name)
    if norm in SERVICE_BRANDS:
        return "service brand"
    if re.search(r"\d|@", name):
        return "digits"
    if LEGAL_NAME.search(name) or _AUTHORITY.search(name):
        return "organization"
    if len(norm.split()) < 2 and not _CHINESE_NAME.match(name.strip()):
        return "single name"
    if _PRODUCT.search(name) or _CHEMICAL.search(name):
        return "product or page text"
    return None
