"""A processed document's entities: the model's ORG/PERSON/GPE cleaned by the domain rules, plus
the rulers' chemicals and identifiers, each with its character span and where it came from.

What ``osint extract --file`` prints and ``osint eval extract`` scores; record assembly builds on
it. Labels: ORG, PERSON, GPE, PRECURSOR, CAS and the identifier labels of
:data:`osint.extract.recognizers.LABELS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from osint.extract import parties
from osint.extract.components import SPAN_GROUP
from osint.extract.recognizers import Found, find_analytics_ids
from osint.normalize import normalize_name, strip_legal_form, to_iso2

NAME_LABELS = ("ORG", "PERSON", "GPE")
_NER_LABELS = {"ORG": "ORG", "PERSON": "PERSON", "GPE": "GPE"}


@dataclass(slots=True)
class Mention:
    """One entity found in a document."""

    label: str
    text: str
    start: int
    end: int
    value: str  # normalized: a matching name, an E.164 phone, `scheme:value`, a lexicon id
    origin: str  # "ner", "rule:<name>", or the component that found it
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "text": self.text,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "origin": self.origin,
            **({"detail": self.detail} if self.detail else {}),
        }


def name_key(label: str, text: str) -> str:
    """The form names are compared in: normalized, organizations without legal form."""
    norm = normalize_name(text)
    if label == "ORG":
        norm = strip_legal_form(norm) or norm
    return norm


# A model entity: (start, end, label, text), read off the Doc once (doc.ents walks the doc).
Ent = tuple[int, int, str, str]


class Taken:
    """The characters already claimed by a mention: overlap checks cost the span's length,
    not the number of mentions (pages can have thousands)."""

    def __init__(self, size: int) -> None:
        self.mask = bytearray(size + 1)

    def overlaps(self, start: int, end: int) -> bool:
        return start >= 0 and any(self.mask[max(start, 0) : end])

    def add(self, start: int, end: int) -> None:
        if start >= 0:
            self.mask[start:end] = b"\x01" * (end - start)

    def copy(self) -> Taken:
        other = Taken(0)
        other.mask = bytearray(self.mask)
        return other


def _orgs(text: str, ents: list[Ent], places: set[str], blocked: Taken) -> list[Mention]:
    # What the model calls a place somewhere on the page is not a company elsewhere ("Sinaloa").
    found: list[Mention] = []
    taken = Taken(len(text))
    for start, end, name in parties.legal_names(text):
        if parties.reject_org(name) is None and not taken.overlaps(start, end):
            found.append(Mention("ORG", name, start, end, name_key("ORG", name), "rule:legal_form"))
            taken.add(start, end)
    for start, end, name in parties.labelled_orgs(text):
        if not taken.overlaps(start, end):
            found.append(Mention("ORG", name, start, end, name_key("ORG", name), "rule:label"))
            taken.add(start, end)
    _short_names(text, found, taken)
    for start, end, label, raw in ents:
        if label != "ORG":
            continue
        name = raw.strip()
        if name.lower().startswith("the "):
            start, name = start + 4, name[4:]
        if name.endswith(("'s", "\u2019s")):  # "Huanan Chem's"
            end, name = end - 2, name[:-2]
        if _NOT_PARTY_FIELD.search(_label_before(text, start)):
            continue  # the vessel, port or street of a bill of lading
        if any(normalize_name(part) in places for part in re.split(r"\s+(?:y|and|&)\s+", name)):
            continue
        if taken.overlaps(start, end) or blocked.overlaps(start, end):
            continue
        if normalize_name(name) in places or parties.reject_org(name) is not None:
            continue
        key = name_key("ORG", name)
        if len(key.split()) == 1:
            # One word alone ("Huanan", "Brooks") is a company only as the short form of a
            # company named in full on the page.
            owner = next((m for m in found if key in m.value.split() and m.value != key), None)
            if owner is None:
                continue
            key = owner.value
        found.append(Mention("ORG", name, start, end, key, "ner"))
        taken.add(start, end)
    for org in list(found):
        aka = parties.aka_name(text, org.end)
        if aka and not taken.overlaps(aka[0], aka[1]) and parties.reject_org(aka[2]) is None:
            found.append(
                Mention("ORG", aka[2], aka[0], aka[1], name_key("ORG", aka[2]), "rule:aka")
            )
            taken.add(aka[0], aka[1])
    return found


_NOT_PARTY_FIELD = re.compile(
    r"(?i)\b(?:vessel|voyage|port(?:\s+of\s+\w+)?|place\s+of\s+\w+|address|street|pol|pod|"
    r"origin|destination|ship\s+name|carrier\s+vessel)\s*[:\uff1a]?\s*$"
)


def _label_before(text: str, start: int) -> str:
    """The text before a position on its line, or the previous line when it starts one."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if before.strip():
        return before[-60:]
    return text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)][-60:]


