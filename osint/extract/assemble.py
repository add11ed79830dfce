"""Record assembly: a document's mentions to entity records (the record contract).

* Seller pages (``listing``, ``supplier``, ``forum``): one seller, the organization the page
  presents (its structured seller field, else a labelled "Company:"/"Supplier:" name, else the
  first legal-form name, else the most mentioned ORG), with every contact on the page: phones,
  emails, websites, wallets, messenger handles, USCC, analytics ids (not on a marketplace's
  listing page, where the platform's own domain and analytics are not the seller's), the
  chemicals offered and HS codes. Contact persons become person records ``contact_of`` the
  seller; other organizations named on the page become records of their own, less confident.
* Articles (``press_release``, ``shipping``, ``page``): each organization and person named,
  a.k.a. chains ("X, also known as Y") folded into one record's aliases, identifiers given to
  the nearest entity in the same paragraph, countries from places in the same sentence,
  chemicals from the same paragraph; "Shipper:"/"Consignee:" labels give ``ships_to``.

Record keys follow the architecture: the document's URL plus the entity's position
(``#seller``, ``#org-2``, ``#person-1``). Every record carries its evidence: each value with the
character span it came from and what found it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from itertools import pairwise
from typing import Any

from osint.extract.common import unique
from osint.extract.mentions import Mention, name_key
from osint.extract.text import PageInput
from osint.normalize import normalize_email, registered_domain, to_e164, to_iso2
from osint.records import Record, Relation

SELLER_PAGES = ("listing", "supplier", "forum")
CONFIDENCE = {"structured": 0.9, "rule:label": 0.9, "rule:legal_form": 0.8, "ner": 0.6}
_AKA = re.compile(
    r"^[\s,(]*(?:also\s+known\s+as|a/k/a|a\.k\.a\.?|aka|formerly\s+known\s+as|f\.k\.a\.?|"
    r"doing\s+business\s+as|d/b/a|also\s+called|operating\s+as)[\s:\u201c\"']*$",
    re.IGNORECASE,
)
_EMPLOYEE = re.compile(
    r"^,?\s+(?:a|an|the)\s+[\w\s-]{0,40}?\b(?:of|at|for|with)\s+$", re.IGNORECASE
)
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_SENTENCE_END = re.compile(r"[.!?。](?:\s|$)")
# Lines that name where goods go, not where the seller is ("We ship to Mexico, USA, Canada").
_DESTINATION = re.compile(
    r"(?i)\b(?:ship(?:s|ped|ping)?|deliver(?:y|s|ed)?|export(?:s|ed|ing)?|destinations?|"
    r"worldwide|markets?|customers?|clients?|door\s+to\s+door|into|import(?:s|ed|ing)?|"
    r"smuggl\w*|sold\s+to|to\s+(?:the\s+)?(?:usa|us|uk|eu|united))\b"
)
_ADDRESS = re.compile(
    r"^[ \t]*(?:address|company\s+address|add|地址)[ \t]*[:\uff1a][ \t]*([^\n]{5,200})$",
    re.IGNORECASE | re.MULTILINE,
)
_CONTACT_LABELS = (
    "PHONE", "EMAIL", "URL", "WALLET", "MESSENGER", "USCC", "ICP", "ANALYTICS_ID",
)  # fmt: skip
_ID_LABELS = {"USCC", "IMO", "MMSI", "CONTAINER", "ICP", "MESSENGER", "ANALYTICS_ID"}


class _Builder:
    """One record under construction, with the evidence for each value."""

    def __init__(self, page: PageInput, key: str, kind: str, name: str, origin: str) -> None:
        self.record = Record(
            source=page.source,
            source_key=f"{page.url}#{key}",
            doc_id=page.doc_id,
            kind=kind,  # type: ignore[arg-type]
            name=name,
            origin=origin,
            confidence=CONFIDENCE.get(origin.split("+")[0], 0.6),
        )
        self.evidence: list[dict[str, Any]] = []
        self.names = {name_key("ORG" if kind == "organization" else "PERSON", name)}

    def alias(self, m: Mention) -> None:
        if m.value not in self.names and m.text != self.record.name:
            self.names.add(m.value)
            self.record.aliases.append(m.text)
        self.evidence.append(_evidence("aliases", m.text, m))

    def add(self, m: Mention) -> None:
        r, field = self.record, _FIELD.get(m.label)
        if field is None:
            return
        target: list[str] = getattr(r, field)
        value = m.value
        if m.label == "GPE":
            iso = to_iso2(m.text)
            if iso is None:
                return
            value = iso
        if value and value not in target:
            target.append(value)
            self.evidence.append(_evidence(field, value, m))


_FIELD = {
    "PHONE": "phones",
    "EMAIL": "emails",
    "URL": "domains",
    "WALLET": "wallets",
    "PRECURSOR": "chemicals",
    "HS_CODE": "hs_codes",
    "GPE": "countries",
    **dict.fromkeys(_ID_LABELS, "identifiers"),
}


def _evidence(field: str, value: str, m: Mention) -> dict[str, Any]:
    return {"field": field, "value": value, "start": m.start, "end": m.end, "origin": m.origin}


def assemble(page: PageInput, found: list[Mention], origin: str) -> list[Record]:
    """The records one document gives (see the module docstring)."""
    builders = (
        _seller_page(page, found, origin)
        if page.kind in SELLER_PAGES
        else _article(page, found, origin)
    )
    records = []
    for b in builders:
        r = b.record
        r.domains = unique([*r.domains, *(registered_domain(e) for e in r.emails)])
        r.evidence = b.evidence
        records.append(r)
    return records


def _grouped(found: list[Mention], label: str) -> list[list[Mention]]:
    """Mentions of one label grouped by name key, in first-mention order."""
    groups: dict[str, list[Mention]] = {}
    for m in found:
        if m.label == label:
            groups.setdefault(m.value, []).append(m)
    return list(groups.values())


def _seller_name(page: PageInput, orgs: list[list[Mention]]) -> tuple[str, str] | None:
    seller = page.fields.get("seller")
    if isinstance(seller, str) and seller.strip():
        return seller.strip(), "structured"
    for origin in ("rule:label", "rule:legal_form"):
        for group in orgs:
            if any(m.origin == origin for m in group):
                return group[0].text, origin
    if orgs:
        best = max(orgs, key=len)
        return best[0].text, best[0].origin
    return None


def _structured_contacts(page: PageInput, seller: _Builder) -> None:
    hint = page.country
    for field, label in (("phone", "PHONE"), ("whatsapp", "PHONE"), ("email", "EMAIL")):
        raw = page.fields.get(field)
        for item in raw if isinstance(raw, list) else [raw]:
            if not isinstance(item, str):
                continue
            value = to_e164(item, hint) if label == "PHONE" else normalize_email(item)
            if value:
                seller.add(Mention(label, item, -1, -1, value, "structured"))
    for app in ("telegram", "wechat", "wickr", "signal", "skype"):
        raw = page.fields.get(app)
        for item in raw if isinstance(raw, list) else [raw]:
            handle = item.strip().lstrip("@") if isinstance(item, str) else ""
            if handle and not re.fullmatch(r"[+\d\s()-]{7,}", handle):
                value = handle.lower() if app in ("telegram", "skype") else handle
                seller.add(Mention("MESSENGER", handle, -1, -1, f"{app}:{value}", "structured"))
            elif handle and (phone := to_e164(handle, hint)):
                seller.add(Mention("PHONE", handle, -1, -1, phone, "structured", app))
    if seller.record.address is None:
        address = _ADDRESS.search(page.text)
        if address:
            seller.record.address = address.group(1).strip()
            seller.evidence.append(
                {"field": "address", "value": seller.record.address, "start": address.start(1),
                 "end": address.end(1), "origin": "rule:label"}
            )  # fmt: skip
    url = page.fields.get("seller_url")
    if isinstance(url, str) and (domain := registered_domain(url)):
        seller.add(Mention("URL", url, -1, -1, domain, "structured"))
    country = page.fields.get("country")
    if isinstance(country, str) and (iso := to_iso2(country)):
        if iso not in seller.record.countries:
            seller.record.countries.append(iso)


def _seller_page(page: PageInput, found: list[Mention], origin: str) -> list[_Builder]:
    orgs = _grouped(found, "ORG")
    people = _grouped(found, "PERSON")
    platform = registered_domain(page.url) if page.kind == "listing" and page.url else None
    named = _seller_name(page, orgs)
    out: list[_Builder] = []
    if named is not None:
        name, how = named
        seller = _Builder(page, "seller", "organization", name, f"{how}+{origin}")
    elif people:
        seller = _Builder(page, "seller", "person", people[0][0].text, f"ner+{origin}")
        people = people[1:]
    else:
        handle = next((m for m in found if m.label in ("MESSENGER", "EMAIL")), None)
        if handle is None:
            return []
        seller = _Builder(page, "seller", "organization", handle.value, f"handle+{origin}")
        seller.record.confidence = 0.3
    out.append(seller)
    for group in orgs:
        if group[0].value in seller.names or name_key("ORG", seller.record.name) == group[0].value:
            continue
        if any("\u4e00" <= ch <= "\u9fff" for ch in group[0].text):
            seller.alias(group[0])  # the seller's Chinese registered name
            continue
        other = _Builder(page, f"org-{len(out)}", "organization", group[0].text, f"ner+{origin}")
        other.record.confidence = min(other.record.confidence, 0.4)
        out.append(other)
    for m in found:
        if m.label == "URL" and platform and m.value == platform:
            continue
        if m.label == "EMAIL" and platform and m.value.endswith("@" + platform):
            continue
        if m.label == "ANALYTICS_ID" and page.kind == "listing":
            continue
        if m.label == "GPE" and _DESTINATION.search(_line(page.text, m.start)):
            continue
        if m.label in (*_CONTACT_LABELS, "PRECURSOR", "HS_CODE", "GPE", "IMO", "CONTAINER"):
            seller.add(m)
    if page.kind == "supplier" and page.url.startswith("http"):
        if domain := registered_domain(page.url):
            seller.add(Mention("URL", page.url, -1, -1, domain, "page_url"))
    _structured_contacts(page, seller)
    for i, group in enumerate(people, start=1):
        person = _Builder(
            page, f"person-{i}", "person", group[0].text, f"{group[0].origin}+{origin}"
        )
        person.record.relations.append(
            Relation("contact_of", seller.record.name, seller.record.source_key)
        )
        out.append(person)
    return out


def _line(text: str, pos: int) -> str:
    """The line of text around a position."""
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1 : end if end >= 0 else len(text)]


def _starts(text: str, pattern: re.Pattern[str]) -> list[int]:
    """Where each piece of text between matches of pattern starts (paragraphs, sentences)."""
    return [0, *(m.end() for m in pattern.finditer(text))]


def _where(pos: int, starts: list[int]) -> int:
    return bisect_right(starts, pos) - 1


def _article(page: PageInput, found: list[Mention], origin: str) -> list[_Builder]:
    text = page.text
    entities = [m for m in found if m.label in ("ORG", "PERSON")]
    builders: dict[str, _Builder] = {}  # name key -> builder
    owner: dict[int, _Builder] = {}  # mention start -> builder
    counts: Counter[str] = Counter()
    previous: Mention | None = None
    for m in sorted(entities, key=lambda m: m.start < 0):  # those not in the text go last
        b = builders.get(m.value)
        if b is None and previous is not None and previous.label == m.label:
            between = text[previous.end : m.start]
            if _AKA.match(between) and previous.start in owner:
                b = owner[previous.start]
                b.alias(m)
        if b is None:
            kind = "organization" if m.label == "ORG" else "person"
            counts[kind] += 1
            key = f"{'org' if kind == 'organization' else 'person'}-{counts[kind]}"
            b = _Builder(page, key, kind, m.text, f"{m.origin}+{origin}")
        builders.setdefault(m.value, b)
        owner[m.start if m.start >= 0 else -1 - len(owner)] = b
        previous = m
    if not builders:
        return []
    paragraphs = _starts(text, _PARAGRAPH)
    sentences = _starts(text, _SENTENCE_END)
    by_paragraph: dict[int, list[tuple[Mention, _Builder]]] = {}
    by_sentence: dict[int, list[tuple[Mention, _Builder]]] = {}
    entities = [m for m in entities if m.start >= 0]
    for e in entities:
        b = owner[e.start]
        by_paragraph.setdefault(_where(e.start, paragraphs), []).append((e, b))
        by_sentence.setdefault(_where(e.start, sentences), []).append((e, b))
    for m in found:
        if m.label in ("ORG", "PERSON") or m.start < 0:
            continue
        if m.label == "GPE":
            sentence = [(e, b) for e, b in by_sentence.get(_where(m.start, sentences), [])]
            near = [(e, b) for e, b in sentence if 0 <= m.start - e.end <= 150]
            if near and not _DESTINATION.search(text[near[-1][0].end : m.start]):
                near[-1][1].add(m)
            continue
        same = by_paragraph.get(_where(m.start, paragraphs), [])
        if m.label == "PRECURSOR":
            for _e, b in same:
                if b.record.kind == "organization":
                    b.add(m)
            continue
        before = [b for e, b in same if e.start <= m.start]
        target = before[-1] if before else (same[0][1] if same else None)
        if target is not None:
            target.add(m)
    _nationalities(text, sentences, by_sentence)
    _relations(text, entities, owner)
    unique_builders: list[_Builder] = []
    for b in owner.values():
        if b not in unique_builders:
            unique_builders.append(b)
    return unique_builders


_NATIONAL = re.compile(r"\b([A-Z][a-z]+)\s+(?:nationals?|citizens?)\b")


def _nationalities(
    text: str, sentences: list[int], by_sentence: dict[int, list[tuple[Mention, _Builder]]]
) -> None:
    """ "Zhou Mingyang, 41, and Lin Xiaoqing, 36, both Chinese nationals": nationality CN."""
    for m in _NATIONAL.finditer(text):
        iso = to_iso2(m.group(1))
        if iso is None:
            continue
        for e, b in by_sentence.get(_where(m.start(), sentences), []):
            r = b.record
            if r.kind == "person" and e.end <= m.start() and iso not in r.nationality:
                r.nationality.append(iso)
                b.evidence.append(
                    {"field": "nationality", "value": iso, "start": m.start(), "end": m.end(),
                     "origin": "rule:nationals"}
                )  # fmt: skip


_ITS_STAFF = re.compile(
    r"(?i)\b(?:its|their)\s+(?:[\w-]+\s+){0,4}?(?:executives?|employees?|managers?|officers?|"
    r"directors?|owners?|founders?|president|ceo|chairman|representatives?|agents?|staff|"
    r"salespeople|salesm[ae]n|sales\s+manager)\s*[,:]?\s*$"
)
_LIST_GLUE = re.compile(r"^[\s,\d]*(?:and\s+)?$")


def _employ(person: _Builder, org: _Builder) -> None:
    rel = Relation("employee_of", org.record.name, org.record.source_key)
    if person.record.kind == "person" and rel not in person.record.relations:
        person.record.relations.append(rel)


_SHIPPER = re.compile(r"(?i)\bshipper\b")
_CONSIGNEE = re.compile(r"(?i)\bconsignee\b")


def _relations(text: str, entities: list[Mention], owner: dict[int, _Builder]) -> None:
    """employee_of ("X, a manager of Y") and ships_to (labelled shipper -> consignee)."""
    employer: _Builder | None = None  # the company of "X and two of its executives, A and B"
    for a, b in pairwise(entities):
        between = text[a.end : b.start]
        if a.label == "PERSON" and b.label == "ORG" and _EMPLOYEE.match(between):
            _employ(owner[a.start], owner[b.start])
        if a.label == "ORG" and b.label == "PERSON" and _ITS_STAFF.search(between[-200:]):
            employer = owner[a.start]
        elif not (a.label == b.label == "PERSON" and _LIST_GLUE.match(between)):
            employer = None
        if employer is not None and b.label == "PERSON":
            _employ(owner[b.start], employer)
    shipper = consignee = None
    for m in entities:
        line = text[text.rfind("\n", 0, m.start) + 1 : m.start]
        prev_line_start = text.rfind("\n", 0, max(text.rfind("\n", 0, m.start), 0)) + 1
        context = line or text[prev_line_start : m.start]
        if m.label == "ORG" and _SHIPPER.search(context) and shipper is None:
            shipper = owner[m.start]
        elif m.label == "ORG" and _CONSIGNEE.search(context) and consignee is None:
            consignee = owner[m.start]
    if shipper and consignee and shipper is not consignee:
        shipper.record.relations.append(
            Relation("ships_to", consignee.record.name, consignee.record.source_key)
        )
