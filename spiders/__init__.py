"""Scrapy spiders, one per source format. Thin: response -> items, no business logic.

Each spider turns a published format into items (see :mod:`spiders.items`): the raw document,
kept with its provenance, and, for structured sources, one entry per listed entity with the
fields as the source publishes them. Meaning (dates, countries, identifiers) is made in
`osint.extract`. :mod:`spiders.registry` maps spider names to classes.
"""

from spiders.registry import SPIDERS, load_spider

__all__ = ["SPIDERS", "load_spider"]
