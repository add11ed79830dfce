"""The one result type every recognizer returns, and the labels it may carry."""

from __future__ import annotations

from dataclasses import dataclass

#: Every label a recognizer can give, in no particular order.
LABELS = (
    "PHONE",
    "MESSENGER",
    "EMAIL",
    "URL",
    "WALLET",
    "USCC",
    "IMO",
    "MMSI",
    "CONTAINER",
    "ICP",
    "HS_CODE",
    "ANALYTICS_ID",
)


@dataclass(frozen=True, slots=True)
class Found:
    """One identifier in a text: `text[start:end]` is what was written, `value` the normal form.

    `detail` carries extra context: the messenger app(s) a phone was written after
    ("telegram,whatsapp"), the URL as written, the chain an address format says, the kind of
    analytics id.
    """

    label: str
    start: int
    end: int
    value: str
    detail: str = ""
