"""Reading the schema.org structured data a web page carries about itself.

Two of the syntaxes schema.org documents for marking up pages:

* JSON-LD (W3C "JSON-LD 1.1"): ``<script type="application/ld+json">`` blocks. A block holds one
  node object, an array of them, or an object with an ``@graph`` array; :func:`read_json_ld`
  returns the node objects of all blocks in document order (a ``@context`` given beside
  ``@graph`` is copied into each node that has none). A block that is not valid JSON is
  reported through the optional ``errors`` list and skipped, never raised: marketplace pages
  often carry hand-written, broken JSON-LD.
* Microdata (W3C "HTML Microdata", the WHATWG HTML "Microdata" section): elements with
  ``itemscope``/``itemtype``/``itemid``, properties named by ``itemprop`` (several names
  separated by spaces), ``itemref`` pulling in properties from elsewhere on the page.
  :func:`read_microdata` returns the top-level items (``itemscope`` without ``itemprop``) in
  the JSON form the microdata specification defines: ``{"type": [...], "id": ...,
  "properties": {name: [value, ...]}}``, nested items as values. A property's value follows
  the specification's table (``meta``: ``content``; ``a``/``area``/``link``: ``href``;
  ``img``/``audio``/``video``/``source``/``iframe``/``embed``/``track``: ``src``;
  ``object``: ``data``; ``data``/``meter``: ``value``; ``time``: ``datetime``; otherwise the
  text), with one widespread liberty: a ``content`` attribute on any element wins, as
  schema.org's own examples and search engines use it (``<span itemprop="price"
  content="120.00">``).

:func:`schema_nodes` turns both into plain schema.org nodes (``{"@type": "Product", "name":
..., "offers": {...}}``: types without the ``https://schema.org/`` prefix, single values
unwrapped) so that callers read one shape.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

_SPACES = re.compile(r"\s+")
# What may wrap a JSON-LD block's text: HTML comments and CDATA markers from old templates.
_WRAPPERS = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_URL_ATTRIBUTE = {
    "a": "href",
    "area": "href",
    "link": "href",
    "audio": "src",
    "embed": "src",
    "iframe": "src",
    "img": "src",
    "source": "src",
    "track": "src",
    "video": "src",
    "object": "data",
}
_VALUE_ATTRIBUTE = {"meta": "content", "data": "value", "meter": "value"}
_SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/")


def _root(html: str) -> Any:
    """The lxml root element of `html` (an empty document for empty text)."""
    return Selector(text=html or "<html></html>", type="html").root


def read_json_ld(html: str, errors: list[str] | None = None) -> list[dict[str, Any]]:
    """The JSON-LD node objects of a page; problems are appended to `errors` (if given)."""
    nodes: list[dict[str, Any]] = []
    scripts = [
        el
        for el in _root(html).iter("script")
        if (el.get("type") or "").split(";")[0].strip().lower() == "application/ld+json"
    ]
    for number, script in enumerate(scripts, start=1):
        raw = _WRAPPERS.sub("", script.text or "").strip()
        if not raw:
            continue
        try:
            value = json.loads(raw)
        except ValueError as exc:
            if errors is not None:
                errors.append(f"JSON-LD block {number} is not valid JSON ({exc}): skipped")
            continue
        for node in value if isinstance(value, list) else [value]:
            if not isinstance(node, dict):
                continue
            graph = node.get("@graph")
            if isinstance(graph, list):
                context = node.get("@context")
                for member in graph:
                    if isinstance(member, dict):
                        if context is not None and "@context" not in member:
                            member = {"@context": context, **member}
                        nodes.append(member)
            elif graph is None:
                nodes.append(node)
    return nodes


def _text(element: Any) -> str:
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def _property_value(element: Any, base_url: str, ids: dict[str, Any], path: set[int]) -> Any:
    if element.get("itemscope") is not None:
        return _item(element, base_url, ids, path)
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if element.get("content") is not None:
        return str(element.get("content")).strip()
    if tag in _URL_ATTRIBUTE:
        value = (element.get(_URL_ATTRIBUTE[tag]) or "").strip()
        return urljoin(base_url, value) if value and base_url else value
    if tag in _VALUE_ATTRIBUTE:
        return (element.get(_VALUE_ATTRIBUTE[tag]) or "").strip()
    if tag == "time" and element.get("datetime") is not None:
        return str(element.get("datetime")).strip()
    return _text(element)


def _properties(item: Any, ids: dict[str, Any]) -> list[Any]:
    """The elements carrying the item's properties (the specification's crawl, in tree order)."""
    pending = list(item)
    for ref in (item.get("itemref") or "").split():
        if ref in ids:
            pending.append(ids[ref])
    found: list[Any] = []
    seen: set[int] = set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen or not isinstance(current.tag, str):
            continue
        seen.add(id(current))
        if current.get("itemprop") is not None:
            found.append(current)
        if current.get("itemscope") is None:
            pending.extend(current)
    order = {id(el): n for n, el in enumerate(item.getroottree().iter())}
    return sorted(found, key=lambda el: order.get(id(el), 0))


def _item(element: Any, base_url: str, ids: dict[str, Any], path: set[int]) -> dict[str, Any]:
    item: dict[str, Any] = {"type": (element.get("itemtype") or "").split()}
    if element.get("itemid"):
        item["id"] = urljoin(base_url, element.get("itemid").strip())
    properties: dict[str, list[Any]] = {}
    inner = path | {id(element)}
    for prop in _properties(element, ids):
        if prop.get("itemscope") is not None and id(prop) in inner:
            value: Any = "ERROR"  # an item that contains itself (the specification's word)
        else:
            value = _property_value(prop, base_url, ids, inner)
        for name in prop.get("itemprop").split():
            properties.setdefault(name, []).append(value)
    item["properties"] = properties
    return item


def read_microdata(html: str, base_url: str = "") -> list[dict[str, Any]]:
    """The page's top-level microdata items, in the microdata specification's JSON form."""
    root = _root(html)
    ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    return [
        _item(el, base_url, ids, set())
        for el in root.iter()
        if isinstance(el.tag, str)
        and el.get("itemscope") is not None
        and el.get("itemprop") is None
    ]


def short_type(value: str) -> str:
    """A schema.org type without its vocabulary prefix: https://schema.org/Product -> Product."""
    for prefix in _SCHEMA_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value.removeprefix("schema:")


def _node_from_microdata(item: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    types = [short_type(t) for t in item.get("type", [])]
    if types:
        node["@type"] = types[0] if len(types) == 1 else types
    if item.get("id"):
        node["@id"] = item["id"]
    for name, values in item.get("properties", {}).items():
        converted = [_node_from_microdata(v) if isinstance(v, dict) else v for v in values]
        node[name] = converted[0] if len(converted) == 1 else converted
    return node


def schema_nodes(items: list[dict[str, Any]], syntax: str) -> list[dict[str, Any]]:
    """JSON-LD nodes (syntax "json_ld") or microdata items ("microdata") as schema.org nodes."""
    if syntax == "microdata":
        return [_node_from_microdata(item) for item in items]
    return items


def types_of(node: dict[str, Any]) -> set[str]:
    """The schema.org types of a node (JSON-LD ``@type`` or converted microdata)."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {short_type(v) for v in values if isinstance(v, str)}
