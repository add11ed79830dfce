"""Helpers shared by the structured-source mappers: lists without duplicates, normalizers."""

from __future__ import annotations

from collections.abc import Iterable

from osint.normalize import normalize_email, registered_domain, to_e164, to_iso2


def unique(values: Iterable[str | None]) -> list[str]:
    """Non-empty values in first-seen order, without duplicates."""
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def countries(values: Iterable[str | None]) -> list[str]:
    return unique(to_iso2(v) for v in values if v)


def phones(values: Iterable[str], hint: str | None) -> list[str]:
    return unique(to_e164(v, hint) for v in values)


def emails(values: Iterable[str]) -> list[str]:
    return unique(normalize_email(v) for v in values)


def domains(websites: Iterable[str], email_list: Iterable[str]) -> list[str]:
    return unique(registered_domain(v) for v in [*websites, *email_list])


def identifier(scheme: str, value: str) -> str:
    """`scheme:value` with the value upper-cased and without spaces or dashes."""
    clean = "".join(ch for ch in value.upper() if ch.isalnum())
    return f"{scheme}:{clean}"


def wallet(chain: str, address: str) -> str:
    """`CHAIN:address`; Ethereum-style hex addresses lower case (their case is only a checksum),
    so an address written in checksum case links with the same one in lower case."""
    addr = address.strip()
    if addr[:2].lower() == "0x" and len(addr) == 42:
        addr = addr.lower()
    return f"{chain.upper()}:{addr}"
