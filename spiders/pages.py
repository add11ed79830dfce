"""Reading an HTML article page: its title, publication date, main text and links.

Shared by the news feed and sitemap spiders. Reads HTML as Scrapy decoded it (``response.text``
honours a BOM, the HTTP charset and ``<meta charset>``, in that order), and
dates in the forms feeds and pages use: RFC 822 (RSS ``pubDate``), RFC 3339 / ISO 8601 (Atom
``updated``, ``article:published_time``, ``<time datetime>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from parsel import Selector
from scrapy.http import TextResponse

# Removed before the text is read: never part of an article's body.
DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside")
# Elements that end a line of text.
BLOCK_TAGS = frozenset(
    "address article blockquote br dd div dl dt figcaption figure form h1 h2 h3 h4 h5 h6 hr "
    "li main ol p pre section table td th tr ul".split()
)
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Page:
    """What an article page says about itself."""

    title: str | None
    published: str | None
    text: str
    links: list[str] = field(default_factory=list)


def collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def iso_date(raw: str | None) -> str | None:
    """An RFC 822 or ISO 8601 date as ISO 8601 (a date stays a date), or None if unreadable."""
    value = (raw or "").strip()
    if not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def block_text(element: Any) -> str:
    """The text of an lxml element: one line per block element, whitespace collapsed."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in BLOCK_TAGS
        if block:
            parts.append("\n")
        if tag and el.text:
            parts.append(_SPACES.sub(" ", el.text))
        for child in el:
            walk(child)
            if child.tail:
                parts.append(_SPACES.sub(" ", child.tail))
        if block:
            parts.append("\n")

    walk(element)
    lines = (collapse(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _largest_paragraph_block(root: Any) -> Any | None:
    """The element whose <p> children hold the most text."""
    sizes: dict[Any, int] = {}
    for p in root.iter("p"):
        parent = p.getparent()
        if parent is not None:
            sizes[parent] = sizes.get(parent, 0) + len(collapse(p.text_content()))
    if not sizes:
        return None
    return max(sizes, key=lambda el: sizes[el])


def drop_elements(root: Any, tags: tuple[str, ...]) -> None:
    """Remove every element of these tags from an lxml tree, keeping the text after each."""
    for el in list(root.iter(*tags)):
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the tail: it is text that follows the element, not part of it.
        if el.tail:
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + " " + el.tail
            else:
                parent.text = (parent.text or "") + " " + el.tail
        parent.remove(el)


def main_element(selector: Selector, body_selector: str | None) -> Any:
    """The page's main body: `body_selector`, else <article>, else <main>, else the block of
    <p> elements with the most text, else <body>."""
    queries = ([body_selector] if body_selector else []) + ["article", "main"]
    for query in queries:
        found = selector.css(query)
        if found and not isinstance(found[0].root, str):
            return found[0].root
    root = selector.root
    block = _largest_paragraph_block(root)
    if block is None:
        block = next(iter(root.iter("body")), root)
    return block


def read_page(response: TextResponse, body_selector: str | None = None) -> Page:
    """The title, publication date, main text and absolute links of an HTML page."""
    # A selector of our own: its tree is changed below (boilerplate removed).
    selector = Selector(text=response.text, base_url=response.url)
    title = (
        selector.css('meta[property="og:title"]::attr(content)').get()
        or selector.css("h1").xpath("string()").get()
        or selector.css("title::text").get()
    )
    published = None
    for raw in (
        selector.css('meta[property="article:published_time"]::attr(content)').get(),
        selector.css("time::attr(datetime)").get(),
    ):
        published = iso_date(raw)
        if published:
            break
    drop_elements(selector.root, DROP_TAGS)
    body = main_element(selector, body_selector)
    links: list[str] = []
    for href in body.xpath(".//a/@href"):
        href = str(href).strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        url = response.urljoin(href)
        if url not in links:
            links.append(url)
    return Page(
        title=collapse(title) if title and title.strip() else None,
        published=published,
        text=block_text(body),
        links=links,
    )
