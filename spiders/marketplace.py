"""Product listings on B2B chemical marketplaces, and chemical suppliers' own pages.

``marketplace_pages`` reads a marketplace's HTML listing pages (one listing per product, with
pagination) and each listing's detail page, or (``mode = "pages"``) treats every start URL as a
detail page, for a supplier's own site. Every page fetched is kept as a document whose meta holds
its title, its visible text (scripts, styles and navigation removed, one line per block, spaces
collapsed: what entity extraction reads later) and the schema.org data it carries as JSON-LD and
as microdata (see :mod:`spiders.structured_data`). Pages are decoded as Scrapy decodes them
(``response.text``: BOM, then the HTTP charset, then ``<meta charset>``); when a server labels a
page UTF-8 that is not, and the page declares its own charset (GBK pages served by
misconfigured servers), the page's declaration is used and a warning says so.

Each detail page gives one entry (format ``marketplace_listing.v1``, keyed by the page's URL
without fragment) with the fields of :data:`FIELDS` read by the source's CSS selectors, and gaps
filled from the page's schema.org ``Product``/``Offer``/``Organization`` data: ``product`` from
``Product.name``; ``cas`` from ``identifier``/``productID``/``mpn``/``sku``/
``additionalProperty`` (then ``name``/``description``) when it holds a CAS Registry Number with a
valid check digit; ``seller`` from ``offers.seller.name`` or an ``Organization``'s ``name``;
``seller_url``, ``phone`` (``telephone``), ``email``, ``country`` (``address.addressCountry``) from
that organisation; ``price`` from ``offers.price`` and ``priceCurrency``. ``data["sources"]``
says for each field whether it came from a ``selector``, ``json_ld`` or ``microdata``.

``[options]`` in the source file:

* ``listing_item``: CSS selector of one listing on a listing page (required unless mode = pages)
* ``detail_link``: CSS selector, inside a listing, of its detail link (required likewise)
* ``next_page``: CSS selector of the next listing page (optional)
* ``max_pages``: how many listing pages to read per start URL (optional; default no limit)
* ``mode``: ``"listing"`` (default) or ``"pages"``
* ``[options.fields]``: field = CSS selector on the detail page (``::text``/``::attr()`` or an
  element, whose ``href`` is then taken); a selector matching several nodes gives a list.

A listing start page where ``listing_item`` matches nothing means the layout changed: the run
fails. Links to other sites are reported and not followed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Generator, Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import scrapy
from parsel import Selector
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding
from w3lib.url import canonicalize_url

from spiders.base import SourceSpider, check_fields, content_type, invalid_selectors
from spiders.items import DocumentItem, EntryItem, IssueItem
from spiders.structured_data import read_json_ld, read_microdata, schema_nodes, types_of

FORMAT = "marketplace_listing.v1"
FIELDS: tuple[str, ...] = (
    "product",
    "cas",
    "seller",
    "seller_url",
    "contact_person",
    "phone",
    "email",
    "whatsapp",
    "wechat",
    "telegram",
    "country",
    "price",
    "min_order",
    "purity",
)
MODES = ("listing", "pages")
# Removed before the visible text is read.
DROP_TAGS = ("script", "style", "noscript", "template", "nav", "svg", "iframe", "head")
# Elements that end a line of text.
BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main ol p pre section table td th tr ul".split()
)
ORGANIZATION_TYPES = frozenset(
    "Organization Corporation LocalBusiness Store OnlineStore OnlineBusiness WholesaleStore "
    "ChemicalManufacturer Manufacturer".split()
)
CAS_NUMBER = re.compile(r"\b(\d{2,7})-(\d{2})-(\d)\b")
_SPACES = re.compile(r"\s+")


def valid_cas(text: str) -> str | None:
    """The first CAS Registry Number in `text` whose check digit is right, or None."""
    for match in CAS_NUMBER.finditer(text):
        digits = (match.group(1) + match.group(2))[::-1]
        if sum(n * int(d) for n, d in enumerate(digits, start=1)) % 10 == int(match.group(3)):
            return match.group(0)
    return None


def visible_text(root: Any) -> str:
    """The text a reader sees on the page: one line per block element, spaces collapsed."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in DROP_TAGS or not tag:
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        # Line breaks in the source are spaces; only block elements end a line.
        if element.text:
            parts.append(_SPACES.sub(" ", element.text))
        for child in element:
            walk(child)
            if child.tail:
                parts.append(_SPACES.sub(" ", child.tail))
        if block:
            parts.append("\n")

    walk(root)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _values(selector: Any, query: str) -> list[str]:
    """What a CSS query selects: the text or attribute values, or an element's href or text."""
    out = []
    for found in selector.css(query):
        root = found.root
        if isinstance(root, str):
            value = root
        elif root.get("href") is not None:
            value = root.get("href")
        else:
            value = " ".join(found.css("::text").getall())
        value = _SPACES.sub(" ", value or "").strip()
        if value:
            out.append(value)
    return out


