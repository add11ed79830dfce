"""Extract: turn collected entries and documents into entity records.

Structured entries (sanctions lists, bills of lading) go through their format's parser
(:func:`extract`); text documents (articles, marketplace and supplier pages) through the spaCy
pipeline and record assembly (:func:`extract_documents`, :class:`TextExtractor`).

The names below are imported when first used (PEP 562): a command that needs one submodule
(screening's precursor component, say) does not pay for the whole package (spaCy's
pipeline, Scrapy's selectors) at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from osint.extract.documents import extract_documents
    from osint.extract.nlp import PipelineSpec, pipeline_version
    from osint.extract.process import PageResult, TextExtractor
    from osint.extract.run import EXTRACTOR_VERSION, ExtractStats, extract
    from osint.extract.text import KINDS, PageInput, from_file, page_kind

_WHERE = {
    "extract_documents": "osint.extract.documents",
    "PipelineSpec": "osint.extract.nlp",
    "pipeline_version": "osint.extract.nlp",
    "PageResult": "osint.extract.process",
    "TextExtractor": "osint.extract.process",
    "EXTRACTOR_VERSION": "osint.extract.run",
    "ExtractStats": "osint.extract.run",
    "extract": "osint.extract.run",
    "KINDS": "osint.extract.text",
    "PageInput": "osint.extract.text",
    "from_file": "osint.extract.text",
    "page_kind": "osint.extract.text",
}

__all__ = [
    "EXTRACTOR_VERSION",
    "KINDS",
    "ExtractStats",
    "PageInput",
    "PageResult",
    "PipelineSpec",
    "TextExtractor",
    "extract",
    "extract_documents",
    "from_file",
    "page_kind",
    "pipeline_version",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'osint.extract' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
