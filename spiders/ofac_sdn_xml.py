"""OFAC SDN list in its "classic" XML publication (`sdn.xml`, schema `sdnList`).

Schema: http://tempuri.org/sdnList.xsd (US Treasury, "SDN list - XML format"). The root
``<sdnList>`` holds one ``<publshInformation>`` (``Publish_Date``, ``Record_Count``; the
misspelling is OFAC's) and one ``<sdnEntry>`` per listed party, keyed by ``uid``. An entry has
scalar fields (uid, firstName, lastName, title, sdnType, remarks), list elements
(programList/program, idList/id, akaList/aka, addressList/address, nationalityList/nationality,
citizenshipList/citizenship, dateOfBirthList/dateOfBirthItem, placeOfBirthList/placeOfBirthItem)
and one ``vesselInfo`` group. What the legacy CSV packs into Remarks (passports, registration
numbers, IMO, wallets, e-mail, websites, gender, sanctions information) appears here as
``<id>`` elements whose ``idType`` is the Remarks label.

Entries keep the fields as published, with the namespace stripped from the tag names: scalars
as strings, list elements as lists (of strings for programList, of dicts otherwise) and
vesselInfo as a dict. Reading is strict: every element must be one this spider knows, and
anything else is reported as an issue (never dropped silently).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from spiders.base import SourceSpider, content_type
from spiders.items import DocumentItem, EntryItem, IssueItem

FORMAT = "ofac_sdn_xml.v1"
NAMESPACE = "http://tempuri.org/sdnList.xsd"

# Plain text fields of an sdnEntry.
SCALARS = {"uid", "firstName", "lastName", "title", "sdnType", "remarks"}
# List elements holding plain text items: list tag -> item tag.
TEXT_LISTS = {"programList": "program"}
# List elements holding groups: list tag -> (item tag, the fields an item may hold).
GROUP_LISTS: dict[str, tuple[str, set[str]]] = {
    "idList": (
        "id",
        {"uid", "idType", "idNumber", "idCountry", "issueDate", "expirationDate"},
    ),
    "akaList": ("aka", {"uid", "type", "category", "lastName", "firstName"}),
    "addressList": (
        "address",
        {
            "uid",
            "address1",
            "address2",
            "address3",
            "city",
            "stateOrProvince",
            "postalCode",
            "country",
        },
    ),
    "nationalityList": ("nationality", {"uid", "country", "mainEntry"}),
    "citizenshipList": ("citizenship", {"uid", "country", "mainEntry"}),
    "dateOfBirthList": ("dateOfBirthItem", {"uid", "dateOfBirth", "mainEntry"}),
    "placeOfBirthList": ("placeOfBirthItem", {"uid", "placeOfBirth", "mainEntry"}),
}
# Single groups: tag -> the fields it may hold.
GROUPS: dict[str, set[str]] = {
    "vesselInfo": {
        "callSign",
        "vesselType",
        "vesselFlag",
        "vesselOwner",
        "tonnage",
        "grossRegisteredTonnage",
    },
}
PUBLISH_FIELDS = {"Publish_Date", "Record_Count"}


def local_name(el: Any) -> str | None:
    """The tag without its namespace; None for comments and processing instructions."""
    if not isinstance(el.tag, str):
        return None
    return str(etree.QName(el).localname)


def _text(el: Any) -> str | None:
    text = (el.text or "").strip()
    return text or None


def _children(el: Any) -> Iterator[tuple[str, Any]]:
    for child in el:
        tag = local_name(child)
        if tag is not None:
            yield tag, child


def _fields(el: Any, known: set[str], path: str, unknown: list[str]) -> dict[str, str]:
    """The text fields of a group element; unknown children are recorded by path."""
    fields: dict[str, str] = {}
    for tag, child in _children(el):
        if tag not in known:
            unknown.append(f"{path}/{tag}")
            continue
        value = _text(child)
        if value is not None:
            fields[tag] = value
    return fields


def read_entry(el: Any) -> tuple[dict[str, Any], list[str]]:
    """One sdnEntry as a dict of its fields, and the paths of unknown elements."""
    data: dict[str, Any] = {}
    unknown: list[str] = []
    for tag, child in _children(el):
        if tag in SCALARS:
            value = _text(child)
            if value is not None:
                data[tag] = value
        elif tag in TEXT_LISTS:
            values: list[str] = data.setdefault(tag, [])
            for item_tag, item in _children(child):
                if item_tag != TEXT_LISTS[tag]:
                    unknown.append(f"{tag}/{item_tag}")
                elif (value := _text(item)) is not None:
                    values.append(value)
        elif tag in GROUP_LISTS:
            item_name, known = GROUP_LISTS[tag]
            items: list[dict[str, str]] = data.setdefault(tag, [])
            for item_tag, item in _children(child):
                if item_tag != item_name:
                    unknown.append(f"{tag}/{item_tag}")
                elif fields := _fields(item, known, f"{tag}/{item_tag}", unknown):
                    items.append(fields)
        elif tag in GROUPS:
            if fields := _fields(child, GROUPS[tag], tag, unknown):
                data.setdefault(tag, {}).update(fields)
        else:
            unknown.append(tag)
    return data, unknown


def read_publish_information(el: Any) -> tuple[dict[str, str], list[str]]:
    """Publish_Date and Record_Count as written, and the names of unknown elements."""
    unknown: list[str] = []
    return _fields(el, PUBLISH_FIELDS, "publshInformation", unknown), unknown


class OfacSdnXmlSpider(SourceSpider):
    """Reads OFAC's SDN list XML (sdn.xml, `sdnList` schema)."""

    name = "ofac_sdn_xml"

    def parse_document(self, response: Response) -> Iterator[Any]:
        url = response.request.url if response.request else response.url
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        try:
            root = etree.fromstring(response.body, parser=parser)
        except etree.XMLSyntaxError as exc:
            self.fatal_error = (
                f"{response.url} is not well-formed XML ({exc}): the download was truncated "
                "or the publication changed; crawl again"
            )
            raise CloseSpider("format_error") from exc
        if local_name(root) != "sdnList":
            self.fatal_error = (
                f"{response.url}: root element is <{local_name(root)}>, not <sdnList>: "
                "is this OFAC's classic SDN XML (sdn.xml)?"
            )
            raise CloseSpider("format_error")
        # Only a document that parsed replaces the stored copy (as the UN spider does).
        meta: dict[str, Any] = {}
        for el in root:
            if local_name(el) == "publshInformation":
                meta, _ = read_publish_information(el)
        yield DocumentItem(
            url=url,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type(response),
            body=response.body,
            meta=meta,
        )
        namespace = etree.QName(root).namespace
        if namespace != NAMESPACE:
            yield IssueItem(
                "warning",
                url,
                f"<sdnList> namespace is {namespace!r}, not {NAMESPACE!r}: read as sdnList; "
                "check whether the schema changed",
            )
        yield from self.read_list(url, root)

    def read_list(self, url: str, root: Any) -> Iterator[EntryItem | IssueItem]:
        record_count: str | None = None
        entries = 0
        for tag, el in _children(root):
            if tag == "publshInformation":
                info, unknown = read_publish_information(el)
                record_count = info.get("Record_Count", record_count)
                for path in unknown:
                    yield IssueItem("warning", url, f"unknown element <{path}> not read")
            elif tag == "sdnEntry":
                entries += 1
                yield from self.entry(url, el)
            else:
                yield IssueItem("warning", url, f"unknown element <sdnList/{tag}> not read")
        if record_count is None:
            yield IssueItem("warning", url, "no publshInformation/Record_Count to check against")
        elif not record_count.isdigit() or int(record_count) != entries:
            yield IssueItem(
                "warning",
                url,
                f"Record_Count says {record_count} but {entries} sdnEntry elements were read: "
                "the file may be incomplete",
            )

    def entry(self, url: str, el: Any) -> Iterator[EntryItem | IssueItem]:
        data, unknown = read_entry(el)
        key = data.get("uid")
        if not key:
            yield IssueItem(
                "warning", url, f"line {el.sourceline}: sdnEntry without uid: skipped", dropped=True
            )
            return
        for path in unknown:
            yield IssueItem("warning", url, f"uid {key}: unknown element <{path}> not read")
        yield EntryItem(source_key=key, doc_url=url, format=FORMAT, data=data)
