"""Countries as written in sanctions lists (names, adjectives, codes) to ISO 3166-1 alpha-2.

Lookups use rigour's bundled territory data (names, demonyms, codes; no network). A
sub-national territory maps to the country it belongs to ("Region: Crimea" -> "UA", "Gaza"
-> "PS"), a former country to its single successor ("Zaire" -> "CD"); values naming no single
country ("undetermined", "former Soviet Union", "Commonwealth of Independent States",
"European Union") give None.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.territories import lookup_territory
from rigour.territories.territory import Territory

# OFAC prefixes regions: "Region: Crimea", "Region: Gaza".
_REGION_PREFIX = re.compile(r"^\s*region\s*:\s*", re.IGNORECASE)
# Forms rigour does not know, lower case -> alpha-2.
OVERRIDES: dict[str, str] = {
    "chinese taipei": "TW",
    "kurdistan region": "IQ",
    "macao sar": "MO",
    "macau sar": "MO",
    "rok": "KR",
}
# Kosovo has no official ISO 3166-1 code; XK is the code the EU, IMF and SWIFT use for it.
USER_ASSIGNED = {"xk"}


def _iso2(territory: Territory | None) -> str | None:
    seen = 0
    while territory is not None and seen < 5:
        seen += 1
        if territory.is_historical:
            successors = territory.successors
            territory = successors[0] if len(successors) == 1 else None
            continue
        code = territory.code
        if len(code) == 2 and (territory.alpha3 or code in USER_ASSIGNED):
            return code.upper()
        territory = territory.parent
    return None


@lru_cache(maxsize=4096)
def to_iso2(value: str) -> str | None:
    """ "United Kingdom" -> "GB", "Iranian" -> "IR", "Korea, North" -> "KP", "DE" -> "DE".

    None for empty, unknown or deliberately unspecific values ("undetermined").
    """
    text = _REGION_PREFIX.sub("", value).strip()
    if not text:
        return None
    if text.lower() in OVERRIDES:
        return OVERRIDES[text.lower()]
    return _iso2(lookup_territory(text))
