"""Dates of birth from OFAC and UN to ISO forms."""

from __future__ import annotations

import pytest

from osint.normalize import dob_year, parse_dob


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12 Jan 1970", ["1970-01-12"]),
        ("12 January 1970", ["1970-01-12"]),
        ("Jan 1970", ["1970-01"]),
        ("Sept 1970", ["1970-09"]),
        ("1970", ["1970"]),
        ("circa 1960", ["1960"]),
        ("approximately 1955", ["1955"]),
        ("1970 to 1972", ["1970", "1971", "1972"]),
        ("01 Jan 1970 to 31 Dec 1972", ["1970", "1971", "1972"]),
        ("01 Jan 1973 to 31 Dec 1973", ["1973"]),
        ("1970-1972", ["1970", "1971", "1972"]),
        ("1969-05-07", ["1969-05-07"]),
        ("1958-05-13T00:00:00", ["1958-05-13"]),
        ("  1964 ", ["1964"]),
    ],
)
def test_parse_dob(raw: str, expected: list[str]) -> None:
    assert parse_dob(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "garbage",
        "",
        "31 Feb 1970",  # no such day
        "12 Foo 1970",
        "1970-13",
        "1972 to 1970",  # reversed
        "1900 to 1990",  # wider than MAX_RANGE_YEARS
        "1970 to sometime",
    ],
)
def test_unreadable_dob_gives_nothing(raw: str) -> None:
    assert parse_dob(raw) == []


@pytest.mark.parametrize(
    ("iso", "year"),
    [
        ("1970-01-12", 1970),
        ("1970-01", 1970),
        ("1970", 1970),
        ("", None),
        ("19", None),
        ("x", None),
    ],
)
def test_dob_year(iso: str, year: int | None) -> None:
    assert dob_year(iso) == year
