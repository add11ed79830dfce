"""The record: the contract between extract and resolve (see docs/schema.md).

One row per entity per document (or per structured entry). Lists are lists; absent is None
for scalars and an empty list for lists. Identifiers are ``scheme:value`` strings, wallets
``CHAIN:address``, countries ISO 3166 alpha-2.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["organization", "person", "vessel"]
KINDS: tuple[Kind, ...] = ("organization", "person", "vessel")


def stable_id(prefix: str, *parts: str) -> str:
    """A short, stable id from stable parts (never from names or dates of birth)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:20]}"


def record_id(source: str, source_key: str) -> str:
    """Record id: a hash of the source and the source's own stable key for the entity."""
    return stable_id("rec", source, source_key)


@dataclass(slots=True)
class Relation:
    """A relation from one record to another record or to a name (e.g. OFAC "Linked To")."""

    relation: str
    target_name: str
    target_source_key: str | None = None


@dataclass(slots=True)
class Record:
    """One entity as one source (or one document) describes it."""

    source: str
    source_key: str
    doc_id: str
    kind: Kind
    name: str
    origin: str
    confidence: float = 1.0
    aliases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    nationality: list[str] = field(default_factory=list)
    address: str | None = None
    city: str | None = None
    dob: str | None = None
    dobs: list[str] = field(default_factory=list)  # every date of birth given (dob is the first)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    wallets: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    chemicals: list[str] = field(default_factory=list)
    hs_codes: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    # Where each value came from: {field, value, start, end, origin} (text extraction).
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def record_id(self) -> str:
        return record_id(self.source, self.source_key)
