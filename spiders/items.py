"""Items the spiders yield and the store pipeline writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class DocumentItem:
    """A fetched document with its provenance; the raw body is kept for re-extraction."""

    url: str
    final_url: str
    http_status: int
    content_type: str
    body: bytes
    # What the spider read off the page as it is (title, published date, text, links, ...).
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class EntryItem:
    """One listed entity as the source publishes it: the source's key and its raw fields."""

    source_key: str
    doc_url: str
    format: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class IssueItem:
    """Something the spider noticed that a person should see (a skipped row, an unknown field)."""

    level: str
    url: str
    message: str
    dropped: bool = False  # True when a row or entry was skipped because of it
