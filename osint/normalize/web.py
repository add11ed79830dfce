"""Registered domains of URLs, host names and email addresses; email addresses cleaned.

Domains come from the public suffix list snapshot bundled with tldextract: nothing is
downloaded and no cache is written (not to the home directory, not anywhere).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import tldextract

_EMAIL = re.compile(r"^[a-z0-9._%+'-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}$")
_HOST = re.compile(r"^[\w.-]+$")


@cache
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() -> no download; cache_dir=None -> DiskCache disabled, nothing written;
    # the bundled snapshot is the only source. Private suffixes count, so "hib.uk.com" and
    # "x.blogspot.com" belong to whoever registered them, not to the suffix operator.
    return tldextract.TLDExtract(
        suffix_list_urls=(),
        cache_dir=None,
        fallback_to_snapshot=True,
        include_psl_private_domains=True,
    )


def registered_domain(url_or_host: str) -> str | None:
    """ "http://WWW.Example.co.uk/x" -> "example.co.uk"; "a@b.example.com" -> "example.com".

    None when there is no host or the host is not under a public suffix (IP, "localhost").
    """
    text = url_or_host.strip().lower()
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    try:
        host = urlsplit(text if "//" in text else f"//{text}").hostname
    except ValueError:  # e.g. an unbalanced "[" taken for an IPv6 address
        return None
    if not host or not _HOST.match(host):
        return None
    parts = _extractor()(host)
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"


def normalize_email(raw: str) -> str | None:
    """Lower-cased and stripped ("mailto:" and trailing punctuation too), or None if invalid."""
    text = raw.strip().strip(".,;<>").lower().removeprefix("mailto:")
    return text if _EMAIL.match(text) and ".." not in text else None
