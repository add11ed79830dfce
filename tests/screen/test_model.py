"""Screening scores with the resolution model: its levels evaluated in Python as DuckDB
evaluates their SQL, its weights as Splink computes them, and a clear fallback."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from splink.internals.settings_creator import SettingsCreator

from osint.errors import ConfigError, StoreVersionError
from osint.screen import Screener, ScreeningPaths, Traveler
from osint.screen.levels import jaro_winkler, levenshtein
from osint.screen.model import Model
from tests.screen.conftest import MakeScreener

MODEL_FILE = Path(__file__).resolve().parents[2] / "config" / "resolve" / "records.model.json"


def _model() -> Model:
    return Model.from_json(MODEL_FILE.read_text(encoding="utf-8"), str(MODEL_FILE))


def _pairs(seed: int = 5) -> list[tuple[str, str]]:
    rnd = random.Random(seed)  # noqa: S311 (reproducible test pairs)
    words = ["bilal", "mohsen", "wehbe", "marina", "tauber", "al", "rawi", "ivan", "ltd"]
    out = [("", ""), ("a", ""), ("амир хан", "амир"), ("ünï", "uni"), ("1967-01-07", "1967-01-17")]
    for _ in range(400):
        a = " ".join(rnd.sample(words, rnd.randint(1, 4)))
        b = list(a)
        for _ in range(rnd.randint(0, 3)):
            b[rnd.randrange(len(b))] = rnd.choice("aeiourst")
        out.append((a, "".join(b) if rnd.random() < 0.7 else " ".join(reversed(a.split()))))
    return out


def test_jaro_winkler_and_levenshtein_agree_with_duckdb() -> None:
    pairs = _pairs()
    con = duckdb.connect()
    con.register("p", pa.table({"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]}))
    rows = con.sql("SELECT jaro_winkler_similarity(a, b), levenshtein(a, b) FROM p").fetchall()
    for (a, b), (jw, lev) in zip(pairs, rows, strict=True):
        assert jaro_winkler(a, b) == pytest.approx(jw, abs=1e-12), (a, b)
        assert levenshtein(a, b) == lev, (a, b)


def _records(seed: int = 9) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs of matching-view records with shared, close, different and missing values."""
    rnd = random.Random(seed)  # noqa: S311 (reproducible test pairs)
    names = ["bilal mohsen wehbe", "wehbe bilal mohsen", "bilal mohsin wehbe", "marina tauber"]
    dobs = ["1967-01-07", "1967-01-17", "1967", "1990-05-05", None]
    keys = [["passport:123"], ["passport:123", "imo:9"], ["imo:9"], None]

    def one() -> dict[str, Any]:
        name = rnd.choice([*names, None])
        dob = rnd.choice(dobs)
        return {
            "name_norm": name,
            "names_norm": [name, rnd.choice(names)] if name else None,
            "name_tokens": list(dict.fromkeys(name.split())) if name else None,
            "dob": dob,
            "dobs": [dob] if dob else None,
            "dob_year": dob[:4] if dob else None,
            "countries": rnd.choice([["LB"], ["LB", "BR"], ["RU"], None]),
            "city_norm": rnd.choice(["beirut", "moscow", None]),
            "address_norm": rnd.choice(["12 rue de la paix", "12 rue de la paiz", None]),
            **{c: rnd.choice(keys) for c in ("identifiers", "phones", "emails", "domains")},
            "wallets": rnd.choice(keys),
            "chemicals": rnd.choice([["c1"], None]),
        }

    return [(one(), one()) for _ in range(300)]


def test_each_comparison_reaches_the_level_its_sql_gives_in_duckdb() -> None:
    model = _model()
    raw = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    pairs = _records()
    columns = sorted({c for left, _ in pairs for c in left})
    rows = [
        {**{f"{c}_l": left[c] for c in columns}, **{f"{c}_r": right[c] for c in columns}}
        for left, right in pairs
    ]
    con = duckdb.connect()
    con.register("pairs", pa.Table.from_pylist(rows))
    for comparison, spec in zip(model.comparisons, raw["comparisons"], strict=True):
        cases = " ".join(
            f"WHEN {lv['sql_condition']} THEN {i}"
            for i, lv in enumerate(spec["comparison_levels"])
            if lv["sql_condition"] != "ELSE"
        )
        sql = f"SELECT CASE {cases} ELSE {len(spec['comparison_levels']) - 1} END FROM pairs"
        expected = [r[0] for r in con.sql(sql).fetchall()]
        labels = [lv["label_for_charts"] for lv in spec["comparison_levels"]]
        for (left, right), want in zip(pairs, expected, strict=True):
            level = comparison.level(left, right)
            got = labels[0] if level is None else level.label  # None: the null level
            assert got == labels[want], (comparison.name, left, right)


def test_match_weights_are_splinks() -> None:
    raw = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    raw.pop("osint", None)
    settings = SettingsCreator.from_path_or_dict(raw).get_settings("duckdb")
    for ours, theirs in zip(_model().comparisons, settings.comparisons, strict=True):
        want = [lv._match_weight for lv in theirs.comparison_levels if not lv.is_null_level]
        assert [lv.weight for lv in ours.levels] == pytest.approx(want), ours.name


def test_a_model_with_sql_screening_cannot_evaluate_is_refused() -> None:
    raw = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    raw["comparisons"][0]["comparison_levels"][2]["sql_condition"] = "soundex(a_l) = soundex(a_r)"
    with pytest.raises(ConfigError, match="comparison name: level 2") as err:
        Model.from_json(json.dumps(raw), "bad.json")
    assert "soundex" in str(err.value)


def test_the_store_carries_the_model_screening_scores_with(make_screener: MakeScreener) -> None:
    screener = make_screener()
    assert screener.version()["model_source"] == "store"
    hit = screener.screen_traveler(Traveler("q", "Bilal Mohsen Wehbe", dob="1967-01-07")).hits[0]
    by = {e.feature: e for e in hit.explanations}
    # Contributions are bits: the prior plus the model's weights give the score.
    assert by["name"].level == "Exact match on name_norm"
    assert by["name"].contribution == pytest.approx(_model().comparisons[0].levels[0].weight, 0.01)
    total = sum(e.contribution for e in hit.explanations)
    assert hit.score == pytest.approx(2**total / (1 + 2**total), abs=1e-3)


def _strip_model(store: Path) -> None:
    con = duckdb.connect(str(store))
    con.execute("UPDATE meta SET value = '' WHERE key = 'model_settings'")
    con.close()


def test_a_store_without_its_model_falls_back_to_the_model_file(
    make_screener: MakeScreener, tmp_path: Path
) -> None:
    screener = make_screener()
    store = screener.paths.store
    screener.close()
    _strip_model(store)
    paths = screener.paths
    with Screener(paths) as fallback:
        assert fallback.version()["model_source"] == str(paths.model)
        assert fallback.screen_traveler(Traveler("q", "Bilal Mohsen Wehbe")).hits
    bare = ScreeningPaths(store, tmp_path / "ex.jsonl", tmp_path / "audit.jsonl", paths.lexicon)
    with pytest.raises(StoreVersionError, match="carries no resolution model"):
        Screener(bare)