_NAME_BEFORE = re.compile(r"(?<![\w.])([A-Z][a-z]{2,})[ \t]+$")
_NOT_FIRST_NAMES = frozenset(
    "The A An And Of For With From By To In On At Mr Mrs Ms Dr Said Its Their His Her Director "
    "Directors Manager Employees Employee Executives Defendant Defendants Brothers".split()
)


def _extend_left(text: str, start: int, name: str) -> tuple[int, str]:
    """The model often drops a first given name: "Harish [Mahendra Patel]"."""
    m = _NAME_BEFORE.search(text, max(0, start - 30), start)
    if m is None or m.group(1) in _NOT_FIRST_NAMES or len(name.split()) < 2:
        return start, name
    if to_iso2(m.group(1)) is not None or parties.reject_person(m.group(1) + " " + name):
        return start, name
    return m.start(1), text[m.start(1) : start] + name


def _short_names(text: str, orgs: list[Mention], taken: Taken) -> None:
    """Add "(Qianyue)" after a company's name, and every later "Qianyue", as that company."""
    for org in list(orgs):
        found = parties.short_name(text, org.end, org.text)
        if found is None:
            continue
        start, _end, short = found
        pattern = re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")
        for m in pattern.finditer(text, start):
            if taken.overlaps(m.start(), m.end()):
                continue
            orgs.append(Mention("ORG", short, m.start(), m.end(), org.value, "rule:short_name"))
            taken.add(m.start(), m.end())


def _people(text: str, ents: list[Ent], places: set[str], blocked: Taken) -> list[Mention]:
    found = [
        Mention("PERSON", name, s, e, name_key("PERSON", name), "rule:label")
        for s, e, name in parties.labelled_people(text)
    ]
    taken = Taken(len(text))
    for m in found:
        taken.add(m.start, m.end)
    for s, e, name in parties.surname_first(text):
        if not taken.overlaps(s, e) and not blocked.overlaps(s, e):
            found.append(Mention("PERSON", name, s, e, name_key("PERSON", name), "rule:surname"))
            taken.add(s, e)
    for start, end, label, raw in ents:
        if label != "PERSON":
            continue
        name = parties.strip_role(parties.person_name(raw) or raw.strip())
        end = start + len(name) if raw.startswith(name) else end
        if taken.overlaps(start, end) or blocked.overlaps(start, end):
            continue
        if normalize_name(name) in places or _NOT_PARTY_FIELD.search(_label_before(text, start)):
            continue
        words = normalize_name(name).split()
        if any(w in places or (len(w) > 3 and to_iso2(w) is not None) for w in words):
            continue  # "Plano Texas", "Wuhan Golden": a place in it, not a person's name
        start, name = _extend_left(text, start, name)
        if parties.reject_person(name) is None and not parties.is_official(text, start, end):
            found.append(Mention("PERSON", name, start, end, name_key("PERSON", name), "ner"))
            taken.add(start, end)
    return found


def _places(ents: list[Ent], blocked: Taken) -> list[Mention]:
    found = []
    for start, end, label, raw in ents:
        if label != "GPE" or blocked.overlaps(start, end):
            continue
        name = raw.strip()
        if name.lower().startswith("the "):
            name = name[4:]
        # Upper-case short words the model calls places are mostly codes ("MOQ", "USDT").
        if name.isupper() and len(name) <= 4 and to_iso2(name) is None:
            continue
        if normalize_name(name) in parties.SERVICE_BRANDS:
            continue
        found.append(Mention("GPE", name, start, end, name_key("GPE", name), "ner"))
    return found


