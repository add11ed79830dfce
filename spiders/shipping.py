"""Shipping records (bills of lading) as trade-data sites publish them.

Two publications of the same data, one entry (format ``shipping_record.v1``) per shipment:

* ``shipping_csv``: CSV exports with a header row, UTF-8 with or without a BOM (or the encoding
  named by ``[options] encoding``). Header names are mapped to the fields below through
  :data:`ALIASES` ("Bill of Lading", "BOL", "B/L Number", ... -> ``bill_of_lading``) and the
  source's ``[options.columns]`` table (header -> field). Reading is strict: an unknown header is
  reported once and its values kept under ``data["extra"]``; a file without a bill of lading
  column, or without both party columns, fails the run; a row with the wrong number of cells is
  skipped and reported; a body that does not end with a line end is a truncated download.
* ``shipping_listing``: HTML listing pages (a table of shipments, with pagination) and a detail
  page per bill of lading. ``[options]``: ``row`` (CSS selector of the table rows),
  ``detail_link`` (selector, inside a row, of the detail link), ``next_page`` (optional: the next
  listing page) and ``[options.fields]``: field -> CSS selector on the detail page.

Fields: see :data:`FIELDS`. Values are kept as strings, ``container_numbers`` as a list.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse

from spiders.base import SourceSpider, check_fields, content_type, invalid_selectors
from spiders.items import DocumentItem, EntryItem, IssueItem

FORMAT = "shipping_record.v1"
FIELDS: tuple[str, ...] = (
    "bill_of_lading",
    "arrival_date",
    "shipper_name",
    "shipper_address",
    "shipper_country",
    "shipper_phone",
    "shipper_email",
    "consignee_name",
    "consignee_address",
    "consignee_country",
    "consignee_phone",
    "consignee_email",
    "notify_name",
    "notify_address",
    "notify_country",
    "notify_phone",
    "notify_email",
    "hs_code",
    "goods_description",
    "container_numbers",
    "weight_kg",
    "vessel_name",
    "vessel_imo",
    "port_of_loading",
    "port_of_discharge",
)
# Header names seen in trade-data exports, per field (compared after `header_key`).
_ALIAS_NAMES: dict[str, tuple[str, ...]] = {
    "bill_of_lading": (
        "Bill of Lading",
        "Bill of Lading Number",
        "Bill of Lading No",
        "BOL",
        "BOL Number",
        "BOL No",
        "B/L",
        "B/L Number",
        "B/L No",
        "BL Number",
        "House Bill of Lading",
        "HBL",
    ),
    "arrival_date": ("Arrival Date", "Date of Arrival", "Actual Arrival Date", "Arrival"),
    "shipper_name": ("Shipper", "Shipper Name", "Exporter", "Exporter Name"),
    "shipper_address": ("Shipper Address", "Shipper Addr", "Exporter Address"),
    "shipper_country": (
        "Shipper Country",
        "Shipper Ctry",
        "Exporter Country",
        "Country of Origin",
    ),
    "shipper_phone": ("Shipper Phone", "Shipper Tel", "Shipper Telephone"),
    "shipper_email": ("Shipper Email", "Shipper E-mail"),
    "consignee_name": ("Consignee", "Consignee Name", "Importer", "Importer Name"),
    "consignee_address": ("Consignee Address", "Consignee Addr", "Importer Address"),
    "consignee_country": ("Consignee Country", "Consignee Ctry", "Importer Country"),
    "consignee_phone": ("Consignee Phone", "Consignee Tel", "Consignee Telephone"),
    "consignee_email": ("Consignee Email", "Consignee E-mail"),
    "notify_name": ("Notify", "Notify Party", "Notify Name", "Notify Party Name"),
    "notify_address": ("Notify Address", "Notify Addr", "Notify Party Address"),
    "notify_country": ("Notify Country", "Notify Party Country"),
    "notify_phone": ("Notify Phone", "Notify Party Phone", "Notify Tel"),
    "notify_email": ("Notify Email", "Notify Party Email", "Notify E-mail"),
    "hs_code": ("HS Code", "HS", "HS Codes", "HTS", "HTS Code", "Harmonized Code", "Tariff Code"),
    "goods_description": (
        "Goods Description",
        "Description of Goods",
        "Product Description",
        "Commodity Description",
        "Description",
        "Cargo Description",
    ),
    "container_numbers": (
        "Container Number",
        "Container Numbers",
        "Container No",
        "Containers",
        "Container",
    ),
    "weight_kg": ("Weight (KG)", "Weight KG", "Weight", "Gross Weight Kg", "Gross Weight (kg)"),
    "vessel_name": ("Vessel", "Vessel Name", "Ship Name"),
    "vessel_imo": ("IMO", "Vessel IMO", "IMO Number", "IMO No", "Vessel IMO Number"),
    "port_of_loading": (
        "Port of Loading",
        "Port of Lading",
        "Foreign Port",
        "Foreign Port of Lading",
        "POL",
    ),
    "port_of_discharge": (
        "Port of Discharge",
        "Port of Unlading",
        "US Port",
        "Port of Unloading",
        "POD",
    ),
}
# A file with more bad rows than this share has changed shape: the run fails.
MAX_BAD_ROW_SHARE = 0.05
_SPLIT_CONTAINERS = re.compile(r"[,;\s]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def header_key(header: str) -> str:
    """A header name for comparison: lower case, runs of other characters as one space."""
    return _NOT_ALNUM.sub(" ", header.lower()).strip()


ALIASES: dict[str, str] = {
    header_key(name): field for field, names in _ALIAS_NAMES.items() for name in (field, *names)
}


class FormatError(Exception):
    """The file is not in the format this spider reads."""


def split_containers(raw: str) -> list[str]:
    return [c.upper() for c in _SPLIT_CONTAINERS.split(raw) if c]


def decode(body: bytes, encoding: str | None) -> tuple[str, str | None]:
    """The body as text, and a warning when it had to be read as cp1252."""
    if encoding:
        return body.decode(encoding, errors="replace"), None
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace"), (
            "not UTF-8: read as cp1252; set [options] encoding in the source file to say which"
        )


def map_header(header: list[str], overrides: dict[str, str]) -> tuple[list[str | None], list[str]]:
    """The field of each column (None: kept under extra), and warnings about the header."""
    fields: list[str | None] = []
    warnings: list[str] = []
    taken: dict[str, str] = {}
    for raw in header:
        key = header_key(raw)
        field = overrides.get(key) or ALIASES.get(key)
        if field is None:
            warnings.append(
                f"unknown column {raw!r}: its values are kept under extra; map it to a field "
                "with [options.columns] in the source file"
            )
        elif field in taken:
            warnings.append(
                f"columns {taken[field]!r} and {raw!r} both map to {field}: the second is kept "
                "under extra"
            )
            field = None
        else:
            taken[field] = raw
        fields.append(field)
    return fields, warnings


def read_csv(
    url: str, body: bytes, encoding: str | None, overrides: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]] | IssueItem]:
    """Rows as entry data (with their line number), or issues about the file and its rows.

    Raises FormatError when the file as a whole cannot be read (truncated, columns missing).
    """
    name = PurePosixPath(urlparse(url).path).name or url
    text, warning = decode(body, encoding)
    if not text.strip():
        raise FormatError(f"{name} is empty: the download failed or the export moved")
    if not text.endswith(("\n", "\r")):
        raise FormatError(
            f"{name} ends in the middle of a row: the download was truncated; crawl again"
        )
    if warning:
        yield IssueItem("warning", url, f"{name}: {warning}")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    fields, warnings = map_header(header, overrides)
    yield from (IssueItem("warning", url, f"{name}: {w}") for w in warnings)
    missing = []
    if "bill_of_lading" not in fields:
        missing.append("a bill of lading column")
    if "shipper_name" not in fields and "consignee_name" not in fields:
        missing.append("a shipper or consignee name column")
    if missing:
        raise FormatError(
            f"{name}: no {' and no '.join(missing)} among the headers "
            f"({', '.join(header)}): set [options.columns] (header = field) in the source file"
        )
    rows = bad = 0
    line_no = reader.line_num
    for row in reader:
        start, line_no = line_no + 1, reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        rows += 1
        if len(row) != len(header):
            bad += 1
            yield IssueItem(
                "warning",
                url,
                f"{name} line {start}: expected {len(header)} cells, found {len(row)}: row skipped",
                dropped=True,
            )
            continue
        data: dict[str, Any] = {}
        extra: dict[str, str] = {}
        for raw, field, cell in zip(header, fields, row, strict=True):
            value = cell.strip()
            if not value:
                continue
            if field is None:
                extra[raw] = value
            elif field == "container_numbers":
                data[field] = split_containers(value)
            else:
                data[field] = _SPACES.sub(" ", value)
        if extra:
            data["extra"] = extra
        yield start, data
    if bad > max(1, MAX_BAD_ROW_SHARE * rows):
        raise FormatError(
            f"{name}: {bad} of {rows} rows do not have the {len(header)} cells of the header: "
            "the export changed shape or is not comma-separated"
        )


class ShippingCsvSpider(SourceSpider):
    """Reads bill-of-lading CSV exports (one entry per row, keyed by the bill of lading)."""

    name = "shipping_csv"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        problems = []
        columns = self.options.get("columns", {})
        if not isinstance(columns, dict):
            problems.append("[options] columns must be a table of header = field")
            columns = {}
        for header, field in columns.items():
            if field not in FIELDS:
                problems.append(
                    f"[options.columns] {header!r} = {field!r}: unknown field; valid fields are "
                    + ", ".join(FIELDS)
                )
        encoding = self.options.get("encoding")
        if encoding is not None:
            try:
                codecs.lookup(str(encoding))
            except LookupError:
                problems.append(f"[options] encoding {encoding!r} is not a known encoding")
        if problems:
            self.fatal_error = f"source {self.source}: " + "; ".join(problems)
            raise CloseSpider("config_error")
        async for request in super().start():
            yield request

    def parse_document(self, response: Response) -> Iterator[Any]:
        url = response.request.url if response.request else response.url
        yield DocumentItem(
            url=url,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type(response),
            body=response.body,
        )
        name = PurePosixPath(urlparse(url).path).name or url
        overrides = {header_key(h): f for h, f in self.options.get("columns", {}).items()}
        encoding = self.options.get("encoding")
        parsed: list[tuple[int, dict[str, Any]]] = []
        issues: list[IssueItem] = []
        try:
            for row in read_csv(url, response.body, encoding, overrides):
                if isinstance(row, IssueItem):
                    issues.append(row)
                else:
                    parsed.append(row)
        except FormatError as exc:
            self.fatal_error = str(exc)
            raise CloseSpider("format_error") from exc
        yield from issues
        seen: dict[str, int] = {}
        for line_no, data in parsed:
            bol = data.get("bill_of_lading")
            if not bol:
                yield IssueItem(
                    "warning", url, f"{name} line {line_no}: no bill of lading: row skipped", True
                )
                continue
            seen[bol] = seen.get(bol, 0) + 1
            key = bol if seen[bol] == 1 else f"{bol}#{seen[bol]}"
            if seen[bol] > 1:
                yield IssueItem(
                    "warning",
                    url,
                    f"{name} line {line_no}: bill of lading {bol} appears again: kept as {key}",
                )
            yield EntryItem(source_key=key, doc_url=url, format=FORMAT, data=data)


def _values(selector: Any, query: str, attribute: str) -> list[str]:
    """What a CSS query selects: text or attribute values as they are, else `attribute`."""
    out = []
    for found in selector.css(query):
        value = found.root if isinstance(found.root, str) else found.attrib.get(attribute)
        if value and value.strip():
            out.append(value.strip())
    return out


def read_fields(response: TextResponse, fields: dict[str, str]) -> dict[str, Any]:
    """The fields of a detail page, by their CSS selectors (missing ones left out)."""
    data: dict[str, Any] = {}
    for field, query in fields.items():
        parts = [_SPACES.sub(" ", v) for v in _values(response, query, "href")]
        parts = [p for p in (p.strip(" ,") for p in parts) if p]
        if not parts:
            continue
        if field == "container_numbers":
            data[field] = [c for p in parts for c in split_containers(p)]
        else:
            data[field] = (", " if field.endswith("_address") else " ").join(parts)
    return data


class ShippingListingSpider(SourceSpider):
    """Reads a trade-data site's shipment listing: pages of rows, one detail page per row."""

    name = "shipping_listing"
    REQUIRED = ("row", "detail_link", "fields")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listing_seen: set[str] = set()
        self.bol_seen: dict[str, int] = {}

    def _config_problems(self) -> list[str]:
        problems = []
        missing = [k for k in self.REQUIRED if not self.options.get(k)]
        if missing:
            problems.append(
                f"[options] must set {', '.join(missing)} (row and detail_link: CSS selectors on "
                "the listing page; [options.fields]: field = CSS selector on the detail page)"
            )
        _fields, field_problems = check_fields(self.options.get("fields"), FIELDS)
        queries = [(k, self.options.get(k)) for k in ("row", "detail_link", "next_page")]
        return problems + field_problems + invalid_selectors(queries)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.stop_on_config_problems(self._config_problems())
        self.listing_seen.update(self.urls)
        async for request in super().start():
            yield request

    def _allowed(self, url: str) -> bool:
        host = (urlparse(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def _document(self, response: Response) -> DocumentItem:
        title = ""
        if isinstance(response, TextResponse):
            title = _SPACES.sub(" ", " ".join(response.css("title::text").getall())).strip()
        return DocumentItem(
            url=response.request.url if response.request else response.url,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type(response),
            body=response.body,
            meta={"title": title},
        )

    def parse_document(self, response: Response) -> Iterator[Any]:
        """A listing page: its rows' detail pages, then the next listing page."""
        yield self._document(response)
        url = response.url
        if not isinstance(response, TextResponse):
            self.fatal_error = f"{url}: not an HTML page ({content_type(response)})"
            raise CloseSpider("format_error")
        rows = response.css(str(self.options["row"]))
        start_page = response.request is not None and response.request.url in self.urls
        if not rows:
            if start_page:
                self.fatal_error = (
                    f"{url}: the row selector {self.options['row']!r} matches nothing: the page "
                    "layout changed; update [options] row in the source file"
                )
                raise CloseSpider("format_error")
            yield IssueItem("warning", url, "listing page without rows")
        for index, row in enumerate(rows, start=1):
            links = _values(row, str(self.options["detail_link"]), "href")
            if not links:
                yield IssueItem(
                    "warning", url, f"row {index}: no detail link: row skipped", dropped=True
                )
                continue
            target = response.urljoin(links[0])
            if not self._allowed(target):
                yield IssueItem(
                    "warning", url, f"row {index}: detail link {target} is offsite: not followed"
                )
                continue
            yield scrapy.Request(target, callback=self.parse_detail, errback=self.on_error)
        next_query = self.options.get("next_page")
        if next_query:
            for link in _values(response, str(next_query), "href")[:1]:
                target = response.urljoin(link)
                if not self._allowed(target):
                    yield IssueItem("warning", url, f"next page {target} is offsite: not followed")
                elif target not in self.listing_seen:
                    self.listing_seen.add(target)
                    yield scrapy.Request(
                        target, callback=self.parse_document, errback=self.on_error
                    )

    def parse_detail(self, response: Response) -> Iterator[Any]:
        """A bill of lading's detail page: one entry."""
        document = self._document(response)
        yield document
        url = document.url
        if not isinstance(response, TextResponse):
            yield IssueItem(
                "warning", url, f"not an HTML page ({document.content_type}): skipped", True
            )
            return
        data = read_fields(response, dict(self.options["fields"]))
        if not data:
            yield IssueItem(
                "warning",
                url,
                "no field selector matches this detail page: skipped (did the layout change? "
                "see [options.fields])",
                dropped=True,
            )
            return
        bol = data.get("bill_of_lading")
        key = bol or url
        if bol:
            self.bol_seen[bol] = self.bol_seen.get(bol, 0) + 1
            if self.bol_seen[bol] > 1:
                key = f"{bol}#{self.bol_seen[bol]}"
                yield IssueItem(
                    "warning", url, f"bill of lading {bol} appears again: kept as {key}"
                )
        yield EntryItem(source_key=key, doc_url=url, format=FORMAT, data=data)
