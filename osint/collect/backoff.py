"""Exponential backoff between retries (Scrapy retries at once by default).

A retried request (5xx, time-out) waits `base * 2**(n-1)` seconds before its n-th retry,
capped at `cap`, so a struggling server gets room to recover.
"""

from __future__ import annotations

import asyncio

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


def delay_for(retry: int, base: float, cap: float) -> float:
    """Seconds to wait before retry number `retry` (1, 2, ...)."""
    if retry <= 0:
        return 0.0
    return float(min(cap, base * 2 ** (retry - 1)))


class BackoffMiddleware:
    """Downloader middleware: sleep before a retried request goes out."""

    def __init__(self, base: float, cap: float) -> None:
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffMiddleware:
        base = crawler.settings.getfloat("OSINT_RETRY_BACKOFF", 0.0)
        if base <= 0:
            raise NotConfigured("OSINT_RETRY_BACKOFF is 0")
        return cls(base, crawler.settings.getfloat("OSINT_RETRY_BACKOFF_CAP", 60.0))

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        retry = int(request.meta.get("retry_times", 0))
        if retry:
            await asyncio.sleep(delay_for(retry, self.base, self.cap))
