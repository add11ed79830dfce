"""The base spider: start URLs and the source name come from the source's configuration."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any
from urllib.parse import urlparse

import scrapy
from cssselect import SelectorError
from parsel import Selector
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


class SourceSpider(scrapy.Spider):
    """A spider bound to one configured source (`source` and `urls` are passed as arguments)."""

    def __init__(
        self,
        source: str,
        urls: Iterable[str],
        options: dict[str, Any] | None = None,
        allowed_domains: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(name=self.name, **kwargs)
        self.source = source
        self.urls = list(urls)
        # Scrapy's offsite filter reads this: links and redirects elsewhere are dropped.
        hosts = {urlparse(u).hostname for u in self.urls if u.startswith("http")}
        self.allowed_domains = list(allowed_domains) or sorted(h for h in hosts if h)
        # Spider-specific settings from the source file's [options] table.
        self.options: dict[str, Any] = dict(options or {})
        # Why the run cannot go on (set before raising CloseSpider), and requests that failed.
        self.fatal_error: str | None = None
        self.failures: list[tuple[str, str]] = []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            # Not dont_filter: it would also let redirects to other domains through.
            yield scrapy.Request(url, callback=self.parse_document, errback=self.on_error)

    def stop_on_config_problems(self, problems: list[str]) -> None:
        """Fail the run before fetching anything when the source's [options] are wrong."""
        if problems:
            self.fatal_error = f"source {self.source}: " + "; ".join(problems)
            raise CloseSpider("config_error")

    def on_error(self, failure: Failure) -> None:
        """Remember why a request failed, in words: HTTP status, DNS, timeout, refused."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if isinstance(failure.value, HttpError):
            response = failure.value.response
            url = response.url
            reason = f"HTTP {response.status}"
        else:
            reason = failure.getErrorMessage() or type(failure.value).__name__
            if "max size" in reason:
                reason += " (raise collect.download_maxsize_mb if the file is genuine)"
        self.failures.append((url, reason))

    def parse_document(self, response: Response) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


def invalid_selectors(queries: list[tuple[str, Any]]) -> list[str]:
    """Problems with the CSS selectors of a source's [options] (key, selector); None skipped."""
    probe = Selector(text="<html></html>")
    problems = []
    for key, query in queries:
        if query is None:
            continue
        try:
            probe.css(str(query))
        except SelectorError as exc:
            problems.append(f"[options] {key} = {query!r} is not a valid CSS selector ({exc})")
    return problems


def check_fields(option: Any, valid: Sequence[str]) -> tuple[dict[str, Any], list[str]]:
    """The [options.fields] table (field = CSS selector) and the problems with it."""
    if not option:
        return {}, []
    if not isinstance(option, dict):
        return {}, ["[options] fields must be a table of field = CSS selector"]
    problems = []
    unknown = [f for f in option if f not in valid]
    if unknown:
        problems.append(
            f"[options.fields] unknown field(s) {', '.join(unknown)}: valid fields are "
            + ", ".join(valid)
        )
    problems += invalid_selectors([(f"fields.{f}", q) for f, q in option.items()])
    return dict(option), problems


def content_type(response: Response) -> str:
    raw = response.headers.get(b"Content-Type") or b""
    return raw.decode("latin-1").split(";")[0].strip().lower()
