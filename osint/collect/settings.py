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
) -> dict[str, Any]:
    """The Scrapy settings dict for crawling `source` into `work_store` as run `run_id`."""
    return {
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
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
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
