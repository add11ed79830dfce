"""The precursor lexicon and the spaCy component that tags precursors and CAS numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from osint.errors import ConfigError
from osint.extract.components import SPAN_GROUP
from osint.extract.lexicon import load_lexicon

LEXICON = Path(__file__).resolve().parents[2] / "config" / "precursors.csv"


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("osint_precursor_ruler_v1", config={"lexicon": str(LEXICON)})
    return nlp


def _ents(nlp, text: str) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    return {(e.text, e.label_, e.kb_id_) for e in doc.spans.get(SPAN_GROUP, [])}


def test_lexicon_covers_fentanyl_precursors_and_the_vietnam_list() -> None:
    chemicals = {c.id: c for c in load_lexicon(LEXICON)}
    assert chemicals["npp"].cas == "39742-60-4"
    assert chemicals["anpp"].cas == "21409-26-7"
    assert chemicals["1-boc-4-piperidone"].cas == "79099-07-3"
    assert chemicals["norfentanyl"].cas == "1609-66-1"
    assert len(chemicals) >= 30


def test_names_any_case_abbreviations_exact_case(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(nlp, "We sell n-phenethyl-4-piperidone and 4-ANPP, also NPP in stock.")
    assert ("n-phenethyl-4-piperidone", "PRECURSOR", "npp") in found
    assert ("4-ANPP", "PRECURSOR", "anpp") in found
    assert ("NPP", "PRECURSOR", "npp") in found
    assert not _ents(nlp, "the npp of the region grew")


def test_cas_numbers_count_only_with_a_valid_check_digit(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(nlp, "CAS 79099-07-3, CAS 79099-07-4, and 64-17-5 for ethanol.")
    assert ("79099-07-3", "PRECURSOR", "1-boc-4-piperidone") in found
    assert ("79099-07-3", "CAS", "79099-07-3") in found
    assert ("64-17-5", "CAS", "64-17-5") in found
    assert not any(text == "79099-07-4" for text, _, _ in found)


def test_a_lexicon_row_with_a_bad_cas_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "precursors.csv"
    bad.write_text("id,name,abbrev,synonyms,cas,hs_code\nx,X,,,79099-07-4,\n")
    with pytest.raises(ConfigError, match=r"precursors\.csv:2: cas '79099-07-4' fails"):
        load_lexicon(bad)
