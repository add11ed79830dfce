"""Names for matching: ASCII, lower case, no punctuation; company legal forms removed."""

from __future__ import annotations

import re

import normality
from rigour.names.org_types import remove_org_types

_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """Transliterate to ASCII, case-fold, turn punctuation into spaces, collapse spaces.

    "AL-HASSAN, Watab Ibrahim" -> "al hassan watab ibrahim"; "JÉRÔME" -> "jerome".
    """
    text = normality.normalize(name, lowercase=True, ascii=True) or ""
    return _SPACES.sub(" ", text).strip()


def strip_legal_form(name_norm: str) -> str:
    """Drop company legal forms (ltd, co, llc, jsc, ooo, gmbh, ...) from a normalized name."""
    return _SPACES.sub(" ", remove_org_types(name_norm)).strip()


def name_tokens(name: str) -> list[str]:
    """Sorted unique words of the normalized name, two letters or longer."""
    return sorted({t for t in normalize_name(name).split() if len(t) >= 2})


def ofac_display_name(sdn_name: str, is_person: bool) -> str:
    """OFAC writes persons "SURNAME, Given Names": return "Given Names SURNAME".

    Organizations ("ETCO INTERNATIONAL COMPANY, LIMITED") and names with more than one comma
    are returned unchanged.
    """
    if not is_person or sdn_name.count(",") != 1:
        return sdn_name.strip()
    surname, given = (part.strip() for part in sdn_name.split(","))
    return f"{given} {surname}".strip() if given else surname
