"""UN Security Council consolidated sanctions list, XML publication (`CONSOLIDATED_LIST`).

Schema: https://www.un.org/sc/resources/sc-sanctions.xsd. One entry per INDIVIDUAL and per
ENTITY, keyed by DATAID. Reading is strict: every child element must be one this spider knows,
and anything else is reported as an issue (never dropped silently).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from spiders.base import SourceSpider, content_type
from spiders.items import DocumentItem, EntryItem, IssueItem

FORMAT = "un_consolidated_xml.v1"

# Plain text fields of an individual or entity.
SCALARS = {
    "DATAID",
    "VERSIONNUM",
    "FIRST_NAME",
    "SECOND_NAME",
    "THIRD_NAME",
    "FOURTH_NAME",
    "UN_LIST_TYPE",
    "REFERENCE_NUMBER",
    "LISTED_ON",
    "SUBMITTED_ON",
    "SUBMITTED_BY",
    "GENDER",
    "NAME_ORIGINAL_SCRIPT",
    "COMMENTS1",
    "NOTE",
    "SORT_KEY",
    "SORT_KEY_LAST_MOD",
    "DELISTED_ON",
}
# Elements holding a list of <VALUE> children.
VALUE_LISTS = {"TITLE", "DESIGNATION", "NATIONALITY", "LIST_TYPE", "LAST_DAY_UPDATED"}
# Repeated groups, with the fields each may hold.
GROUPS: dict[str, set[str]] = {
    "ALIAS": {
        "QUALITY",
        "ALIAS_NAME",
        "NOTE",
        "DATE_OF_BIRTH",
        "CITY_OF_BIRTH",
        "COUNTRY_OF_BIRTH",
    },
    "ADDRESS": {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE"},
    "DATE_OF_BIRTH": {"TYPE_OF_DATE", "DATE", "YEAR", "FROM_YEAR", "TO_YEAR", "NOTE"},
    "PLACE_OF_BIRTH": {"STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"},
    "DOCUMENT": {
        "TYPE_OF_DOCUMENT",
        "TYPE_OF_DOCUMENT2",
        "NUMBER",
        "ISSUING_COUNTRY",
        "DATE_OF_ISSUE",
        "CITY_OF_ISSUE",
        "COUNTRY_OF_ISSUE",
        "NOTE",
    },
}


def _text(el: Any) -> str | None:
    text = (el.text or "").strip()
    return text or None


def read_party(el: Any, kind: str) -> tuple[dict[str, Any], list[str]]:
    """One INDIVIDUAL or ENTITY as a dict of its fields, and the names of unknown elements."""
    data: dict[str, Any] = {"kind": kind}
    unknown: list[str] = []
    prefix = kind.upper() + "_"
    for child in el:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        tag = child.tag
        if tag in SCALARS:
            value = _text(child)
            if value is not None:
                data[tag.lower()] = value
        elif tag in VALUE_LISTS:
            values = [v for v in (_text(c) for c in child if c.tag == "VALUE") if v]
            data.setdefault(tag.lower(), []).extend(values)
        elif tag.startswith(prefix) and tag[len(prefix) :] in GROUPS:
            group = tag[len(prefix) :]
            fields: dict[str, str] = {}
            for part in child:
                if not isinstance(part.tag, str):
                    continue
                if part.tag not in GROUPS[group]:
                    unknown.append(f"{tag}/{part.tag}")
                    continue
                value = _text(part)
                if value is not None:
                    fields[part.tag.lower()] = value
            if fields:
                data.setdefault(group.lower(), []).append(fields)
        else:
            unknown.append(tag)
    return data, unknown


class UnConsolidatedXmlSpider(SourceSpider):
    """Reads the UN Security Council consolidated list XML."""

    name = "un_consolidated_xml"

    def parse_document(self, response: Response) -> Iterator[Any]:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        try:
            root = etree.fromstring(response.body, parser=parser)
        except etree.XMLSyntaxError as exc:
            self.fatal_error = (
                f"{response.url} is not well-formed XML ({exc}): the download was truncated "
                "or the publication changed; crawl again"
            )
            raise CloseSpider("format_error") from exc
        if root.tag != "CONSOLIDATED_LIST":
            self.fatal_error = (
                f"{response.url}: root element is <{root.tag}>, not <CONSOLIDATED_LIST>: "
                "is this the UN consolidated list XML?"
            )
            raise CloseSpider("format_error")
        # Only a document that parsed replaces the stored copy.
        yield DocumentItem(
            url=response.request.url if response.request else response.url,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type(response),
            body=response.body,
        )
        url = response.request.url if response.request else response.url
        for group, kind in (("INDIVIDUALS", "individual"), ("ENTITIES", "entity")):
            for el in root.iterfind(f"{group}/{kind.upper()}"):
                data, unknown = read_party(el, kind)
                key = data.get("dataid")
                if not key:
                    line = el.sourceline
                    yield IssueItem(
                        "warning", url, f"line {line}: {kind} without DATAID: skipped", dropped=True
                    )
                    continue
                for tag in unknown:
                    yield IssueItem(
                        "warning", url, f"DATAID {key}: unknown element <{tag}> not read"
                    )
                yield EntryItem(source_key=key, doc_url=url, format=FORMAT, data=data)
