"""Identifier recognizers: phones, messenger handles, emails, URLs, wallets and codes in text.

Pure Python, no spaCy: `find_identifiers` runs every recognizer over a text (visible page
text, a press release, a forum post, or raw HTML) and returns what they found, sorted by
position. Where two findings would claim the same characters, the more specific one is kept
(see `_PRIORITY`), then the longer one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from osint.extract.recognizers import analytics as _analytics
from osint.extract.recognizers import codes as _codes
from osint.extract.recognizers import emails as _emails
from osint.extract.recognizers import messengers as _messengers
from osint.extract.recognizers import phones as _phones
from osint.extract.recognizers import urls as _urls
from osint.extract.recognizers import wallets as _wallets
from osint.extract.recognizers.analytics import find_analytics_ids
from osint.extract.recognizers.found import LABELS, Found

__all__ = ["LABELS", "Found", "find_analytics_ids", "find_identifiers"]

# Most specific first: a checksummed wallet over anything its characters look like, an email
# over the URL of its domain, a messenger link or labelled phone over a bare URL.
_PRIORITY = (
    "WALLET",
    "ANALYTICS_ID",
    "USCC",
    "CONTAINER",
    "ICP",
    "IMO",
    "MMSI",
    "HS_CODE",
    "EMAIL",
    "MESSENGER",
    "PHONE",
    "URL",
)
_RECOGNIZERS = (_wallets, _analytics, _codes, _emails, _messengers, _phones, _urls)


def _resolve(found: Iterable[Found]) -> list[Found]:
    """Keep non-overlapping findings: by priority, then longest, then leftmost."""
    ranked = sorted(
        set(found), key=lambda f: (_PRIORITY.index(f.label), f.start - f.end, f.start, f.value)
    )
    starts: list[int] = []
    kept: list[Found] = []  # sorted by start, non-overlapping
    for item in ranked:
        i = bisect_right(starts, item.start)
        if i > 0 and kept[i - 1].end > item.start:
            continue
        if i < len(kept) and kept[i].start < item.end:
            continue
        starts.insert(i, item.start)
        kept.insert(i, item)
    return kept


def find_identifiers(text: str, country_hint: str | None = None) -> list[Found]:
    """All identifiers in text, sorted by start, non-overlapping where the same characters
    would be claimed twice (keep the more specific: a wallet over a phone, an email over a
    URL, etc.). `country_hint` (ISO2) is the country national phone numbers are read in.
    """
    return _resolve(f for module in _RECOGNIZERS for f in module.find(text, country_hint))
