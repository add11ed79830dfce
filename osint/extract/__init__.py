"""Extract: turn collected entries (and, later, documents) into entity records."""

from osint.extract.run import EXTRACTOR_VERSION, ExtractStats, extract

__all__ = ["EXTRACTOR_VERSION", "ExtractStats", "extract"]
