"""Government press releases and news: feeds and sitemaps, then the article pages they list.

* ``news_feed``: RSS 2.0 (``rss/channel/item``: ``title``, ``link`` (or a permalink ``guid``),
  ``pubDate`` (or ``dc:date``), ``description``) and Atom 1.0 (``feed/entry``: ``title``,
  ``link rel="alternate"``, ``published`` (or ``updated``), ``summary`` (or ``content``)) feeds.
  The feed is stored as a document (meta: its title, format and item count), and each item's
  page is fetched and stored with what :func:`spiders.pages.read_page` reads off it. Links are
  resolved against the feed's URL; offsite links are reported and not followed; a link listed
  twice is fetched once. ``[options]``: ``max_items`` (read only the first N items of each
  feed) and ``body_selector`` (CSS selector of an article's main text).
* ``sitemap_pages``: sitemaps (``urlset/url/loc``, with ``lastmod``) and sitemap indexes
  (``sitemapindex/sitemap/loc``, followed), plain or gzipped. ``[options]``: ``include`` and
  ``exclude`` (lists of regular expressions searched in page URLs: a page is read if it matches
  an include pattern, when there are any, and no exclude pattern), ``max_pages`` and
  ``body_selector``.

A feed or sitemap that is not well-formed XML, or is not of the format read, fails the run.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, NoReturn
from urllib.parse import urlparse

import scrapy
from cssselect import SelectorError
from lxml import etree
from lxml import html as lxml_html
from parsel import Selector
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from w3lib.url import canonicalize_url

from spiders.base import SourceSpider, content_type
from spiders.items import DocumentItem, IssueItem
from spiders.pages import collapse, iso_date, read_page

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed


class FormatError(Exception):
    """The document is not in the format the spider reads."""


@dataclass(slots=True)
class FeedItem:
    """One RSS item or Atom entry, as listed."""

    position: int
    title: str | None
    link: str | None
    published: str | None
    raw_date: str | None
    summary: str | None


def parse_xml(url: str, body: bytes, what: str) -> Any:
    """The root element of an XML document; FormatError when it is not well-formed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(
            f"{url} is not well-formed XML ({exc}): the {what} download was truncated or the "
            "address no longer serves a " + what + "; check it in a browser and crawl again"
        ) from exc
    if root is None:
        raise FormatError(f"{url} is empty: the {what} download failed; crawl again")
    return root


def _text(el: Any) -> str | None:
    if el is None:
        return None
    text = collapse("".join(el.itertext()))
    return text or None


def _html_text(raw: str | None) -> str | None:
    """A summary that may hold (escaped) HTML markup, as plain text."""
    if not raw or not raw.strip():
        return None
    if "<" not in raw:
        return collapse(raw)
    fragment = lxml_html.fragment_fromstring(raw, create_parent="div")
    return collapse(fragment.text_content()) or None


def _rss_items(channel: Any) -> Iterator[FeedItem]:
    for position, item in enumerate(channel.iterfind("item"), start=1):
        link = _text(item.find("link"))
        guid = item.find("guid")
        if not link and guid is not None and guid.get("isPermaLink", "true") == "true":
            link = _text(guid)
        raw_date = _text(item.find("pubDate")) or _text(item.find(f"{{{DC}}}date"))
        yield FeedItem(
            position=position,
            title=_text(item.find("title")),
            link=link,
            published=iso_date(raw_date),
            raw_date=raw_date,
            summary=_html_text(_text(item.find("description"))),
        )


