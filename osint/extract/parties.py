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

from osint.normalize import normalize_name, to_iso2

# Company legal forms, as written after a name (longest first).
LEGAL_FORM = (
    r"(?i:Co\.?,?\s*Ltd\.?|Co\.,?\s*Limited|Company\s+Limited|Pvt\.?\s+Ltd\.?|Private\s+Limited|"
    r"Limited|Ltd\.?|Inc\.?|Incorporated|L\.?L\.?C\.?|Corp\.?|Corporation|GmbH|"
    r"S\.A\.\s+de\s+C\.V\.|S\.\s?de\s+R\.L\.(?:\s+de\s+C\.V\.)?|S\.A\.|S\.R\.L\.|B\.V\.|"
    r"Sdn\.?\s+Bhd\.?|PLC|LLP|Pte\.?\s+Ltd\.?|OOO|JSC|S\.C\.|S\.A\.P\.I\.\s+de\s+C\.V\.)"
)
_NAME_WORD = r"(?:[A-Z][\w&'\u2019.\-]*|&|and|of|de|del|la|las|los|y|e|\(\w+\))"
LEGAL_NAME = re.compile(
    rf"(?<![\w-])((?:{_NAME_WORD}[ \t]+){{0,7}}[A-Z][\w&'\u2019.\-]*,?[ \t]+{LEGAL_FORM})(?![\w])"
)
CHINESE_COMPANY = re.compile(
    r"[\u4e00-\u9fff\uff08\uff09()]{2,30}?(?:股份有限公司|有限责任公司|有限公司)"
)
# Words that end the text before a Chinese company name ("位于武汉市的" "located in ... 's").
_CHINESE_LEAD = re.compile(r"^.*[的在于与和及是被向从将对]")
# "Company: Name" / "Supplier Name: Name", or the label alone on a line and the name on the next.
_ORG_LABEL = (
    r"company(?:\s+name)?|supplier|seller|manufacturer|vendor|exporter|importer|shipper|"
    r"consignee|notify(?:\s+party)?|forwarder|freight\s+forwarder|store|shop|factory|"
    r"公司名称|公司|供应商"
)
# "Exporter / Shipper:" is one label.
_ORG_LABELS = rf"(?:{_ORG_LABEL})(?:\s*/\s*(?:{_ORG_LABEL}))*"
_PERSON_LABELS = (
    r"contact(?:\s+person)?|contact\s+name|sales(?:\s+manager)?|manager|representative|"
    r"(?:managing|general|export|sales|finance)\s+(?:director|manager|officer)|director|ceo|"
    r"legal\s+representative|owner|founder|联系人|法人|法定代表人"
)
ORG_LABEL = re.compile(
    rf"^[ \t]*(?:{_ORG_LABELS})[ \t]*[:\uff1a][ \t]*(?P<value>[^\n]{{3,120}})$"
    rf"|^[ \t]*(?:{_ORG_LABELS})[ \t]*[:\uff1a]?[ \t]*\n(?P<next>[^\n]{{3,120}})$",
    re.IGNORECASE | re.MULTILINE,
)
PERSON_LABEL = re.compile(
    rf"(?:^|[|\u00b7\u2022]|(?<=[ \t\u00a0]))[ \t\u00a0]*(?:{_PERSON_LABELS})[ \t]*[:\uff1a][ \t]*"
    r"(?P<value>[^\n|\u00b7\u2022]{2,80}?)"
    rf"(?=[ \t\u00a0]+(?:{_PERSON_LABELS})[ \t]*[:\uff1a]|[ \t\u00a0]{{2,}}|[|\u00b7\u2022]|$)",
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
    r"(?i)(?:caine\b|caina\b|amol\b|azine\b|xilacina|clorhidrato|\b(?:ip|bp|usp|ep)\b|"
    r"piperid|phenyl|anilin|propion|benzyl|fentanyl|chloride|bromide|hydrochloride|"
    r"\bhcl\b|\bacid\b|ester\b|carbox|glycid|ketone|\b\d-[a-z])"
)
# Field labels and page text the model takes for organizations ("Email Address", "Notify
# Party", "Place of Origin Wuhan", "Verified Business License", "ISO 9001").
_LABEL_WORDS = re.compile(
    r"(?i)\b(?:address|number|code|date|type|passport|origin|licen[cs]e|certificate|certified|"
    r"iso|e-?mail|phone|tel|mobile|website|nationality|gender|party|notify|consignee|shipper|"
    r"importer|exporter|vessel|voyage|port|verified|established|registration|digital|"
    r"currency|updated|backup|house|envios?|vistas)\b"
)
_STREET = re.compile(
    r"(?i)\b(?:dr|drive|st|street|rd|road|ave|avenue|blvd|boulevard|lane|ln|highway|hwy|"
    r"suite|floor|building|park|plaza|crescent|way|place|pl|court|ct)\b\.?$"
)
# Spanish (and English) function words a name does not start with: the English model run on
# Spanish text tags "el conocimiento de embarque" as an organization.
_FUNCTION_START = re.compile(
    r"(?i)^(?:el|la|los|las|del|de|fue|un|una|y|en|con|por|para|of|for|with|by|to)\b"
)
_SERVICE_TOKENS = frozenset(
    "dhl fedex ems tnt ups usps aramex gls dpd estafeta btc xmr usdt eth ltc trx bitcoin monero "
    "tether ethereum litecoin western union moneygram paypal alipay whatsapp telegram wechat "
    "wickr signal skype viber threema and y or mobile backup trc20 erc20 bep20 only via wire "
    "bank transfer tel".split()
)
# Authorities: they write the press releases; they are not the parties.
_AUTHORITY = re.compile(
    r"(?i)\b(?:department|ministry|administration|agency|bureau|office|court|police|customs|"
    r"attorney|attorneys|commission|treasury|government|prosecutors?|sheriff|"
    r"interpol|europol|homeland|state\s+council|congress|senate|united\s+nations|"
    r"security\s+council|FBI|DEA|HSI|CBP|ICE|OFAC|DOJ|FinCEN|USPIS|IRS|SEMAR|FGR|CBSA|RCMP|"
    r"NCA|MPS|SAMR|NNCC|Federal|National\s+Narcotics|Secretar[ií]a|Fiscal[ií]a|protection|"
    r"division|magistrate|service|health\s+canada|aduanas|guardia|ej[eé]rcito|marina|"
    r"polic[ií]a|ministerial)\b|公安|海关|检察院|法院"
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
# Government titles only: a company's "director" or "finance officer" is a party.
_GOV_TITLE = (
    r"attorney(?:\s+general)?|administrator|secretary|special\s+agent|agent\s+in\s+charge|"
    r"judge|magistrate|commissioner|minister|spokes(?:person|man|woman)|inspector|prosecutor|"
    r"governor|senator|ambassador|superintendent|sheriff|ministro|fiscal|secretari[oa]|"
    r"vocero|comisario|u\.s\.\s+attorney|under\s+secretary"
)
_OFFICIAL_BEFORE = re.compile(
    rf"(?i)(?:\b(?:{_GOV_TITLE})[\s,]*(?:[A-Z][\w.'-]*\s+){{0,3}}"
    r"|\b(?:said|according\s+to|stated)\s+(?:[\w.'-]+\s+){0,8})$"
)
_OFFICIAL_AFTER = re.compile(
    r"^[\s,]+(?:said|stated|announced|added|"
    rf"(?:the\s+)?(?:united\s+states\s+|u\.s\.\s+|acting\s+|deputy\s+|assistant\s+)*(?:{_GOV_TITLE}))",
    re.IGNORECASE,
)


# Words that describe a company without naming it ("a Chinese chemical company").
_GENERIC = frozenset(
    "a an the chinese indian mexican american us u s canadian foreign local two three several "
    "chemical chemicals company companies firm firms business businesses supplier suppliers "
    "manufacturer manufacturers vendor vendors trader traders trading pharmaceutical pharma "
    "biotech biotechnology laboratory laboratories lab labs executives employees group groups "
    "international global industrial industries enterprise enterprises co ltd limited inc llc "
    "corp corporation and of its their based organization organizations agents brokers "
    "network terrorism crime organized traffickers smugglers drug drugs abuse tied".split()
)


_CONNECTORS = frozenset("de del la las los y e and of the und da do dos van von der".split())


def mostly_lower(name: str) -> bool:
    """A lower-case word that is not a connector ("Netherlands ships", "scam board"): a phrase,
    not a name."""
    words = [w for w in name.split() if w[:1].isalpha()]
    return any(w[0].islower() and w.lower() not in _CONNECTORS for w in words)


def is_generic(name: str) -> bool:
    """True when every word of a name is a description ("Chinese Chemical Company")."""
    words = normalize_name(name).split()
    return bool(words) and all(w in _GENERIC for w in words)


# Russian legal forms before a quoted name: OOO «KhimSnab Treid» (in Cyrillic).
CYRILLIC_COMPANY = re.compile(
    # OOO, OAO, ZAO, PAO, AO, IP in Cyrillic (escapes: they look like Latin letters)
    "(?:\u041e\u041e\u041e|\u041e\u0410\u041e|\u0417\u0410\u041e|\u041f\u0410\u041e|"
    '\u0410\u041e|\u0418\u041f)\\s*[\u00ab"][^\u00bb"\\n]{2,60}[\u00bb"]'
)


def legal_names(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of company names written with a legal form: Latin, Chinese, Russian."""
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
        name = m.group(0)
        lead = _CHINESE_LEAD.match(name[:-4])
        start = m.start() + (lead.end() if lead else 0)
        if m.end() - start >= 6:
            yield start, m.end(), text[start : m.end()]
    for m in CYRILLIC_COMPANY.finditer(text):
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
    has_form = any(
        p.fullmatch(name.strip()) for p in (LEGAL_NAME, CHINESE_COMPANY, CYRILLIC_COMPANY)
    )
    if has_form:  # authorities have no legal form; "Frontera Customs Brokerage Inc." is a company
        return None
    if _AUTHORITY.search(name):
        return "authority"
    if is_generic(name):
        return "generic description"
    if mostly_lower(name):
        return "not a name"
    words = norm.split()
    if all(w in _SERVICE_TOKENS for w in words):
        return "service brands"
    if _LABEL_WORDS.search(name):
        return "field label"
    if _FUNCTION_START.match(name.strip()) or len(words) > 6:
        return "not a name"
    if re.search(r"\d{3,}", name) or _STREET.search(name.strip()):
        return "address or number"
    if to_iso2(name.strip()) is not None:
        return "a place"
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
    if _PRODUCT.search(name) or _CHEMICAL.search(name) or _LABEL_WORDS.search(name):
        return "product or page text"
    if _PERSON_NOT_NAME.search(name) or _PERSON_NOT_NAME.search(norm) or _STREET.search(name):
        return "company, place or page words"
    if mostly_lower(name):
        return "not a name"
    if re.match(rf"(?i)(?:{_GOV_TITLE})\b", name.strip()):
        return "official"  # "Superintendent Farrah Lindqvist": the title is in the span
    if sum("\u4e00" <= ch <= "\u9fff" for ch in name) > 4:
        return "Chinese text, not a name"
    return None


# Words in a model PERSON that make it a company, a place or page text.
_PERSON_NOT_NAME = re.compile(
    r"(?i)\b(?:bio|biotech|pharm|pharma|chem|chemical|quimica|qu\u00edmica|trade|trading|tech|"
    r"technology|industries|group|webworks|reviews?|customer|sitemap|links|english|plaza|"
    r"forum|freight|term|estimated|arrival|provincia|oficina|gender|sheva|xingang|somos|"
    r"quienes|qui\u00e9nes|nosotros|contacto|pochta|rossii)\b"
)
# A role after a name on a contact line: "Liu Jianguo Sales", "Priya Nair Export Manager".
_ROLE_TAIL = re.compile(
    r"(?:\s+(?:sales|export|manager|director|ceo|gm|english|chinese|español))+$", re.IGNORECASE
)
# OFAC style in designation releases: "ZHAO, Lina", "BELTRAN OCHOA, Jesus Armando".
SURNAME_FIRST = re.compile(
    r"(?<![\w,])([A-Z\u00c0-\u00de]{2,}(?:[ -][A-Z\u00c0-\u00de]{2,}){0,2}),[ \t]+"
    r"([A-Z][a-z\u00e0-\u00ff]+(?:[ \t]+[A-Z][a-z\u00e0-\u00ff]+){0,2})(?![\w])"
)


def strip_role(name: str) -> str:
    return _ROLE_TAIL.sub("", name).strip()


def surname_first(text: str) -> Iterator[tuple[int, int, str]]:
    """People written "SURNAME, Given Names" (as OFAC lists them)."""
    for m in SURNAME_FIRST.finditer(text):
        surname, given = m.group(1), m.group(2)
        if to_iso2(surname) is not None or normalize_name(surname) in SERVICE_BRANDS:
            continue  # "MEXICO, Sinaloa", "WASHINGTON, The"
        if given.lower() in _CONNECTORS or _AUTHORITY.search(surname):
            continue
        yield m.start(), m.end(), m.group(0)
