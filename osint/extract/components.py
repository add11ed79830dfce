"""spaCy components registered by osint, with versioned names (no dots: spaCy forbids them).

Both components write to the span group ``doc.spans["osint"]`` and leave ``doc.ents`` (the
statistical model's ORG/PERSON/GPE) as the model made them; :mod:`osint.extract.mentions`
combines the two, so that a product or chemical name the model took for an ORG is dropped there.
Each span's ``kb_id_`` holds the normalized value and ``id_`` any detail.

* ``osint_precursor_ruler_v1`` marks precursor chemicals as PRECURSOR, by name or synonym (any
  case) or abbreviation (exact case, since "NPP" or "4-AP" in lower case mean other things), and
  CAS numbers: a string of the CAS shape counts only if its check digit is right (a listed
  chemical's CAS is a PRECURSOR, any other a CAS). ``kb_id_`` is the lexicon id or the CAS.
* ``osint_identifier_ruler_v1`` runs the recognizers of :mod:`osint.extract.recognizers`
  (phones, messenger handles, emails, URLs, wallets, USCC, IMO, MMSI, containers, HS codes,
  analytics ids); the page's country, when known, is read from ``doc.user_data["country"]``.
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from stdnum import casrn

from osint.extract.lexicon import Chemical, load_lexicon
from osint.extract.recognizers import find_identifiers

SPAN_GROUP = "osint"
CAS_PATTERN = re.compile(r"(?<![\d-])(\d{2,7})-(\d{2})-(\d)(?![\d-])")


def is_abbreviation(name: str) -> bool:
    """Short upper-case names (NPP, 4-AP, ANPP) are matched in their exact case only."""
    return len(name) <= 8 and name == name.upper()


def _add(doc: Doc, spans: list[Span]) -> None:
    group = doc.spans.get(SPAN_GROUP)
    if group is None:
        doc.spans[SPAN_GROUP] = spans
    else:
        group.extend(spans)


class PrecursorRuler:
    """Tag precursor names, abbreviations and check-digit-valid CAS numbers."""

    def __init__(self, nlp: Language, chemicals: list[Chemical]) -> None:
        self.by_cas = {c.cas: c for c in chemicals if c.cas}
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.abbrevs = PhraseMatcher(nlp.vocab, attr="ORTH")
        for chem in chemicals:
            short = {n for n in (*chem.names, chem.abbrev) if n and is_abbreviation(n)}
            self.names.add(chem.id, [nlp.make_doc(n) for n in chem.names if n not in short])
            if short:
                self.abbrevs.add(chem.id, [nlp.make_doc(n) for n in sorted(short)])

    def __call__(self, doc: Doc) -> Doc:
        # The longest name wins: "despropionyl fentanyl" is ANPP, not fentanyl.
        spans = filter_spans(
            [
                Span(doc, start, end, label="PRECURSOR", kb_id=match_id)
                for matcher in (self.names, self.abbrevs)
                for match_id, start, end in matcher(doc)
            ]
        )
        for m in CAS_PATTERN.finditer(doc.text):
            number = m.group(0)
            if not casrn.is_valid(number):
                continue
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None:
                continue
            chem = self.by_cas.get(number)
            label = "PRECURSOR" if chem else "CAS"
            spans.append(
                Span(doc, span.start, span.end, label=label, kb_id=chem.id if chem else number)
            )
            if chem:  # the CAS number is also a CAS mention in its own right
                spans.append(Span(doc, span.start, span.end, label="CAS", kb_id=number))
        _add(doc, spans)
        return doc


class IdentifierRuler:
    """Tag the identifiers that link sellers: phones, emails, wallets, company and vessel ids."""

    def __call__(self, doc: Doc) -> Doc:
        country = doc.user_data.get("country")
        spans: list[Span] = []
        for found in find_identifiers(doc.text, country if isinstance(country, str) else None):
            span = doc.char_span(found.start, found.end, alignment_mode="expand")
            if span is None:
                continue
            spans.append(
                Span(
                    doc,
                    span.start,
                    span.end,
                    label=found.label,
                    kb_id=found.value,
                    span_id=found.detail,
                )
            )
        _add(doc, spans)
        return doc


@Language.factory("osint_precursor_ruler_v1", default_config={"lexicon": "config/precursors.csv"})
def make_precursor_ruler(nlp: Language, name: str, lexicon: str) -> PrecursorRuler:
    return PrecursorRuler(nlp, load_lexicon(Path(lexicon)))


@Language.factory("osint_identifier_ruler_v1")
def make_identifier_ruler(nlp: Language, name: str) -> IdentifierRuler:
    return IdentifierRuler()