def _atom_link(entry: Any) -> str | None:
    links = entry.findall(f"{{{ATOM}}}link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _atom_entries(feed: Any) -> Iterator[FeedItem]:
    for position, entry in enumerate(feed.iterfind(f"{{{ATOM}}}entry"), start=1):
        raw_date = _text(entry.find(f"{{{ATOM}}}published")) or _text(
            entry.find(f"{{{ATOM}}}updated")
        )
        summary = entry.find(f"{{{ATOM}}}summary")
        if summary is None:
            summary = entry.find(f"{{{ATOM}}}content")
        summary_text = None
        if summary is not None:
            raw = "".join(summary.itertext())
            summary_text = _html_text(raw) if summary.get("type") == "html" else collapse(raw)
        yield FeedItem(
            position=position,
            title=_text(entry.find(f"{{{ATOM}}}title")),
            link=_atom_link(entry),
            published=iso_date(raw_date),
            raw_date=raw_date,
            summary=summary_text or None,
        )


def read_feed(url: str, root: Any) -> tuple[str, str | None, list[FeedItem]]:
    """The format ("rss" or "atom"), title and items of a parsed feed."""
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FormatError(f"{url}: <rss> without <channel>: not an RSS 2.0 feed")
        return "rss", _text(channel.find("title")), list(_rss_items(channel))
    if root.tag == f"{{{ATOM}}}feed":
        return "atom", _text(root.find(f"{{{ATOM}}}title")), list(_atom_entries(root))
    raise FormatError(
        f"{url}: root element is <{etree.QName(root).localname}>, not <rss> (RSS 2.0) or <feed> "
        "(Atom): the address does not serve a feed any more; update urls in the source file"
    )


class _PageSpider(SourceSpider):
    """What both spiders share: option checks, the offsite test and reading article pages."""

    LIMIT_OPTION = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: set[str] = set()  # canonical URLs of pages already requested

    def _config_problems(self) -> list[str]:
        problems = []
        limit = self.options.get(self.LIMIT_OPTION)
        if limit is not None and (
            not isinstance(limit, int) or isinstance(limit, bool) or limit < 1
        ):
            problems.append(f"[options] {self.LIMIT_OPTION} must be a positive integer")
        query = self.options.get("body_selector")
        if query is not None:
            try:
                Selector(text="<html></html>").css(str(query))
            except SelectorError as exc:
                problems.append(
                    f"[options] body_selector = {query!r} is not a valid CSS selector ({exc})"
                )
        return problems

    async def start(self) -> AsyncIterator[scrapy.Request]:
        problems = self._config_problems()
        if problems:
            self.fatal_error = f"source {self.source}: " + "; ".join(problems)
            raise CloseSpider("config_error")
        async for request in super().start():
            yield request

    @property
    def limit(self) -> int | None:
        value = self.options.get(self.LIMIT_OPTION)
        return int(value) if value is not None else None

    def _allowed(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https"):
            return False
        host = (parsed.hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def _first_time(self, url: str) -> bool:
        key = canonicalize_url(url)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def _fail(self, exc: FormatError) -> NoReturn:
        self.fatal_error = str(exc)
        raise CloseSpider("format_error") from exc

    def _page_document(self, response: Response, meta: dict[str, Any]) -> Iterator[Any]:
        """The page as a document, with what it says about itself merged into `meta`."""
        url = response.request.url if response.request else response.url
        if isinstance(response, TextResponse):
            page = read_page(response, self.options.get("body_selector"))
            meta["title"] = meta.get("title") or page.title
            meta["published"] = meta.get("published") or page.published
            meta["text"] = page.text
            meta["links"] = page.links
            if not page.text:
                yield IssueItem("warning", url, "no text found on the page")
        else:
            meta.setdefault("text", "")
            meta.setdefault("links", [])
            yield IssueItem(
                "warning", url, f"not an HTML page ({content_type(response)}): text not read"
            )
        yield DocumentItem(
            url=url,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type(response),
            body=response.body,
            meta=meta,
        )


class NewsFeedSpider(_PageSpider):
    """Reads RSS 2.0 and Atom feeds of press releases, and the article pages they link to."""

    name = "news_feed"
    LIMIT_OPTION = "max_items"

    def parse_document(self, response: Response) -> Iterator[Any]:
        url = response.request.url if response.request else response.url
        try:
            root = parse_xml(url, response.body, "feed")
            kind, title, items = read_feed(url, root)
        except FormatError as exc:
            self._fail(exc)
        if self.limit is not None and len(items) > self.limit:
            yield IssueItem(
                "warning",
                url,
                f"{len(items)} items, only the first {self.limit} read ([options] max_items)",
            )
            items = items[: self.limit]
        yield DocumentItem(
            url=url,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type(response),
            body=response.body,
            meta={"title": title, "format": kind, "items": len(items)},
        )
        for item in items:
            where = f"item {item.position}" + (f" ({item.title})" if item.title else "")
            if not item.link:
                yield IssueItem("warning", url, f"{where}: no link: skipped", dropped=True)
                continue
            link = response.urljoin(item.link)
            if item.raw_date and not item.published:
                yield IssueItem("warning", url, f"{where}: unreadable date {item.raw_date!r}")
            if not self._allowed(link):
                yield IssueItem("warning", url, f"{where}: link {link} is offsite: not followed")
                continue
            if not self._first_time(link):
                yield IssueItem("warning", url, f"{where}: link {link} listed again: fetched once")
                continue
            yield scrapy.Request(
                link,
                callback=self.parse_article,
                errback=self.on_error,
                cb_kwargs={"item": item, "feed_title": title},
            )

    def parse_article(self, response: Response, item: FeedItem, feed_title: str | None) -> Any:
        meta: dict[str, Any] = {
            "title": item.title,
            "published": item.published,
            "feed_title": feed_title,
            "summary": item.summary,
        }
        yield from self._page_document(response, meta)


class SitemapPagesSpider(_PageSpider):
    """Reads sitemaps and sitemap indexes, and the pages they list that the options select."""

    name = "sitemap_pages"
    LIMIT_OPTION = "max_pages"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.include: list[re.Pattern[str]] = []
        self.exclude: list[re.Pattern[str]] = []
        self.sitemaps_seen: set[str] = {canonicalize_url(u) for u in self.urls}
        self.pages = 0

    def _config_problems(self) -> list[str]:
        problems = super()._config_problems()
        for key in ("include", "exclude"):
            patterns = self.options.get(key, [])
            if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
                problems.append(f"[options] {key} must be a list of regular expressions")
                continue
            for pattern in patterns:
                try:
                    getattr(self, key).append(re.compile(pattern))
                except re.error as exc:
                    problems.append(
                        f"[options] {key}: {pattern!r} is not a regular expression ({exc})"
                    )
        return problems

    def wanted(self, url: str) -> bool:
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)

    def parse_document(self, response: Response) -> Iterator[Any]:
        url = response.request.url if response.request else response.url
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
            except (OSError, EOFError, ValueError) as exc:
                self._fail(
                    FormatError(f"{url}: gzipped sitemap cannot be read ({exc}); crawl again")
                )
        try:
            root = parse_xml(url, body, "sitemap")
        except FormatError as exc:
            self._fail(exc)
        if root.tag == f"{{{SITEMAP}}}sitemapindex":
            kind, child = "sitemapindex", "sitemap"
        elif root.tag == f"{{{SITEMAP}}}urlset":
            kind, child = "urlset", "url"
        else:
            self._fail(
                FormatError(
                    f"{url}: root element is <{root.tag}>, not a sitemaps.org <urlset> or "
                    "<sitemapindex>: update urls in the source file"
                )
            )
        locations = []
        for position, el in enumerate(root.iterfind(f"{{{SITEMAP}}}{child}"), start=1):
            loc = _text(el.find(f"{{{SITEMAP}}}loc"))
            if not loc:
                yield IssueItem("warning", url, f"<{child}> {position}: no <loc>: skipped", True)
                continue
            locations.append((response.urljoin(loc), _text(el.find(f"{{{SITEMAP}}}lastmod"))))
        yield DocumentItem(
            url=url,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type(response),
            body=response.body,
            meta={"format": kind, "items": len(locations)},
        )
        over_limit = 0
        for target, lastmod in locations:
            if not self._allowed(target):
                yield IssueItem("warning", url, f"{target} is offsite: not followed")
            elif kind == "sitemapindex":
                key = canonicalize_url(target)
                if key not in self.sitemaps_seen:
                    self.sitemaps_seen.add(key)
                    yield scrapy.Request(
                        target, callback=self.parse_document, errback=self.on_error
                    )
            elif self.wanted(target) and self._first_time(target):
                if self.limit is not None and self.pages >= self.limit:
                    over_limit += 1
                    continue
                self.pages += 1
                yield scrapy.Request(
                    target,
                    callback=self.parse_page,
                    errback=self.on_error,
                    cb_kwargs={"lastmod": iso_date(lastmod)},
                )
        if over_limit:
            yield IssueItem(
                "warning",
                url,
                f"{over_limit} pages not read: over [options] max_pages ({self.limit})",
            )

    def parse_page(self, response: Response, lastmod: str | None) -> Any:
        meta: dict[str, Any] = {"title": None, "published": None}
        if lastmod:
            meta["lastmod"] = lastmod
        yield from self._page_document(response, meta)