def read_fields(
    page: Selector | TextResponse, fields: dict[str, str], base_url: str
) -> dict[str, Any]:
    """The fields a detail page's selectors find: a string, or a list for several matches."""
    data: dict[str, Any] = {}
    for field, query in fields.items():
        values: list[str] = []
        for value in _values(page, query):
            if field == "email":
                value = value.removeprefix("mailto:").split("?")[0]
            elif field in ("phone", "whatsapp"):
                value = value.removeprefix("tel:")
            elif field.endswith("_url") and base_url:
                value = urljoin(base_url, value)
            if value and value not in values:
                values.append(value)
        if values:
            data[field] = values[0] if len(values) == 1 else values
    return data


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any) -> str | None:
    """A schema.org value as a string: text, a number, or a node's name/value."""
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("@value")
        value = _first(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = _SPACES.sub(" ", value).strip()
        return value or None
    return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _walk(nodes: list[Any]) -> Iterator[dict[str, Any]]:
    """Every node, nested ones included (offers, sellers, addresses), each once."""
    stack = list(reversed(nodes))
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict) and id(node) not in seen:
            seen.add(id(node))
            yield node
            stack.extend(reversed([v for v in node.values() if isinstance(v, (dict, list))]))


def _cas_of(product: dict[str, Any]) -> str | None:
    candidates: list[Any] = []
    for key in ("identifier", "productID", "mpn", "sku", "additionalProperty"):
        candidates.extend(_as_list(product.get(key)))
    for candidate in candidates:
        if isinstance(candidate, dict):
            candidate = candidate.get("value") or candidate.get("@value")
        for value in _as_list(candidate):
            if isinstance(value, str) and (cas := valid_cas(value)):
                return cas
    for key in ("name", "description"):
        text = _text(product.get(key))
        if text and (cas := valid_cas(text)):
            return cas
    return None


def structured_fields(nodes: list[dict[str, Any]]) -> dict[str, str]:
    """The listing fields schema.org Product/Offer/Organization nodes give (see module doc)."""
    found: dict[str, str] = {}

    def put(field: str, value: Any) -> None:
        text = _text(value)
        if text and field not in found:
            found[field] = text

    all_nodes = list(_walk(nodes))
    by_id = {n["@id"]: n for n in all_nodes if isinstance(n.get("@id"), str) and len(n) > 1}

    def resolve(node: Any) -> Any:
        # A JSON-LD reference ({"@id": ...} alone) to a node elsewhere in the @graph.
        if isinstance(node, dict) and set(node) == {"@id"}:
            return by_id.get(node["@id"], node)
        return node

    products = [n for n in all_nodes if "Product" in types_of(n)]
    sellers: list[dict[str, Any]] = []
    for product in products:
        put("product", product.get("name"))
        if "cas" not in found and (cas := _cas_of(product)):
            found["cas"] = cas
        for offer in map(resolve, _as_list(product.get("offers"))):
            if not isinstance(offer, dict):
                continue
            if "price" not in found and _text(offer.get("price")):
                currency = _text(offer.get("priceCurrency"))
                price = _text(offer.get("price")) or ""
                found["price"] = f"{price} {currency}" if currency else price
            sellers.extend(
                s for s in map(resolve, _as_list(offer.get("seller"))) if isinstance(s, dict)
            )
    sellers.extend(n for n in all_nodes if types_of(n) & ORGANIZATION_TYPES)
    for seller in sellers:
        put("seller", seller.get("name"))
        put("seller_url", seller.get("url"))
        put("phone", seller.get("telephone"))
        email = _text(seller.get("email"))
        put("email", email.removeprefix("mailto:") if email else None)
        for address in map(resolve, _as_list(seller.get("address"))):
            if isinstance(address, dict):
                put("country", address.get("addressCountry"))
        for contact in _as_list(seller.get("contactPoint")):
            if isinstance(contact, dict):
                put("phone", contact.get("telephone"))
                put("email", contact.get("email"))
                put("contact_person", contact.get("name"))
    return found


