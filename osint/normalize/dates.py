"""Dates of birth as sanctions lists write them, to ISO dates or years."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_DMY = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MY = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
_Y = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(.+?) to (.+)$")
# Ranges wider than this are not expanded into years.
MAX_RANGE_YEARS = 20


def _single(text: str) -> str | None:
    text = text.strip()
    if m := _ISO.match(text):
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        month = MONTHS.get(m[2].lower())
        return _valid(int(m[3]), month, int(m[1])) if month else None
    if m := _MY.match(text):
        month = MONTHS.get(m[1].lower())
        return f"{m[2]}-{month:02d}" if month else None
    if _Y.match(text):
        return text
    return None


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_dob(raw: str) -> list[str]:
    """ "12 Jan 1970" -> ["1970-01-12"]; "circa 1960" -> ["1960"]; "1970 to 1972" -> years."""
    text = raw.strip().rstrip(".")
    text = re.sub(r"^(circa|approximately|about|ca\.?)\s+", "", text, flags=re.IGNORECASE)
    if m := _RANGE.match(text):
        start, end = _single(m[1]), _single(m[2])
        if not start or not end:
            return []
        first, last = int(start[:4]), int(end[:4])
        if not 0 <= last - first <= MAX_RANGE_YEARS:
            return []
        return [str(y) for y in range(first, last + 1)]
    found = _single(text)
    return [found] if found else []


def dob_year(iso: str) -> int | None:
    """The year of an ISO date or year string."""
    return int(iso[:4]) if iso[:4].isdigit() else None
