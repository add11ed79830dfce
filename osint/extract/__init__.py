"""Extract: turn collected entries and documents into entity records.

Structured entries (sanctions lists, bills of lading) go through their format's parser
(:func:`extract`); text documents (articles, marketplace and supplier pages) through the spaCy
pipeline and record assembly (:func:`extract_documents`, :class:`TextExtractor`).
"""

from osint.extract.documents import extract_documents
from osint.extract.nlp import PipelineSpec, pipeline_version
from osint.extract.process import PageResult, TextExtractor
from osint.extract.run import EXTRACTOR_VERSION, ExtractStats, extract
from osint.extract.text import KINDS, PageInput, from_file, page_kind

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
