"""Collect: run Scrapy spiders over configured sources into the work store."""

from osint.collect.runner import CrawlResult, crawl

__all__ = ["CrawlResult", "crawl"]
