"""Splink comparison level SQL (DuckDB dialect) as Python tests on two records.

A record is a dict of the matching view's columns (`name_norm`, `names_norm`,
`name_tokens`, `dob`, ...); a missing value is None, as NULL in SQL. Each test means what
its SQL means in DuckDB, NULLs included (a comparison with NULL is not true):

* `"c_l" = "c_r"`: equal values;
* `jaro_winkler_similarity("c_l", "c_r") >= t`: DuckDB's Jaro-Winkler, which works on the
  UTF-8 bytes of the strings and gives 0 for two empty strings (tests/screen/test_model.py
  checks our function against DuckDB's on a sample);
* `array_length(list_intersect("c_l", "c_r")) >= k`: at least k distinct values in common;
* `len(list_intersect(..)) / len(list_distinct(list_concat(..))) >= t`: word-set Jaccard,
  as osint.resolve.dialects writes it;
* `levenshtein("c_l", "c_r") <= k`: edit distance on bytes, as DuckDB;
* `ELSE`, and the null level `"c_l" IS NULL OR "c_r" IS NULL`.

Anything else raises ValueError naming what was not understood.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rigour._core import raw_jaro_winkler, raw_levenshtein

Record = dict[str, Any]
Test = Callable[[Record, Record], bool]

_COL = r'"(?P<c>\w+)_l"'
_COLR = r'"(?P=c)_r"'
_NUM = r"(?P<t>\d+(?:\.\d+)?)"


def _bytes(s: str) -> str:
    """The string as one character per UTF-8 byte (DuckDB's string functions see bytes)."""
    return s if s.isascii() else s.encode("utf-8").decode("latin-1")


@lru_cache(maxsize=100_000)
def jaro_winkler(left: str, right: str) -> float:
    """DuckDB's `jaro_winkler_similarity`."""
    if not left and not right:
        return 0.0
    return float(raw_jaro_winkler(_bytes(left), _bytes(right)))


def levenshtein(left: str, right: str) -> int:
    """DuckDB's `levenshtein`."""
    return int(raw_levenshtein(_bytes(left), _bytes(right)))


def _exact(c: str) -> Test:
    def test(left: Record, right: Record) -> bool:
        a, b = left.get(c), right.get(c)
        return a is not None and b is not None and bool(a == b)

    return test


def _jaro_winkler(c: str, t: float) -> Test:
    def test(left: Record, right: Record) -> bool:
        a, b = left.get(c), right.get(c)
        return a is not None and b is not None and jaro_winkler(a, b) >= t

    return test


def _intersect(c: str, k: int) -> Test:
    def test(left: Record, right: Record) -> bool:
        a, b = left.get(c), right.get(c)
        if a is None or b is None:
            return False
        if k == 1:
            return not set(a).isdisjoint(b)
        return len(set(a) & set(b)) >= k

    return test


def _jaccard(c: str, t: float) -> Test:
    def test(left: Record, right: Record) -> bool:
        a, b = left.get(c), right.get(c)
        if a is None or b is None:
            return False
        sa = {x for x in a if x is not None}
        sb = {x for x in b if x is not None}
        union = len(sa | sb)
        return union > 0 and len(sa & sb) / union >= t

    return test


def _levenshtein(c: str, k: int) -> Test:
    def test(left: Record, right: Record) -> bool:
        a, b = left.get(c), right.get(c)
        return a is not None and b is not None and levenshtein(a, b) <= k

    return test


# What a matching-view column is, in an officer's words (unknown columns keep their name).
NOUNS = {
    "name_norm": "name",
    "names_norm": "name",
    "name_tokens": "name",
    "dob": "date of birth",
    "dobs": "date of birth",
    "dob_year": "year of birth",
    "countries": "country",
    "city_norm": "city",
    "address_norm": "address",
    "identifiers": "identifier",
    "phones": "phone number",
    "emails": "email address",
    "domains": "website",
    "wallets": "wallet",
    "chemicals": "chemical",
}


def _noun(column: str) -> str:
    return NOUNS.get(column, column)


@dataclass(frozen=True, slots=True)
class Parsed:
    test: Test | None
    columns: tuple[str, ...]
    words: str
    kind: str = "else"  # null, exact, jaro_winkler, intersect, jaccard, levenshtein, else
    threshold: float = 0.0


_FORMS: tuple[tuple[re.Pattern[str], Callable[[str, str], Parsed]], ...] = (
    (
        re.compile(rf"^{_COL} IS NULL OR {_COLR} IS NULL$"),
        lambda c, t: Parsed(None, (c,), "missing", "null"),
    ),
    (
        re.compile(rf"^{_COL} = {_COLR}$"),
        lambda c, t: Parsed(_exact(c), (c,), f"the same {_noun(c)}", "exact"),
    ),
    (
        re.compile(rf"^jaro_winkler_similarity\({_COL}, {_COLR}\) >= {_NUM}$"),
        lambda c, t: Parsed(
            _jaro_winkler(c, float(t)),
            (c,),
            f"{_noun(c)} spelled alike (similarity at least {t})",
            "jaro_winkler",
            float(t),
        ),
    ),
    (
        re.compile(rf"^array_length\(list_intersect\({_COL}, {_COLR}\)\) >= {_NUM}$"),
        lambda c, t: Parsed(
            _intersect(c, int(float(t))),
            (c,),
            f"a {_noun(c)} in common" if float(t) == 1 else f"{t} of {_noun(c)}s in common",
            "intersect",
            float(t),
        ),
    ),
    (
        re.compile(
            rf"^len\(list_intersect\({_COL}, {_COLR}\)\) / "
            rf'len\(list_distinct\(list_concat\("(?P=c)_l", {_COLR}\)\)\) >= {_NUM}$'
        ),
        lambda c, t: Parsed(
            _jaccard(c, float(t)),
            (c,),
            f"at least {float(t):.0%} of the {_noun(c)}'s words in common",
            "jaccard",
            float(t),
        ),
    ),
    (
        re.compile(rf"^levenshtein\({_COL}, {_COLR}\) <= {_NUM}$"),
        lambda c, t: Parsed(
            _levenshtein(c, int(float(t))),
            (c,),
            f"{_noun(c)} one character apart"
            if float(t) == 1
            else f"{_noun(c)} at most {t} characters apart",
            "levenshtein",
            float(t),
        ),
    ),
    (re.compile(r"^ELSE$"), lambda c, t: Parsed(None, (), "different")),
)


def parse_condition(sql: str) -> Parsed:
    """The Python test for one level's SQL condition (ValueError when not understood)."""
    text = " ".join(sql.split())
    for pattern, build in _FORMS:
        found = pattern.match(text)
        if found:
            groups = found.groupdict()
            return build(groups.get("c") or "", groups.get("t") or "")
    raise ValueError(
        f"screening cannot evaluate the SQL {text!r} in Python (known: exact match, "
        "jaro_winkler_similarity >= t, list_intersect sizes, word-set Jaccard, levenshtein "
        "<= k, ELSE): extend osint/screen/levels.py"
    )
