"""Scrapy spiders, one per source format. Thin: response -> items, no business logic.

Each spider turns a published format into two kinds of item (see :mod:`spiders.items`): the
raw document, kept with its provenance, and one entry per listed entity with the fields as the
source publishes them. Meaning (dates, countries, identifiers) is made in `osint.extract`.
"""

from spiders.ofac_sdn import OfacSdnCsvSpider
from spiders.un_consolidated import UnConsolidatedXmlSpider

SPIDERS = {
    OfacSdnCsvSpider.name: OfacSdnCsvSpider,
    UnConsolidatedXmlSpider.name: UnConsolidatedXmlSpider,
}

__all__ = ["SPIDERS", "OfacSdnCsvSpider", "UnConsolidatedXmlSpider"]