def decoded(response: TextResponse) -> tuple[TextResponse, str | None]:
    """The response decoded right, and a warning when the HTTP charset had to be overruled."""
    text = response.text
    if "\ufffd" not in text:
        return response, None
    header = response.headers.get(b"Content-Type") or b""
    served = http_content_type_encoding(header.decode("latin-1"))
    declared = html_body_declared_encoding(response.body)
    if not served or not declared or served == declared:
        return response, None
    try:
        response.body.decode(declared)
    except (LookupError, UnicodeDecodeError):
        return response, None
    fixed = response.replace(encoding=declared)
    if not isinstance(fixed, TextResponse):
        return response, None
    return fixed, (
        f"served as {served} but the page is not; read as {declared}, the charset it declares"
    )


class MarketplaceSpider(SourceSpider):
    """Reads chemical marketplace listings (listing -> detail pages) or supplier pages."""

    name = "marketplace_pages"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listing_seen: set[str] = set()

    @property
    def mode(self) -> str:
        return str(self.options.get("mode") or "listing")

    def _config_problems(self) -> list[str]:
        problems = []
        if self.mode not in MODES:
            problems.append(f"[options] mode = {self.mode!r}: use one of {', '.join(MODES)}")
        if self.mode == "listing":
            missing = [k for k in ("listing_item", "detail_link") if not self.options.get(k)]
            if missing:
                problems.append(
                    f"[options] {' and '.join(missing)} missing: add "
                    f"{' and '.join(missing)} (CSS selectors on the listing page) under "
                    '[options] in the source file, or set mode = "pages" when the start URLs '
                    "are detail or supplier pages"
                )
        max_pages = self.options.get("max_pages")
        if max_pages is not None and (
            not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1
        ):
            problems.append(f"[options] max_pages = {max_pages!r}: must be a whole number >= 1")
        _fields, field_problems = check_fields(self.options.get("fields"), FIELDS)
        queries = [(k, self.options.get(k)) for k in ("listing_item", "detail_link", "next_page")]
        return problems + field_problems + invalid_selectors(queries)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.stop_on_config_problems(self._config_problems())
        if self.mode == "pages":
            for url in self.urls:
                yield scrapy.Request(url, callback=self.parse_detail, errback=self.on_error)
            return
        self.listing_seen.update(urldefrag(u)[0] for u in self.urls)
        for url in self.urls:
            yield scrapy.Request(
                url, callback=self.parse_document, errback=self.on_error, cb_kwargs={"page": 1}
            )

    def _allowed(self, url: str) -> bool:
        host = (urlparse(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def _read(
        self, response: Response
    ) -> Generator[Any, None, tuple[TextResponse | None, dict[str, Any]]]:
        """Yields the page as a document (and issues); returns the decoded page and its meta."""
        url = response.request.url if response.request else response.url
        meta: dict[str, Any] = {"title": "", "text": "", "json_ld": [], "microdata": []}
        page: TextResponse | None = None
        if isinstance(response, TextResponse):
            page, warning = decoded(response)
            if warning:
                yield IssueItem("warning", url, warning)
            errors: list[str] = []
            meta["title"] = _SPACES.sub(" ", " ".join(page.css("title::text").getall())).strip()
            body = page.css("body") or page.css(":root")
            meta["text"] = visible_text(body[0].root) if body else ""
            meta["json_ld"] = read_json_ld(page.text, errors)
            meta["microdata"] = read_microdata(page.text, page.url)
            for error in errors:
                yield IssueItem("warning", url, error)
        yield DocumentItem(
            url=url,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type(response),
            body=response.body,
            meta=meta,
        )
        return page, meta

    def parse_document(self, response: Response, page: int = 1) -> Iterator[Any]:
        """A listing page: its listings' detail pages, then the next listing page."""
        decoded_page, _ = yield from self._read(response)
        url = response.url
        if decoded_page is None:
            self.fatal_error = f"{url}: not an HTML page ({content_type(response)})"
            raise CloseSpider("format_error")
        query = str(self.options["listing_item"])
        listings = decoded_page.css(query)
        if not listings:
            if page == 1:
                self.fatal_error = (
                    f"{url}: listing_item {query!r} matches nothing on the first listing page: "
                    "the page layout changed; update [options] listing_item in the source file"
                )
                raise CloseSpider("format_error")
            yield IssueItem("warning", url, f"listing page {page} has no listings ({query!r})")
        for index, listing in enumerate(listings, start=1):
            links = _values(listing, str(self.options["detail_link"]))
            if not links:
                yield IssueItem(
                    "warning", url, f"listing {index}: no detail link: skipped", dropped=True
                )
                continue
            target = urldefrag(decoded_page.urljoin(links[0]))[0]
            if not self._allowed(target):
                yield IssueItem(
                    "warning",
                    url,
                    f"listing {index}: detail link {target} is offsite: not followed",
                )
                continue
            # Not dont_filter: a product listed on two pages is fetched once.
            yield scrapy.Request(target, callback=self.parse_detail, errback=self.on_error)
        yield from self._next_page(decoded_page, page)

    def _next_page(self, response: TextResponse, page: int) -> Iterator[Any]:
        query = self.options.get("next_page")
        if not query:
            return
        for link in _values(response, str(query))[:1]:
            target = urldefrag(response.urljoin(link))[0]
            max_pages = self.options.get("max_pages")
            if not self._allowed(target):
                yield IssueItem(
                    "warning", response.url, f"next page {target} is offsite: not followed"
                )
            elif target in self.listing_seen:
                continue
            elif max_pages is not None and page >= int(max_pages):
                yield IssueItem(
                    "warning",
                    response.url,
                    f"max_pages ({max_pages}) reached: next page {target} not followed",
                )
            else:
                self.listing_seen.add(target)
                yield scrapy.Request(
                    target,
                    callback=self.parse_document,
                    errback=self.on_error,
                    cb_kwargs={"page": page + 1},
                )

    def parse_detail(self, response: Response) -> Iterator[Any]:
        """A product's detail page (or a supplier's page): one entry."""
        page, meta = yield from self._read(response)
        url = response.request.url if response.request else response.url
        if page is None:
            yield IssueItem(
                "warning", url, f"not an HTML page ({content_type(response)}): skipped", True
            )
            return
        fields = dict(self.options.get("fields") or {})
        data = read_fields(page, fields, page.url)
        sources = dict.fromkeys(data, "selector")
        for syntax in ("json_ld", "microdata"):
            for field, value in structured_fields(schema_nodes(meta[syntax], syntax)).items():
                if field not in data:
                    data[field] = urljoin(page.url, value) if field.endswith("_url") else value
                    sources[field] = syntax
        if not data:
            yield IssueItem(
                "warning",
                url,
                "no field selector matches this page and it carries no schema.org product or "
                "seller data: skipped (did the layout change? see [options.fields])",
                dropped=True,
            )
            return
        data["sources"] = sources
        key = canonicalize_url(urldefrag(response.url)[0])
        yield EntryItem(source_key=key, doc_url=url, format=FORMAT, data=data)
