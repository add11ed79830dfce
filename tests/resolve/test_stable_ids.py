"""Profile ids survive rebuilds that add, remove and merge records; retired ids resolve."""

from __future__ import annotations

from pathlib import Path

from osint.config import Config
from osint.pipeline import publish_stage, resolve_stage
from osint.resolve import decide
from osint.resolve.imports import import_file
from osint.store import open_profile_store, open_work_store
from tests.resolve.conftest import SOURCE, profiles_by_key, record_ids


def test_ids_survive_add_remove_and_merge_and_retired_ids_resolve(
    companies: Config, tmp_path: Path
) -> None:
    publish_stage(companies)
    before = profiles_by_key(companies)
    # Add: another spelling of the Xinhua pharmaceutical company, with its USCC.
    extra = tmp_path / "more.csv"
    uscc = "uscc:913703001641308110"
    extra.write_text(
        "source_key,kind,name,countries,identifiers\n"
        f"c900,organization,Xinhua Pharmaceutical (Shandong),CN,{uscc}\n",
        encoding="utf-8",
    )
    con = open_work_store(companies.work_store)
    try:
        assert import_file(con, extra, SOURCE).problems == []
        # Remove: the record that carried the first spelling's phone is gone.
        con.execute("DELETE FROM records WHERE source_key = 'c003'")
        ids = record_ids_from(con)
        # Merge: an analyst says the two "China Chemical" records are one company.
        decide(con, ids["c017"], ids["c018"], "same", "ana", "same owner")
    finally:
        con.close()
    resolve_stage(companies)
    after = profiles_by_key(companies)
    assert after["c900"] == after["c001"] == before["c001"]
    assert "c003" not in after
    assert after["c004"] == before["c004"]  # untouched profiles keep their ids
    merged = after["c017"]
    assert merged in (before["c017"], before["c018"])
    retired = before["c018"] if merged == before["c017"] else before["c017"]
    publish_stage(companies)
    store = open_profile_store(companies.profile_store)
    try:
        lookup = store.execute(
            "SELECT profile_id FROM profile_lookup WHERE any_id = ?", [retired]
        ).fetchall()
        current = store.execute(
            "SELECT count(*) FROM profiles WHERE profile_id = ?", [retired]
        ).fetchall()[0][0]
    finally:
        store.close()
    assert lookup == [(merged,)]
    assert current == 0


def record_ids_from(con: object) -> dict[str, str]:
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    return dict(con.sql("SELECT source_key, record_id FROM records").fetchall())


def test_rebuilding_unchanged_data_changes_no_id(companies: Config) -> None:
    before = profiles_by_key(companies)
    resolve_stage(companies)
    assert profiles_by_key(companies) == before
    assert record_ids(companies)  # records are untouched by resolution
