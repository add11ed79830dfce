"""Dates of birth as OFAC and the UN write them, to ISO dates ("1970-01-12"), months or years.

A range ("1970 to 1972", "01 Jan 1970 to 31 Dec 1972") becomes the list of its years; a range
longer than MAX_RANGE_YEARS, reversed, or with an unreadable end gives nothing.
"""

from __future__ import annotations

import re
from datetime import date

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
MONTHS = {name[:3]: number for number, name in enumerate(_MONTH_NAMES, 1)}
MONTHS["sept"] = 9
MONTHS.update({name: number for number, name in enumerate(_MONTH_NAMES, 1)})

_YEAR = r"([12]\d{3})"
_ISO = re.compile(rf"^{_YEAR}-(\d{{2}})-(\d{{2}})(?:[t ][\d:.]+(?:z|[+-]\d{{2}}:?\d{{2}})?)?$")
_ISO_MONTH = re.compile(rf"^{_YEAR}-(\d{{2}})$")
_DMY = re.compile(rf"^(\d{{1,2}})\s+([a-z]+)\.?,?\s+{_YEAR}$")
_MY = re.compile(rf"^([a-z]+)\.?,?\s+{_YEAR}$")
_Y = re.compile(rf"^{_YEAR}$")
_RANGE = re.compile(r"^(?:between\s+)?(.+?)(?:\s+(?:to|and)\s+|\s*-\s*)(.+)$")
_APPROX = re.compile(r"^(?:circa|approximately|approx\.?|about|ca\.?|c\.)\s*")
_ISO_YEAR = re.compile(r"^([12]\d{3})(?:-|$)")
#: Ranges spanning more years than this are not expanded (they say too little to match on).
MAX_RANGE_YEARS = 20


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(year: str, month: int | None) -> str | None:
    return f"{year}-{month:02d}" if month and 1 <= month <= 12 else None


def _single(text: str) -> str | None:
    """One date, month or year in ISO form, or None."""
    if m := _ISO.match(text):
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    if m := _ISO_MONTH.match(text):
        return _month(m[1], int(m[2]))
    if m := _DMY.match(text):
        month = MONTHS.get(m[2])
        return _valid(int(m[3]), month, int(m[1])) if month else None
    if m := _MY.match(text):
        return _month(m[2], MONTHS.get(m[1]))
    if _Y.match(text):
        return text
    return None


def parse_dob(raw: str) -> list[str]:
    """ "12 Jan 1970" -> ["1970-01-12"]; "Jan 1970" -> ["1970-01"]; "circa 1960" -> ["1960"];
    "1970 to 1972" -> ["1970", "1971", "1972"]; "1958-05-13T00:00:00" -> ["1958-05-13"];
    anything unreadable -> [].
    """
    text = " ".join(raw.split()).lower().rstrip(".;,")
    text = _APPROX.sub("", text)
    if found := _single(text):
        return [found]
    if m := _RANGE.match(text):
        start, end = _single(m[1]), _single(m[2])
        if not start or not end:
            return []
        first, last = int(start[:4]), int(end[:4])
        if not 0 <= last - first <= MAX_RANGE_YEARS:
            return []
        return [str(year) for year in range(first, last + 1)]
    return []


def dob_year(iso: str) -> int | None:
    """The year of an ISO date, month or year ("1970-01-12" -> 1970); None if there is none."""
    m = _ISO_YEAR.match(iso.strip())
    return int(m[1]) if m else None
