"""spaCy components registered by osint, with versioned names (no dots: spaCy forbids them).

`osint_precursor_ruler_v1` marks precursor chemicals as PRECURSOR entities, by name or synonym
(any case) or abbreviation (exact case, since "NPP" or "4-AP" in lower case mean other
things), and by CAS number: a string of the CAS shape counts only if its check digit is right.
The entity's `kb_id_` is the lexicon id, so records can list the chemicals a seller offers.
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

CAS_PATTERN = re.compile(r"(?<![\d-])(\d{2,7})-(\d{2})-(\d)(?![\d-])")


def is_abbreviation(name: str) -> bool:
    """Short upper-case names (NPP, 4-AP, ANPP) are matched in their exact case only."""
    return len(name) <= 8 and name == name.upper()


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
        spans = [
            Span(doc, start, end, label="PRECURSOR", kb_id=match_id)
            for matcher in (self.names, self.abbrevs)
            for match_id, start, end in matcher(doc)
        ]
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
        if spans:
            doc.ents = filter_spans([*spans, *doc.ents])
        return doc


@Language.factory("osint_precursor_ruler_v1", default_config={"lexicon": "config/precursors.csv"})
def make_precursor_ruler(nlp: Language, name: str, lexicon: str) -> PrecursorRuler:
    return PrecursorRuler(nlp, load_lexicon(Path(lexicon)))
