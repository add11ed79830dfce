"""Which spider class reads which source format, imported only when a crawl needs it."""

from __future__ import annotations

import importlib
from typing import Any

# spider name (as in config/sources/*.toml) -> "module:Class"
SPIDERS: dict[str, str] = {
    "ofac_sdn_csv": "spiders.ofac_sdn:OfacSdnCsvSpider",
    "un_consolidated_xml": "spiders.un_consolidated:UnConsolidatedXmlSpider",
    "ofac_sdn_xml": "spiders.ofac_sdn_xml:OfacSdnXmlSpider",
    "news_feed": "spiders.news:NewsFeedSpider",
    "shipping_csv": "spiders.shipping:ShippingCsvSpider",
    "shipping_listing": "spiders.shipping:ShippingListingSpider",
    "sitemap_pages": "spiders.news:SitemapPagesSpider",
    "marketplace_pages": "spiders.marketplace:MarketplaceSpider",
}


def load_spider(name: str) -> Any:
    """The spider class registered under `name`."""
    module, _, cls = SPIDERS[name].partition(":")
    return getattr(importlib.import_module(module), cls)
