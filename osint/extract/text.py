"""What extraction reads from a document: its text, page kind, country hint and structured data.

A stored document gives the text its spider read off it (``meta.text``: the visible text of a
marketplace or supplier page, the main body of an article); a file given to
``osint extract --file`` is read the same way, with the spiders' own readers, so that an analyst
sees exactly what the pipeline sees. Bodies that are not text (images, PDFs, archives, anything
with NUL bytes), empty ones and ones without letters are refused with a reason; a text longer
than ``extract.max_chars`` is cut there, with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsel import Selector
from scrapy.http import HtmlResponse

from osint.errors import ConfigError, ItemError
from osint.normalize import registered_domain, to_iso2
from spiders.marketplace import structured_fields, visible_text
from spiders.pages import drop_elements, read_page
from spiders.structured_data import read_json_ld, read_microdata, schema_nodes

# Page kinds: how records are assembled from a page's entities.
KINDS = ("listing", "supplier", "press_release", "shipping", "forum", "page")
_TEXT_TYPES = re.compile(r"^(text/|application/(xhtml\+xml|xml|json|rss|atom))", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_HTML = re.compile(rb"<\s*(html|body|div|p|article|head)\b", re.IGNORECASE)


@dataclass(slots=True)
class PageInput:
    """One document as extraction sees it."""

    doc_id: str
    source: str
    url: str
    kind: str
    text: str
    html: str | None = None  # the raw HTML, for analytics ids in scripts
    country: str | None = None  # ISO alpha-2 hint for national phone numbers
    fields: dict[str, Any] = field(default_factory=dict)  # structured fields (seller, phone...)
    notes: list[str] = field(default_factory=list)


def decode(body: bytes, content_type: str | None) -> str:
    """Bytes as text: refuse binary bodies, decode UTF-8 (BOM honoured), else the declared or
    a Chinese legacy charset, with replacement characters rather than failure."""
    ctype = (content_type or "").split(";")[0].strip()
    if ctype and not _TEXT_TYPES.match(ctype):
        raise ItemError(f"not a text document (content type {ctype}): skipped")
    if b"\x00" in body[:8192]:
        raise ItemError("binary body (NUL bytes): skipped")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


def country_of(url: str, fields: dict[str, Any]) -> str | None:
    """The page's country: a structured `country` field, else the site's country-code domain."""
    raw = fields.get("country")
    if isinstance(raw, str) and (iso := to_iso2(raw)):
        return iso
    domain = registered_domain(url) if url else None
    if domain:
        tld = domain.rsplit(".", 1)[-1]
        if len(tld) == 2 and tld not in ("io", "co", "me", "tv", "cc", "ai"):
            return to_iso2(tld.upper())
    return None


def structured(html: str, url: str) -> dict[str, Any]:
    """The schema.org fields a page's JSON-LD and microdata give (seller, phone, email, ...)."""
    errors: list[str] = []
    nodes = schema_nodes(read_json_ld(html, errors), "json_ld")
    nodes += schema_nodes(read_microdata(html, url), "microdata")
    return dict(structured_fields(nodes))


# Page chrome dropped before extraction, by page kind. A marketplace's, forum's or shipping
# database's header, footer and sidebars are the platform's (its hotline, support e-mail and
# links), not the seller's; a supplier's own site keeps them: its footer is its contact card.
CHROME = {
    "supplier": ("nav",),
    "page": ("nav", "aside"),
}
_PLATFORM_CHROME = ("nav", "header", "footer", "aside")


def html_text(html: str, url: str, kind: str) -> str:
    """The text extraction reads: an article's main body (as the news spiders read it), or
    a page's visible text without the platform's chrome (see CHROME)."""
    if kind == "press_release":
        response = HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8")
        return read_page(response).text
    selector = Selector(text=html)
    drop_elements(selector.root, CHROME.get(kind, _PLATFORM_CHROME))
    body = selector.css("body")
    return visible_text(body[0].root if body else selector.root)


def _checked(page: PageInput, max_chars: int) -> PageInput:
    if not page.text.strip():
        raise ItemError("no text: skipped")
    if "\x00" in page.text[:8192]:
        raise ItemError("binary content (NUL characters in the text): skipped")
    if not _LETTER.search(page.text[:100_000]):
        raise ItemError("no letters in the text (not a text document?): skipped")
    if len(page.text) > max_chars:
        page.notes.append(
            f"text of {len(page.text):,} characters cut at extract.max_chars ({max_chars:,})"
        )
        page.text = page.text[:max_chars]
    return page


def from_document(
    row: dict[str, Any], kind: str, entry: dict[str, Any] | None, max_chars: int
) -> PageInput:
    """A stored document (with its body decompressed) as extraction input."""
    meta: dict[str, Any] = row.get("meta") or {}
    url = row.get("final_url") or row["url"]
    body: bytes = row.get("body") or b""
    html: str | None = None
    text = meta.get("text")
    if _HTML.search(body[:4096]) or "html" in (row.get("content_type") or ""):
        html = decode(body, row.get("content_type"))
    if html is not None and (kind != "press_release" or not isinstance(text, str)):
        # Seller pages are re-read from their HTML: the stored text keeps the platform chrome.
        text = html_text(html, url, kind)
    elif not isinstance(text, str):
        text = decode(body, row.get("content_type"))
    fields = dict(entry or {})
    fields.pop("sources", None)
    if html is not None:
        for key, value in structured(html, url).items():
            fields.setdefault(key, value)
    page = PageInput(
        doc_id=row["doc_id"],
        source=row["source"],
        url=url,
        kind=kind,
        text=text,
        html=html,
        fields=fields,
    )
    page.country = country_of(url, fields)
    return _checked(page, max_chars)


def from_file(
    path: Path, kind: str | None = None, country: str | None = None, max_chars: int = 1_000_000
) -> PageInput:
    """A local HTML or text file, read as the spiders read pages (`osint extract --file`)."""
    body = path.read_bytes()
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or bool(_HTML.search(body[:4096]))
    raw = decode(body, "text/html" if is_html else "text/plain")
    url = path.resolve().as_uri()
    fields = structured(raw, url) if is_html else {}
    if kind is None:  # a page that carries a product or seller is a listing
        if "seller" in fields or "product" in fields:
            kind = "listing"
        else:
            kind = "press_release" if is_html and "<article" in raw.lower() else "page"
    page = PageInput(
        doc_id=f"file:{path.name}",
        source="file",
        url=url,
        kind=kind,
        text=html_text(raw, url, kind) if is_html else raw,
        html=raw if is_html else None,
        fields=fields,
    )
    page.country = to_iso2(country) if country else country_of("", fields)
    return _checked(page, max_chars)


# What kind of page each text spider collects (`[options] page_kind` overrides it).
SPIDER_KINDS = {
    "marketplace_pages": "listing",
    "news_feed": "press_release",
    "sitemap_pages": "page",
    "shipping_listing": "shipping",
}


def page_kind(source: str, spider: str | None, options: dict[str, Any]) -> str:
    """The page kind of a source's documents, from its spider and options."""
    explicit = options.get("page_kind")
    if explicit is not None:
        if explicit not in KINDS:
            raise ConfigError(
                [
                    f"source {source}: options.page_kind: {explicit!r} is not a page kind: "
                    f"use one of {', '.join(KINDS)}"
                ]
            )
        return str(explicit)
    if spider == "marketplace_pages" and options.get("mode") == "pages":
        return "supplier"
    return SPIDER_KINDS.get(spider or "", "page")
