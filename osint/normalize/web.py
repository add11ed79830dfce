"""Registered domains (offline public suffix list) and email addresses."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import tldextract

_EMAIL = re.compile(r"^[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}$")


@cache
def _extractor() -> tldextract.TLDExtract:
    # The snapshot bundled with tldextract: no download, no cache files written. Private
    # suffixes count (hib.uk.com, shop.github.io belong to whoever registered them).
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def registered_domain(url_or_host: str) -> str | None:
    """ "http://WWW.Example.co.uk/x" -> "example.co.uk"; an email gives its domain's."""
    text = url_or_host.strip().lower()
    if not text:
        return None
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    host = urlsplit(text if "//" in text else f"//{text}").hostname
    if not host:
        return None
    parts = _extractor()(host)
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"


def normalize_email(raw: str) -> str | None:
    """Lower-cased and stripped, or None when it is not an email address."""
    text = raw.strip().strip(".,;").lower()
    return text if _EMAIL.match(text) else None