def _structured_seller(text: str, fields: dict[str, Any], orgs: list[Mention]) -> list[Mention]:
    seller = fields.get("seller")
    if not isinstance(seller, str) or not seller.strip():
        return []
    name = seller.strip()
    key = name_key("ORG", name)
    if any(m.value == key for m in orgs) or parties.reject_org(name):
        return []
    found = re.search(r"\s+".join(map(re.escape, name.split())), text, re.IGNORECASE)
    start, end = (found.start(), found.end()) if found else (-1, -1)
    return [Mention("ORG", name, start, end, key, "structured")]


# Capitalized words (Latin, with accents, or Cyrillic), one to three: candidate place names.
_CAPITALIZED = re.compile(
    r"(?<![\w-])(?:[A-Z\u00c0-\u00de\u0410-\u042f][\w\u00e0-\u00ff\u0430-\u044f'-]+"
    r"(?:[ \t]+(?:de[ \t]+)?[A-Z\u00c0-\u00de\u0410-\u042f][\w\u00e0-\u00ff\u0430-\u044f'-]+){0,2})"
)


def _countries(text: str, blocked: Taken, known: set[str]) -> list[Mention]:
    """Countries and provinces the model missed ("Estados Unidos", "Россия", "Zhejiang"),
    found by the territory names rigour knows; cities are left to the model."""
    found = []
    for m in _CAPITALIZED.finditer(text):
        name = m.group(0)
        if len(name) < 4 or blocked.overlaps(m.start(), m.end()):
            continue
        key = name_key("GPE", name)
        if key in known or to_iso2(name) is None:
            continue
        if name.isupper() and len(name) <= 4:
            continue  # "USDT", "CAS": codes, not places
        found.append(Mention("GPE", name, m.start(), m.end(), key, "rule:territory"))
        known.add(key)
    return found


def model_entities(doc: Doc) -> list[Ent]:
    """The statistical model's entities as (start, end, label, text)."""
    return [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


def mentions(
    doc: Doc,
    html: str | None = None,
    fields: dict[str, Any] | None = None,
    ents: list[Ent] | None = None,
) -> list[Mention]:
    """Every entity of a processed document, in text order (structured fields and the raw
    HTML add what the text alone does not show: the seller's name, analytics ids)."""
    text = doc.text
    ents = model_entities(doc) if ents is None else ents
    tagged = [
        Mention(s.label_, s.text, s.start_char, s.end_char, s.kb_id_, "osint_ruler", s.id_)
        for s in doc.spans.get(SPAN_GROUP, [])
    ]
    blocked = Taken(len(text))
    for m in tagged:
        m.origin = (
            "osint_precursor_ruler_v1"
            if m.label in ("PRECURSOR", "CAS")
            else "osint_identifier_ruler_v1"
        )
        blocked.add(m.start, m.end)
    # Names the model calls places anywhere on the page: not companies or people elsewhere.
    model_places = {normalize_name(t) for _s, _e, lb, t in ents if lb in ("GPE", "LOC", "FAC")}
    orgs = _orgs(text, ents, model_places, blocked)
    orgs += _structured_seller(text, fields or {}, orgs)
    taken = blocked.copy()
    for m in orgs:
        taken.add(m.start, m.end)
    people = _people(text, ents, model_places, taken)
    # "Hubei Hongtai ships worldwide": the model's PERSON is a company's name without its form.
    org_names = [f" {normalize_name(m.text)} " for m in orgs]
    people = [p for p in people if not any(f" {p.value} " in n for n in org_names)]
    for m in people:
        taken.add(m.start, m.end)
    places = _places(ents, taken)
    for m in places:
        taken.add(m.start, m.end)
    places += _countries(text, taken, {m.value for m in places})
    extra: list[Mention] = []
    if html:
        seen = {m.value for m in tagged if m.label == "ANALYTICS_ID"}
        for f in find_analytics_ids(html):
            if f.value not in seen:
                seen.add(f.value)
                extra.append(_from_found(f, "html"))
    out = [*orgs, *people, *places, *tagged, *extra]
    out.sort(key=lambda m: (m.start, m.end, m.label))
    return out


def _from_found(f: Found, where: str) -> Mention:
    # Offsets of ids found in the raw HTML do not point into the text: -1 says so.
    return Mention(
        f.label, f.value, -1, -1, f.value, f"osint_identifier_ruler_v1:{where}", f.detail
    )
