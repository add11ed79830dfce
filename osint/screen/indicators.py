"""Cargo line indicators, raised whatever the party matches say.

* `precursor_hs_code`: the declared HS code falls under the subheading (first six digits) of a
  chemical in the precursor lexicon;
* `precursor_named`: the goods description names a precursor (name, synonym, abbreviation or
  CAS number), found with the extraction's `osint_precursor_ruler_v1` spaCy component;
* `vague_description`: a description that says nothing ("chemical", "intermediate", ...) on a
  line declared under a precursor heading (first four digits);
* `linked_to_flagged`: a party that matched a profile linked (profile_links) to a flagged
  profile, or whose name is the target of a flagged profile's link.
"""

from __future__ import annotations

import re
from pathlib import Path

from osint.extract.lexicon import Chemical, load_lexicon
from osint.normalize import normalize_name
from osint.screen.index import ScreenIndex
from osint.screen.results import Hit, Indicator

VAGUE = re.compile(
    r"^\s*(?:(?:industrial|organic|fine|pharmaceutical|chemical|raw)\s+)*"
    r"(?:chemicals?|intermediates?|raw materials?|materials?|compounds?|products?|samples?|"
    r"powders?|reagents?|api)\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\D")


def _digits(code: str | None) -> str:
    return _DIGITS.sub("", code or "")


DESCRIPTION_CACHE = 10_000


class CargoIndicators:
    """Indicator checks over one lexicon; build once, reuse for every line."""

    def __init__(self, lexicon_path: Path) -> None:
        self.chemicals: list[Chemical] = load_lexicon(lexicon_path)
        self.by_id = {c.id: c for c in self.chemicals}
        self.subheadings: dict[str, list[Chemical]] = {}
        for chem in self.chemicals:
            code = _digits(chem.hs_code)
            if len(code) >= 6:
                self.subheadings.setdefault(code[:6], []).append(chem)
        self.headings = {code[:4] for code in self.subheadings}
        # spaCy is imported here, not at the top: a traveler-only process (or the `osint`
        # command line starting up) does not pay for it (half a second).
        import spacy

        import osint.extract.components  # noqa: F401  (registers osint_precursor_ruler_v1)

        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("osint_precursor_ruler_v1", config={"lexicon": str(lexicon_path)})
        # Manifests repeat their goods descriptions ("chemicals", "laptops"): the precursors
        # found in a description are kept (all dropped when the cache is full).
        self._named: dict[str, list[Indicator]] = {}

    def hs_code(self, hs_code: str | None) -> list[Indicator]:
        code = _digits(hs_code)
        chems = self.subheadings.get(code[:6], []) if len(code) >= 6 else []
        if not chems:
            return []
        names = ", ".join(sorted({c.name for c in chems})[:5])
        return [
            Indicator(
                "precursor_hs_code",
                "HS code under a controlled precursor subheading",
                f"{hs_code} is under {code[:4]}.{code[4:6]}, the subheading of {names}",
            )
        ]

    def _precursors(self, text: str) -> list[Indicator]:
        cached = self._named.get(text)
        if cached is not None:
            return cached
        out: list[Indicator] = []
        doc = self.nlp(text)
        seen: set[str] = set()
        for span in doc.spans.get("osint", []):
            if span.label_ != "PRECURSOR" or span.kb_id_ in seen:
                continue
            seen.add(span.kb_id_)
            chem = self.by_id.get(span.kb_id_)
            out.append(
                Indicator(
                    "precursor_named",
                    "Goods description names a controlled precursor",
                    f"{span.text!r} is {chem.name if chem else span.kb_id_}"
                    + (f" (CAS {chem.cas})" if chem and chem.cas else ""),
                )
            )
        if len(self._named) >= DESCRIPTION_CACHE:
            self._named.clear()
        self._named[text] = out
        return out

    def description(self, text: str | None, hs_code: str | None) -> list[Indicator]:
        if not text:
            return []
        out = list(self._precursors(text))
        code = _digits(hs_code)
        if VAGUE.match(text) and len(code) >= 4 and code[:4] in self.headings:
            out.append(
                Indicator(
                    "vague_description",
                    "Vague goods description on a line declared under a precursor heading",
                    f"{text!r} declared under HS {hs_code} (heading {code[:4]})",
                )
            )
        return out


def linked_to_flagged(
    index: ScreenIndex, matched: list[Hit], party_names: dict[str, str]
) -> list[Indicator]:
    """Parties tied through profile_links to a profile that carries risk flags."""
    out: list[Indicator] = []
    seen: set[str] = set()

    def add(evidence: str) -> None:
        if evidence not in seen:
            seen.add(evidence)
            out.append(
                Indicator("linked_to_flagged", "A party is linked to a flagged profile", evidence)
            )

    for hit in matched:
        for link in index.links_by_profile.get(hit.profile_id, []):
            if link.profile_id == hit.profile_id and link.target_flags:
                add(
                    f"{hit.role} {hit.query_name!r} matched {link.profile_name} "
                    f"({link.profile_id}), {link.relation} {link.target_display} "
                    f"({link.target_profile_id}: {', '.join(link.target_flags)})"
                )
            elif link.target_profile_id == hit.profile_id and link.profile_flags:
                add(
                    f"{hit.role} {hit.query_name!r} matched {link.target_display} "
                    f"({hit.profile_id}), which {link.profile_name} ({link.profile_id}: "
                    f"{', '.join(link.profile_flags)}) is {link.relation}"
                )
    for role, name in party_names.items():
        for link in index.links_by_target_name.get(normalize_name(name), []):
            add(
                f"{role} {name!r} is named as {link.relation} by {link.profile_name} "
                f"({link.profile_id}: {', '.join(link.profile_flags)})"
            )
    return out
