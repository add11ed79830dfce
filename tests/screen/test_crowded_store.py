"""Screening in a crowded store: hundreds of profiles share a name's words.

A store of about 2,600 companies, imported and resolved for real: forty share the rare word
"Lase" with the listed "Lase Harbor Pharma LLC", more than a thousand share "Harbor" and
"Pharma", more than a thousand "Northern" and "Logistics" (so these words are common, past
the matcher's COMMON_CAP). Screening must still find the listed company by its exact name,
and must not call a name made of common words alone a match for a longer listed name.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from osint.cli.screen import screening_paths
from osint.config import Config
from osint.pipeline import publish_stage, resolve_stage
from osint.resolve.imports import import_file
from osint.screen import CargoLine, Screener
from osint.screen.features import correspondence
from osint.screen.matcher import CANDIDATES, COMMON_CAP
from osint.store import open_work_store
from tests.resolve.conftest import write_resolve_config

REPO = Path(__file__).resolve().parents[2]
SYLLABLES = "ka ra mo li na se to vi an el da ri su ha ne lo mi za ba ko ye ta ni ro".split()
WORDS = "global pacific golden star ocean united eastern trans alpha delta nova prime".split()
SECTORS = "trading chemical logistics shipping industrial import export".split()
FORMS = ["LLC", "Co Ltd", "GmbH", "SA", "Inc", "JSC"]


def _names(rnd: random.Random) -> Iterator[tuple[str, str]]:
    yield "target", "Lase Harbor Pharma LLC"
    yield "bofa", "Bofa Northern Logistics LLC"
    for i, (word, sector) in enumerate((w, s) for w in WORDS for s in SECTORS):
        if i < 40:
            yield f"lase{i}", f"Lase {word.title()} {sector.title()} LLC"
    seen: set[str] = set()
    while len(seen) < 2 * (COMMON_CAP + 150):
        word = "".join(rnd.choice(SYLLABLES) for _ in range(3))
        if word not in seen:
            seen.add(word)
            tail = "Harbor Pharma" if len(seen) % 2 else "Northern Logistics"
            yield f"x{len(seen)}", f"{word.title()} {tail} {rnd.choice(FORMS)}"


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Config:
    root = tmp_path_factory.mktemp("crowded")
    config = write_resolve_config(root)
    model = root / "config" / "resolve" / "records.model.json"
    model.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "config" / "resolve" / "records.model.json", model)
    path = root / "companies.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["source_key", "kind", "name", "countries"])
        for key, name in _names(random.Random(11)):  # noqa: S311 (test data)
            writer.writerow([key, "organization", name, "CN"])
    con = open_work_store(config.work_store)
    try:
        assert import_file(con, path, "analyst").problems == []
    finally:
        con.close()
    resolve_stage(config)
    publish_stage(config)
    return config


@pytest.fixture
def screener(crowded: Config) -> Iterator[Screener]:
    with Screener(screening_paths(crowded)) as s:
        yield s


def test_the_store_is_as_crowded_as_the_test_needs(screener: Screener) -> None:
    index = screener.index
    assert index.key_count("lase") > CANDIDATES
    for word in ("harbor", "pharma", "northern", "logistics"):
        assert index.key_count(word) > COMMON_CAP, word


def test_exact_name_is_found_among_many_profiles_sharing_its_rare_word(
    screener: Screener,
) -> None:
    result = screener.screen_cargo(CargoLine("bl-1", shipper_name="LASE HARBOR PHARMA LLC"))
    matches = [h for h in result.hits if h.match]
    assert [h.name for h in matches] == ["Lase Harbor Pharma LLC"]


def test_common_words_alone_do_not_match_a_longer_listed_name(screener: Screener) -> None:
    result = screener.screen_cargo(CargoLine("bl-2", consignee_name="Northern Logistics LLC"))
    assert [h.name for h in result.hits if h.match] == []
    # With the distinctive word, a listed name with one word more is still a match.
    result = screener.screen_cargo(CargoLine("bl-3", consignee_name="Bofa Logistics LLC"))
    assert [h.name for h in result.hits if h.match] == ["Bofa Northern Logistics LLC"]


def test_words_that_only_sound_alike_must_also_look_alike() -> None:
    # "crown" and "green" are both KRN in metaphone, and share neither first letter nor much
    # spelling: different words. "piotr" and "petr" are one name transliterated.
    assert correspondence(("sash", "crown", "import"), ("sash", "green", "import")) is None
    assert correspondence(("piotr", "ivanov"), ("petr", "ivanov")) is not None


def test_candidates_are_the_rows_sharing_the_most_key_weight(screener: Screener) -> None:
    """Retrieval's ranking, checked against a plain recount: every row sharing a rare key,
    weighed by every query key whose profile list holds it, best `CANDIDATES` first; the
    words near a misspelled one by their factors."""
    from osint.screen.index import _weight
    from osint.screen.matcher import RELATIVE, near_keys, retrieval_keys
    from osint.screen.queries import cargo_parties

    index = screener.index
    names = ["Lase Harbor Pharma LLC", "Lase Star Trading LLC", "Bofa Harbor Logistics"]
    names += ["Lqse Harbor Pharma LLC", "Lase Goldxn Indxstrial LLC"]
    for name in names:
        party = cargo_parties(CargoLine("q", shipper_name=name))[0]
        keys = retrieval_keys(party)
        # The words near a misspelled one, with their weight factors (`near_keys`, whose
        # weights the next test checks): a row they bring weighs factor / their profiles.
        near = dict(near_keys(index, party, keys))
        members = {
            k: set(index.rows[a:b].tolist())
            for k in [*keys, *near]
            if (span := index.slices.get(k)) is not None
            for a, b in [span[:2]]
        }
        pool = set().union(*(rows for k, rows in members.items() if len(rows) <= COMMON_CAP))
        weight = {
            r: sum(
                near[k] / len(rows) if k in near else _weight(k, len(rows))
                for k, rows in members.items()
                if r in rows
            )
            for r in pool
        }
        best = max(weight.values())
        expected = sorted(
            (r for r in pool if weight[r] >= RELATIVE * best),
            key=lambda r: (-round(weight[r], 12), r),
        )[:CANDIDATES]
        got, _ = index.ranked_names(
            keys, party.kinds, COMMON_CAP, CANDIDATES, RELATIVE, near_keys(index, party, keys)
        )
        assert got == expected, name
    assert near  # the last names have neighbours to weigh


def test_rows_tied_at_the_cut_go_by_spelling(screener: Screener) -> None:
    """Two words misspelled so that neither they nor their sounds are keys: all forty "Lase"
    companies share the same keys with the query and tie. The fifteen scored must be the
    closest spelled, not the lowest fifteen rows (this one is the thirtieth of them)."""
    result = screener.screen_cargo(CargoLine("bl-4", shipper_name="Lase Goldxn Indxstrial LLC"))
    assert "Lase Golden Industrial LLC" in [h.name for h in result.hits]


def test_a_rare_word_misspelled_is_found_one_letter_off(screener: Screener) -> None:
    """A listed "<word> Harbor Pharma" with its one rare word misspelled so that neither the
    word nor its sound is in the store: only the common words are left, shared by more than
    a thousand profiles alike. The store's words one letter from the misspelling find the
    listed company, and it is a match (taken: misspellings whose every word is spelled
    like its own word of the listed name, which scoring counts as the same name)."""
    from osint.screen.features import phonetic

    index = screener.index
    rows = screener._con.sql(
        "SELECT name FROM profiles WHERE name LIKE '% Harbor Pharma %' ORDER BY name"
    ).fetchall()
    cases = []
    for (name,) in rows:
        word = name.split()[0].lower()
        typo = word[0] + "q" + word[2:]
        if (
            index.key_count(word) == 1
            and index.key_count(typo) == 0
            and index.key_count("#" + phonetic(typo)) == 0
            and correspondence((typo, "harbor", "pharma"), (word, "harbor", "pharma"))
        ):
            cases.append((name, typo))
    assert len(cases) >= 3
    for name, typo in cases[:3]:
        assert name.split()[0].lower() in index.near_spellings(typo)
        line = CargoLine("bl-5", shipper_name=f"{typo.title()} Harbor Pharma LLC")
        assert name in [h.name for h in screener.screen_cargo(line).hits if h.match], typo


def test_the_words_one_letter_off_weigh_alike_as_one_word(screener: Screener) -> None:
    """The store's words one letter from a misspelled query word are alternatives for it:
    each row they bring weighs the same, half a word over all their profiles together."""
    from osint.screen.index import NEAR_LIMIT
    from osint.screen.matcher import NEAR_FACTOR, near_keys, retrieval_keys
    from osint.screen.queries import cargo_parties

    index = screener.index
    words = sorted(k for k in index.slices if len(k) == 6 and k.isalpha())
    typos = (w[:i] + c + w[i + 1 :] for w in words for i in range(6) for c in "aeiou")
    typo = next(t for t in typos if index.key_count(t) == 0 and len(index.near_spellings(t)) >= 2)
    party = cargo_parties(CargoLine("q", shipper_name=f"{typo} Harbor Pharma LLC"))[0]
    spelled = index.near_spellings(typo)
    near = [(w, f) for w, f in near_keys(index, party, retrieval_keys(party)) if w in spelled]
    assert sorted(w for w, _ in near) == sorted(spelled)
    assert 2 <= len(near) <= NEAR_LIMIT
    total = sum(index.key_count(w) for w, _ in near)
    for word, factor in near:
        assert factor / index.key_count(word) == pytest.approx(NEAR_FACTOR / total), word


def test_two_words_typed_as_one_are_found(screener: Screener) -> None:
    """A space left out, or typed as a letter: the store's two words the query's word is
    made of bring the listed company among the candidates, past the thousand others that
    share its common words. (Whether it is a hit is the model's call: a close spelling
    alone, with nothing else in common, is not.)"""
    from osint.screen.matcher import candidates, joined_words
    from osint.screen.queries import cargo_parties

    index = screener.index
    assert joined_words(index, "laseharbor") == ["lase", "harbor"]
    assert joined_words(index, "lasexharbor") == ["lase", "harbor"]
    for shipper in ("Laseharbor Pharma LLC", "Lasexharbor Pharma LLC"):
        party = cargo_parties(CargoLine("bl-6", shipper_name=shipper))[0]
        found = [p["name"] for p in candidates(index, party)]
        assert found[0] == "Lase Harbor Pharma LLC", shipper


def test_a_word_misspelled_as_another_listed_word_is_looked_near(screener: Screener) -> None:
    """The misspelled word is a word of the store too, of another company: no profile has
    every word of the query, so the words one letter from each of its words are looked at,
    and the listed company is among the candidates."""
    from osint.screen.matcher import candidates
    from osint.screen.queries import cargo_parties

    index = screener.index
    rows = screener._con.sql(
        "SELECT name FROM profiles WHERE name LIKE '% Harbor Pharma %' ORDER BY name"
    ).fetchall()
    listed = {n.split()[0].lower(): n for (n,) in rows}
    cases = [
        (word, other)
        for word in sorted(listed)
        for other in index.near_spellings(word)
        if other not in listed and len(other) == len(word)
    ]
    assert len(cases) >= 5
    for word, other in cases[:5]:
        party = cargo_parties(CargoLine("q", shipper_name=f"{other} Harbor Pharma LLC"))[0]
        assert listed[word] in [p["name"] for p in candidates(index, party)], other
