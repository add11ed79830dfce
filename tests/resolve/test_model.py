"""The model's shape: named, described comparisons; blocking that is never a name prefix."""

from __future__ import annotations

import duckdb
import pytest

from osint.resolve import model
from osint.resolve.dialects import DIALECTS, token_jaccard


def test_every_comparison_has_a_distinct_name_and_a_one_line_description() -> None:
    names = [f.name for f in model.FEATURES]
    assert len(names) == len(set(names))
    expected = {"name", "dob", "countries", "city", "address", "identifiers", "phones",
                "emails", "domains", "wallets", "chemicals"}  # fmt: skip
    assert set(names) == expected
    for f in model.FEATURES:
        assert f.description
        assert "\n" not in f.description
        assert len(f.m_probabilities) == len(f.levels) - 1  # all but the null level


def test_settings_output_columns_match_the_features() -> None:
    settings = model.settings(0.001).get_settings("duckdb").as_dict()
    assert [c["output_column_name"] for c in settings["comparisons"]] == [
        f.name for f in model.FEATURES
    ]
    for comparison in settings["comparisons"]:
        assert (
            comparison["comparison_description"]
            == model.DESCRIPTIONS[comparison["output_column_name"]]
        )


def test_no_blocking_rule_is_a_name_prefix_alone() -> None:
    for rule in model.BLOCKING_RULES:
        sql = rule.get_blocking_rule("duckdb").blocking_rule_sql
        assert '"kind"' in sql, sql
        assert not ("substr" in sql.lower() and sql.count(" AND ") < 2), sql


def test_token_similarity_counts_words_not_characters() -> None:
    sql = token_jaccard("t", "duckdb")
    row = duckdb.sql(
        f"SELECT {sql} FROM (SELECT ['bilal', 'wehbe'] AS t_l, ['wehbe', 'bilal', 'mohsen'] AS t_r)"
    ).fetchall()
    assert row[0][0] == pytest.approx(2 / 3)
    assert set(DIALECTS) == {"duckdb", "spark"}
    assert "array_intersect" in token_jaccard("t", "spark")
