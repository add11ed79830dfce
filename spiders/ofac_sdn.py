"""OFAC SDN list in its legacy CSV publication: `sdn.csv` with `add.csv` and `alt.csv`.

Format (US Treasury, "SDN list - legacy file formats"): no header row, CRLF line ends,
`-0- ` for an empty field, sometimes a trailing SUB (0x1A) byte. Columns:

* sdn.csv: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
  Vess_flag, Vess_owner, Remarks
* add.csv: ent_num, Add_num, Address, City/State/Province/Postal Code, Country, Add_remarks
* alt.csv: ent_num, alt_num, alt_type, alt_name, alt_remarks

The three files are fetched one after another and joined on ent_num; one entry per SDN row
is yielded after all three have been read, so a broken file never yields half-joined entries.
Which file is which is told by the URL's file name (sdn / add / alt, any case).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from spiders.base import SourceSpider, content_type
from spiders.items import DocumentItem, EntryItem, IssueItem

FORMAT = "ofac_sdn_csv.v1"
EMPTY = "-0-"
COLUMNS: dict[str, tuple[str, ...]] = {
    "sdn": (
        "ent_num",
        "name",
        "type",
        "program",
        "title",
        "call_sign",
        "vessel_type",
        "tonnage",
        "grt",
        "vessel_flag",
        "vessel_owner",
        "remarks",
    ),
    "add": ("ent_num", "add_num", "address", "city", "country", "remarks"),
    "alt": ("ent_num", "alt_num", "type", "name", "remarks"),
}
# A file with more bad rows than this share has changed shape: the run fails.
MAX_BAD_ROW_SHARE = 0.05


class FormatError(Exception):
    """The file is not in the format this spider reads."""


def file_kind(url: str) -> str | None:
    stem = PurePosixPath(urlparse(url).path).stem.lower()
    return stem if stem in COLUMNS else None


def decode(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
    return text.rstrip("\x1a")


def read_rows(
    kind: str, url: str, body: bytes
) -> Iterator[tuple[int, dict[str, str | None]] | str]:
    """Rows of one file as dicts, or a warning string for a row that is skipped.

    Raises FormatError when the file as a whole is not this format (truncated, wrong columns).
    """
    columns = COLUMNS[kind]
    text = decode(body)
    name = PurePosixPath(urlparse(url).path).name
    if not text.strip():
        raise FormatError(f"{name} is empty: the download failed or the publication moved")
    if not text.endswith(("\n", "\r")):
        raise FormatError(
            f"{name} ends in the middle of a row: the download was truncated; crawl again"
        )
    rows = list(csv.reader(io.StringIO(text, newline="")))
    bad = 0
    for line_no, row in enumerate(rows, start=1):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(columns):
            bad += 1
            yield (
                f"{name} line {line_no}: expected {len(columns)} columns "
                f"({', '.join(columns)}), found {len(row)}: row skipped"
            )
            continue
        values = [None if v.strip() in (EMPTY, "") else v.strip() for v in row]
        yield line_no, dict(zip(columns, values, strict=True))
    if rows and bad > max(1, MAX_BAD_ROW_SHARE * len(rows)):
        raise FormatError(
            f"{name}: {bad} of {len(rows)} rows do not have the {len(columns)} columns of the "
            "OFAC legacy CSV format: the publication changed shape; update spiders/ofac_sdn.py"
        )


def split_programs(raw: str | None) -> list[str]:
    if not raw:
        return []
    return [p.strip(" []") for p in raw.split("] [") if p.strip(" []")]


class OfacSdnCsvSpider(SourceSpider):
    """Reads OFAC's legacy SDN CSV files (sdn.csv required; add.csv and alt.csv joined in)."""

    name = "ofac_sdn_csv"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        kinds = {url: file_kind(url) for url in self.urls}
        unknown = [u for u, k in kinds.items() if k is None]
        if unknown or "sdn" not in kinds.values():
            self.fatal_error = (
                f"source {self.source}: urls must name sdn.csv (and optionally add.csv, alt.csv); "
                f"got {', '.join(self.urls)}"
            )
            raise CloseSpider("config_error")
        order = sorted(self.urls, key=lambda u: ("sdn", "add", "alt").index(kinds[u] or "sdn"))
        yield self._request(order, 0, {})

    def _request(self, order: list[str], index: int, parsed: dict[str, Any]) -> scrapy.Request:
        return scrapy.Request(
            order[index],
            callback=self.parse_file,
            errback=self.on_error,
            cb_kwargs={"order": order, "index": index, "parsed": parsed},
        )

    def parse_file(
        self, response: Response, order: list[str], index: int, parsed: dict[str, Any]
    ) -> Iterator[Any]:
        # Documents are yielded with the entries, once all three files parsed: a broken
        # download never replaces the stored copy of a good one.
        parsed.setdefault("documents", []).append(
            DocumentItem(
                url=order[index],
                final_url=response.url,
                http_status=response.status,
                content_type=content_type(response),
                body=response.body,
            )
        )
        kind = file_kind(order[index]) or "sdn"
        rows: list[dict[str, str | None]] = []
        try:
            for row in read_rows(kind, order[index], response.body):
                if isinstance(row, str):
                    yield IssueItem("warning", response.url, row, dropped=True)
                else:
                    rows.append(row[1])
        except FormatError as exc:
            self.fatal_error = str(exc)
            raise CloseSpider("format_error") from exc
        parsed[kind] = rows
        if index + 1 < len(order):
            yield self._request(order, index + 1, parsed)
        else:
            yield from parsed["documents"]
            yield from self.entries(order[0], parsed)

    def entries(self, sdn_url: str, parsed: dict[str, Any]) -> Iterator[Any]:
        sdn_rows: list[dict[str, str | None]] = parsed["sdn"]
        known = {row["ent_num"] for row in sdn_rows}
        extra: dict[str, dict[str, list[dict[str, str | None]]]] = {"add": {}, "alt": {}}
        for kind in ("add", "alt"):
            orphans = 0
            for row in parsed.get(kind, []):
                ent_num = row.pop("ent_num")
                if ent_num not in known:
                    orphans += 1
                    continue
                extra[kind].setdefault(ent_num or "", []).append(row)
            if orphans:
                yield IssueItem(
                    "warning",
                    sdn_url,
                    f"{kind}.csv: {orphans} rows name an ent_num missing from sdn.csv "
                    "(the files come from different publication days): rows ignored",
                )
        for row in sdn_rows:
            ent_num = row["ent_num"]
            if not ent_num:
                yield IssueItem(
                    "warning", sdn_url, "sdn.csv: a row without ent_num: skipped", dropped=True
                )
                continue
            data: dict[str, Any] = dict(row)
            data["programs"] = split_programs(data.pop("program"))
            data["addresses"] = extra["add"].get(ent_num, [])
            data["aliases"] = extra["alt"].get(ent_num, [])
            yield EntryItem(source_key=ent_num, doc_url=sdn_url, format=FORMAT, data=data)
