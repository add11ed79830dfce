"""The configured spaCy model loads offline and finds organizations, people and places."""

from __future__ import annotations

import pytest

from osint.config import Settings
from osint.errors import ConfigError
from osint.extract.nlp import load_pipeline


def test_default_model_finds_org_person_and_place() -> None:
    nlp = load_pipeline(Settings().extract.spacy_model)
    assert nlp.pipe_names == ["ner"]
    doc = nlp("Hefei GSK Trade Co., Ltd. of Anhui, China, sold 4-ANPP to John Smith in Mexico.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Hefei GSK Trade Co., Ltd.", "ORG") in found
    assert ("John Smith", "PERSON") in found
    assert ("Mexico", "GPE") in found


def test_missing_model_is_a_config_error_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"extract\.spacy_model: 'en_core_web_xx'"):
        load_pipeline("en_core_web_xx")
