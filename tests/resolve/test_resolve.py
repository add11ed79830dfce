"""Resolution with the real Splink model on the crawled samples."""

from __future__ import annotations

import json

from osint.config import Config
from osint.pipeline import extract_stage, resolve_stage
from osint.resolve.linking import reasons_of
from osint.resolve.review import level_table
from osint.store import open_work_store


def _profile_of(config: Config, source: str, key: str) -> str:
    con = open_work_store(config.work_store, read_only=True)
    row = con.sql(
        "SELECT profile_id FROM profile_members JOIN records USING (record_id) "
        f"WHERE source = '{source}' AND source_key = '{key}'"
    ).fetchall()
    con.close()
    return str(row[0][0])


def _add_un_copy_of_wehbe(config: Config) -> None:
    """A second source listing the same person (another spelling, same passport)."""
    con = open_work_store(config.work_store)
    data = {
        "kind": "individual",
        "dataid": "999001",
        "first_name": "BILAL",
        "second_name": "MOHSIN",
        "third_name": "WEHBE",
        "date_of_birth": [{"type_of_date": "EXACT", "date": "1967-01-07"}],
        "document": [{"type_of_document": "Passport", "number": "CZ74340"}],
        "nationality": ["Lebanon"],
    }
    con.execute(
        "INSERT INTO entries (entry_id, source, source_key, doc_id, format, data, "
        "content_sha256, first_seen, last_seen, listed, run_id) "
        "SELECT 'ent-test', 'un_sc', '999001', doc_id, "
        "'un_consolidated_xml.v1', ?, 'sha-test', now(), now(), TRUE, run_id "
        "FROM entries WHERE source = 'un_sc' LIMIT 1",
        [json.dumps(data)],
    )
    con.close()


def test_same_person_from_two_sources_is_one_profile_and_ids_survive(
    published_copy: Config,
) -> None:
    before = _profile_of(published_copy, "ofac_sdn", "12460")
    other = _profile_of(published_copy, "ofac_sdn", "906")
    _add_un_copy_of_wehbe(published_copy)
    extract_stage(published_copy)
    stats = resolve_stage(published_copy)
    assert stats.merged_records >= 2
    # The new UN record joined the existing profile, whose id did not change.
    assert _profile_of(published_copy, "un_sc", "999001") == before
    assert _profile_of(published_copy, "ofac_sdn", "12460") == before
    assert _profile_of(published_copy, "ofac_sdn", "906") == other
    con = open_work_store(published_copy.work_store, read_only=True)
    levels = con.sql(
        "SELECT levels FROM match_pairs m JOIN records a ON a.record_id = m.record_a "
        "JOIN records b ON b.record_id = m.record_b "
        "WHERE '999001' IN (a.source_key, b.source_key)"
    ).fetchall()
    assert levels
    explained = reasons_of(levels[0][0], level_table(con))
    assert explained["identifiers"]["weight"] > 0
    assert explained["dob"]["weight"] > 0


def test_negative_judgement_splits_and_positive_forces(published_copy: Config) -> None:
    _add_un_copy_of_wehbe(published_copy)
    extract_stage(published_copy)
    resolve_stage(published_copy)
    con = open_work_store(published_copy.work_store)
    ids = dict(
        con.sql(
            "SELECT source_key, record_id FROM records "
            "WHERE source_key IN ('12460', '999001', '906')"
        ).fetchall()
    )
    con.execute(
        "INSERT INTO judgements VALUES ('j1', ?, ?, 'negative', 'analyst', now(), 'two men', NULL)",
        [ids["12460"], ids["999001"]],
    )
    con.execute(
        "INSERT INTO judgements VALUES ('j2', ?, ?, 'positive', 'analyst', now(), 'test', NULL)",
        [ids["906"], ids["12460"]],
    )
    con.close()
    resolve_stage(published_copy)
    assert _profile_of(published_copy, "un_sc", "999001") != _profile_of(
        published_copy, "ofac_sdn", "12460"
    )
    assert _profile_of(published_copy, "ofac_sdn", "906") == _profile_of(
        published_copy, "ofac_sdn", "12460"
    )


def test_blocking_over_the_pair_budget_is_refused(published_copy: Config) -> None:
    import pytest

    from osint.errors import ResolveError
    from osint.resolve import resolve

    con = open_work_store(published_copy.work_store)
    try:
        with pytest.raises(ResolveError, match=r"over resolve\.max_pairs \(1\).*tighten"):
            resolve(con, published_copy.model_path, 0.9, max_pairs=1)
    finally:
        con.close()


def test_the_pair_budget_of_a_large_table_is_estimated_from_a_sample() -> None:
    """Above 50,000 records the budget check counts pairs among a 5% sample and scales them:
    600 blocks of 100 records make 2,970,000 pairs."""
    import duckdb
    import pytest

    from osint.errors import ResolveError
    from osint.resolve.linking import BUDGET_EXACT_UP_TO, check_budget

    mem = duckdb.connect()
    mem.execute(
        "CREATE TABLE t AS SELECT 'r' || i AS unique_id, 'organization' AS kind, "
        "'block' || (i % 600) AS name_key FROM range(60000) r(i)"
    )
    assert BUDGET_EXACT_UP_TO < 60_000
    rules = ['(l."kind" = r."kind") AND (l."name_key" = r."name_key")']
    estimate = check_budget(mem, "t", rules, 10_000_000)
    assert 0.75 * 2_970_000 <= estimate <= 1.25 * 2_970_000
    with pytest.raises(ResolveError, match=r"about [\d,]+ pairs, over resolve\.max_pairs"):
        check_budget(mem, "t", rules, 1_000_000)
    tables = {r[0] for r in mem.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not {t for t in tables if t.startswith("__osint")}  # the sample is not left behind
