"""Names for matching: ASCII, lower case, no punctuation; company legal forms removed."""

from __future__ import annotations

import re

from rigour.names.org_types import remove_org_types
from rigour.text.normalize import Cleanup, Normalize
from rigour.text.translit import ascii_text

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Legal-form words rigour's org-type table leaves alone (it treats them as too generic), removed
# as whole tokens after rigour's pass. "private limited" goes first so "private" does not linger.
_BEFORE_RIGOUR = re.compile(r"(?<!\S)private limited(?!\S)")
_AFTER_RIGOUR = frozenset({"corporation", "company", "corp", "pvt", "co", "fzc"})
_ORG_TYPE_FLAGS = Normalize.CASEFOLD | Normalize.SQUASH_SPACES


def normalize_name(name: str) -> str:
    """Transliterate to ASCII, case-fold, turn punctuation into spaces, collapse spaces.

    "AL-HASSAN, Watab Ibrahim" -> "al hassan watab ibrahim"; "JÉRÔME" -> "jerome";
    "Шойгу" -> "shoigu" (rigour's transliteration, normality's for scripts rigour skips).
    """
    text = ascii_text(name).casefold()
    return _NOT_ALNUM.sub(" ", text).strip()


def strip_legal_form(name_norm: str) -> str:
    """Drop company legal forms (ltd, co, llc, jsc, ooo, gmbh, ...) from a normalized name.

    Forms are removed anywhere as whole words: "hefei gsk trade co ltd" -> "hefei gsk trade".
    The result may be empty when the name is nothing but legal forms.
    """
    text = _BEFORE_RIGOUR.sub(" ", name_norm) if "private limited" in name_norm else name_norm
    text = remove_org_types(
        text, replacement=" ", normalize_flags=_ORG_TYPE_FLAGS, cleanup=Cleanup.Strong
    )
    # Whole words, as split() finds them (the same whitespace as the regex's \s); joining
    # with one space squashes what the removals left.
    return " ".join(word for word in text.split() if word not in _AFTER_RIGOUR)


def matching_form(name: str, organization: bool) -> str:
    """A name as matching compares it: normalized, and an organization's legal forms dropped
    (the normalized name itself when it is nothing but legal forms)."""
    norm = normalize_name(name)
    if organization:
        norm = strip_legal_form(norm) or norm
    return norm


def name_tokens(name: str) -> list[str]:
    """Sorted unique words of the normalized name, two characters or longer."""
    return sorted({t for t in normalize_name(name).split() if len(t) >= 2})


def ofac_display_name(sdn_name: str, is_person: bool) -> str:
    """OFAC writes persons "SURNAME, Given Names": return "Given Names SURNAME".

    Organizations ("ETCO INTERNATIONAL COMPANY, LIMITED") and names with no comma or more than
    one are returned unchanged (only outer spaces trimmed).
    """
    if not is_person or sdn_name.count(",") != 1:
        return sdn_name.strip()
    surname, given = (part.strip() for part in sdn_name.split(","))
    return f"{given} {surname}".strip()
