"""Names for matching: transliteration, punctuation, legal forms, OFAC word order."""

from __future__ import annotations

import pytest

from osint.normalize import name_tokens, normalize_name, ofac_display_name, strip_legal_form


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AL-HASSAN, Watab Ibrahim", "al hassan watab ibrahim"),
        ("JÉRÔME", "jerome"),
        ("Шойгу", "shoigu"),
        ("Сергей Кужугетович Шойгу", "sergei kuzhugetovich shoigu"),
        ("Ørsted  A/S", "orsted a s"),
        ("Straße", "strasse"),
        ("  O'Brien &   Sons. ", "o brien sons"),
        ("...", ""),
        ("", ""),
    ],
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


def test_normalize_name_transliterates_scripts_without_latin_letters() -> None:
    for raw in ["李小龍", "محمد", "Κωνσταντίνος"]:
        out = normalize_name(raw)
        assert out, raw
        assert out.isascii(), raw


def test_same_person_in_two_scripts_normalizes_alike() -> None:
    assert normalize_name("ШОЙГУ, Сергей") == normalize_name("Shoigu Sergei")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hefei gsk trade co ltd", "hefei gsk trade"),
        ("acme limited liability company", "acme"),
        ("joint stock company neftegaz", "neftegaz"),
        ("open joint stock company sberbank", "sberbank"),
        ("ooo torgovyi dom", "torgovyi dom"),
        ("siemens gmbh", "siemens"),
        ("banco nacional sa", "banco nacional"),
        ("alpha pte ltd", "alpha"),
        ("beta pvt ltd", "beta"),
        ("gamma private limited", "gamma"),
        ("delta bv", "delta"),
        ("epsilon corp", "epsilon"),
        ("zeta corporation", "zeta"),
        ("eta inc", "eta"),
        ("theta company", "theta"),
        ("iota llc", "iota"),
        ("kappa jsc", "kappa"),
        ("acme ltd co", "acme"),
    ],
)
def test_strip_legal_form(name: str, expected: str) -> None:
    assert strip_legal_form(name) == expected


def test_strip_legal_form_keeps_words_that_only_contain_a_form() -> None:
    # "co" inside "coal" or "cosco", "sa" inside "saba": whole words only.
    assert strip_legal_form("cosco coal saba trading") == "cosco coal saba trading"


def test_strip_legal_form_of_only_a_legal_form_is_empty() -> None:
    assert strip_legal_form("limited liability company") == ""


def test_name_tokens_sorted_unique_and_without_single_letters() -> None:
    assert name_tokens("Kim, Jong-Un J. KIM") == ["jong", "kim", "un"]
    assert name_tokens("?!") == []


@pytest.mark.parametrize(
    ("sdn_name", "is_person", "expected"),
    [
        ("YASSIN, Sheik Ahmed Ismail", True, "Sheik Ahmed Ismail YASSIN"),
        ("AL-HASSAN, Watab Ibrahim", True, "Watab Ibrahim AL-HASSAN"),
        ("ETCO INTERNATIONAL COMPANY, LIMITED", False, "ETCO INTERNATIONAL COMPANY, LIMITED"),
        ("MADURO MOROS, Nicolas, Jr.", True, "MADURO MOROS, Nicolas, Jr."),
        ("SHAKIRA", True, "SHAKIRA"),
    ],
)
def test_ofac_display_name(sdn_name: str, is_person: bool, expected: str) -> None:
    assert ofac_display_name(sdn_name, is_person) == expected


def test_strip_legal_form_removes_our_extra_forms_as_whole_words_only() -> None:
    # The forms rigour's table leaves alone, checked against the rule written as a regex
    # (whole whitespace-delimited words, spaces squashed), on names built from them.
    import random
    import re

    from rigour.names.org_types import remove_org_types
    from rigour.text.normalize import Cleanup, Normalize

    extra = re.compile(r"(?<!\S)(?:corporation|company|corp|pvt|co|fzc)(?!\S)")

    def reference(name: str) -> str:
        text = re.sub(r"(?<!\S)private limited(?!\S)", " ", name)
        text = remove_org_types(
            text,
            replacement=" ",
            normalize_flags=Normalize.CASEFOLD | Normalize.SQUASH_SPACES,
            cleanup=Cleanup.Strong,
        )
        return re.sub(r"\s+", " ", extra.sub(" ", text)).strip()

    words = ["co", "corp", "coal", "pvt", "private", "limited", "fzc", "ltd", "llc", "gmbh"]
    words += ["company", "corporation", "acme", "cosco", "trading", "co2", "sa", "saba"]
    rng = random.Random(11)  # noqa: S311
    names = [" ".join(rng.choices(words, k=rng.randint(1, 6))) for _ in range(2000)]
    names += ["  acme   co  ", "acme\tco", "co"]
    for name in names:
        assert strip_legal_form(name) == reference(name), name
