"""Screening travelers against the published store."""

from __future__ import annotations

from pathlib import Path

import pytest

from osint.config import Config
from osint.errors import ItemError, UsageError
from osint.screen import Traveler, read_travelers, screen_traveler
from osint.store import open_profile_store


def _screen(config: Config, traveler: Traveler):  # type: ignore[no-untyped-def]
    con = open_profile_store(config.profile_store)
    try:
        return screen_traveler(con, traveler, 0.75, 5)
    finally:
        con.close()


def test_listed_person_is_a_match_with_reasons(published_copy: Config) -> None:
    result = _screen(published_copy, Traveler("q1", "Bilal Mohsen Wehbe", dob="1967-01-07"))
    top = result.hits[0]
    assert top.match
    assert top.name == "Bilal Mohsen WEHBE"
    assert top.score >= 0.9
    features = {e.feature: e for e in top.explanations}
    assert features["name"].contribution > 0
    assert features["dob"].profile_value == "1967-01-07"
    assert "sanctions_list" in top.risk_flags


def test_word_order_and_missing_middle_name_still_match(published_copy: Config) -> None:
    result = _screen(published_copy, Traveler("q2", "WEHBE Bilal", dob="1967"))
    assert result.hits
    assert result.hits[0].match


def test_wrong_birth_year_lowers_the_score_below_a_match(published_copy: Config) -> None:
    result = _screen(published_copy, Traveler("q3", "Bilal Mohsen Wehbe", dob="1990-05-05"))
    assert not any(h.match for h in result.hits)


def test_passport_alone_finds_the_profile(published_copy: Config) -> None:
    result = _screen(published_copy, Traveler("q4", "B M W", passport_number="CZ 74340"))
    assert result.hits[0].name == "Bilal Mohsen WEHBE"


def test_unlisted_traveler_is_clean(published_copy: Config) -> None:
    result = _screen(published_copy, Traveler("q5", "Maria Jose Fernandez Ortega", dob="1990"))
    assert not any(h.match for h in result.hits)


def test_bad_lines_in_a_query_file_are_named_and_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "travelers.csv"
    path.write_text(
        "id,name,dob\nt1,Bilal Mohsen Wehbe,1967-01-07\nt2,,1980\nt3,John Smith,31/31/31\n"
        "t4,Jane Roe,1975\n",
        encoding="utf-8",
    )
    out = list(read_travelers(path))
    good = [q.id for q in out if isinstance(q, Traveler)]
    bad = [str(q) for q in out if isinstance(q, ItemError)]
    assert good == ["t1", "t4"]
    assert bad[0].startswith(f"{path}:3: field 'name'")
    assert bad[1].startswith(f"{path}:4: field 'dob'")


def test_an_alternate_date_of_birth_also_matches(published_copy: Config) -> None:
    # OFAC 12923: "DOB 05 Jan 1974; alt. DOB 1977; alt. DOB 1975; alt. DOB 24 Jan 1973".
    result = _screen(published_copy, Traveler("q6", "Fazal Rahim", dob="1977"))
    assert result.hits[0].match
    dob = next(e for e in result.hits[0].explanations if e.feature == "dob")
    assert dob.profile_value == "1977"


def test_query_file_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffid,name,dob\r\nt1,Bilal Mohsen Wehbe,1967-01-07\r\n".encode())
    [query] = read_travelers(path)
    assert isinstance(query, Traveler)
    assert query.id == "t1"


def test_unreadable_query_files_are_one_clear_error(tmp_path: Path) -> None:
    cases = {
        "latin.csv": ("id,name\n1,Jos\xe9 P\xe9rez\n".encode("cp1252"), "not UTF-8"),
        "wrong.csv": (b"ref,full_name,birth\n1,A B,1970\n", "is not a traveler header"),
        "empty.jsonl": (b"\n\n", "no queries"),
        "header.csv": (b"id,name,dob\n", "no queries"),
        "queries.xlsx": (b"PK", "unknown file type"),
    }
    for name, (body, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(body)
        with pytest.raises(UsageError, match=message):
            read_travelers(path)
