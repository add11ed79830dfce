"""Countries as written in sanctions lists (names, adjectives, codes) to ISO 3166 alpha-2."""

from __future__ import annotations

from functools import cache

from rigour.territories import lookup_territory

# Values that name no single country on purpose.
NOT_A_COUNTRY = {"undetermined", "unknown", "country unknown", "stateless"}


@cache
def to_iso2(value: str) -> str | None:
    """ "United Kingdom" -> "GB", "Iranian" -> "IR", "DE" -> "DE"; None when unknown.

    Uses rigour's territory names (offline data in the package). Sub-national regions (e.g.
    "region: Crimea") map to None rather than to a guess.
    """
    text = value.strip()
    if not text or text.lower() in NOT_A_COUNTRY:
        return None
    territory = lookup_territory(text)
    if territory is None:
        return None
    code = territory.ftm_country
    if not code or len(code) != 2:
        return None
    return code.upper()
