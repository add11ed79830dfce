"""Scrapy settings for one crawl, built from our configuration (polite defaults)."""

from __future__ import annotations

from typing import Any

from osint.config import CollectSettings, SourceConfig


def scrapy_settings(
    collect: CollectSettings,
    source: SourceConfig,
    work_store: str,
    run_id: str,
    quiet: bool,
    cache_dir: str | None = None,
) -> dict[str, Any]:
    """The Scrapy settings dict for crawling `source` into `work_store` as run `run_id`.

    With `cache_dir`, Scrapy's HTTP cache keeps each response and revalidates it on the next
    crawl with a conditional request (If-None-Match / If-Modified-Since): an unchanged
    publication costs the server a 304, not the whole file.
    """
    cache: dict[str, Any] = {}
    if cache_dir is not None:
        cache = {
            "HTTPCACHE_ENABLED": True,
            "HTTPCACHE_POLICY": "osint.collect.cache.RevalidatePolicy",
            "HTTPCACHE_DIR": cache_dir,
            "HTTPCACHE_ALWAYS_STORE": True,
            "HTTPCACHE_GZIP": True,
            "HTTPCACHE_IGNORE_HTTP_CODES": list(range(300, 600)),
            # "max-age=0": always revalidate with the server (Scrapy sends no validators
            # with "no-cache", so that would refetch every file in full).
            "DEFAULT_REQUEST_HEADERS": {
                "Accept": "*/*",
                "Accept-Language": "en",
                "Cache-Control": "max-age=0",
            },
        }
    return cache | {
        "BOT_NAME": "osint",
        "USER_AGENT": f"{collect.user_agent} contact: {collect.contact}",
        "ROBOTSTXT_OBEY": collect.obey_robots_txt,
        "DOWNLOAD_DELAY": (
            source.politeness.download_delay
            if source.politeness.download_delay is not None
            else collect.download_delay
        ),
        "CONCURRENT_REQUESTS_PER_DOMAIN": (
            source.politeness.concurrent_requests_per_domain
            or collect.concurrent_requests_per_domain
        ),
        "DOWNLOAD_TIMEOUT": collect.download_timeout,
        "DOWNLOAD_MAXSIZE": collect.download_maxsize_mb * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        "DOWNLOAD_FAIL_ON_DATALOSS": True,
        "RETRY_ENABLED": collect.retry_times > 0,
        "RETRY_TIMES": collect.retry_times,
        # 5xx and time-outs (408 is the server's time-out); never other 4xx.
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
        "OSINT_RETRY_BACKOFF": collect.retry_backoff,
        "DOWNLOADER_MIDDLEWARES": {"osint.collect.backoff.BackoffMiddleware": 560},
        "AUTOTHROTTLE_ENABLED": collect.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(collect.download_delay, 0.1),
        "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "LOG_LEVEL": "WARNING" if quiet else "INFO",
        "LOG_FORMAT": "%(asctime)s [%(name)s] %(levelname)s: %(message)s",
        "ITEM_PIPELINES": {"osint.collect.pipeline.StorePipeline": 500},
        "OSINT_WORK_STORE": work_store,
        "OSINT_RUN_ID": run_id,
        "OSINT_SOURCE": source.name,
        "OSINT_MIN_ENTRIES": source.assertions.min_entries,
        "OSINT_MAX_ENTRIES": source.assertions.max_entries or 0,
    }
