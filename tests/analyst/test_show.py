"""`osint show`: values with their sources, links, judgements, retired ids, bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb

from osint.config import Config
from tests.analyst.conftest import Run, Store

WEHBE = "Bilal Mohsen WEHBE"


def _profile_id(store: Store, name: str) -> str:
    return str(store(f"SELECT profile_id FROM profiles WHERE name = '{name}'")[0][0])


def test_show_prints_readable_sections_with_sources(osint: Run, store: Store) -> None:
    profile_id = _profile_id(store, WEHBE)
    result = osint("show", profile_id)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"{WEHBE}  (person, {profile_id})")
    for section in ("\nNames\n", "\nIdentifiers\n", "\nSources\n", "\nLinks\n", "\nJudgements\n"):
        assert section in out, section
    assert "passport:CZ74340  [1]" in out
    assert "/sdn.csv  fetched " in out
    assert "origin parser:ofac_sdn_csv.v1" in out
    assert "first seen  20" in out


def test_show_json_is_one_object_with_provenance_per_value(osint: Run, store: Store) -> None:
    profile_id = _profile_id(store, WEHBE)
    result = osint("show", profile_id, "--format", "json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["profile_id"] == profile_id
    assert shown["retired_id"] is None
    passports = {e["value"]: e["sources"] for e in shown["values"]["identifiers"]}
    (source,) = passports["passport:CZ74340"]
    assert source["source"] == "ofac_sdn"
    assert source["doc_url"].endswith("/sdn.csv")
    assert source["doc_fetched_at"]
    assert shown["judgements"] == []
    assert shown["notes"] == []


def test_show_lists_links_both_ways(osint: Run, store: Store) -> None:
    source_id, target_id = store(
        "SELECT profile_id, target_profile_id FROM profile_links "
        "WHERE relation = 'linked_to' AND target_profile_id IS NOT NULL ORDER BY 1 LIMIT 1"
    )[0]
    out = osint("show", str(source_id)).stdout
    assert "linked_to -> " in out
    assert f"({target_id})" in out
    back = osint("show", str(target_id)).stdout
    assert "linked_to <- " in back
    assert f"({source_id})" in back


def test_show_lists_judgements_and_a_retired_id_shows_its_survivor(
    osint_copy: Run, published_copy: Config
) -> None:
    con = duckdb.connect(str(published_copy.profile_store), read_only=True)
    (a_id, a_rec), (b_id, b_rec) = con.sql(
        "SELECT profile_id, min(record_id) FROM profile_records WHERE name LIKE 'Bilal Mohsen%' "
        "OR name = 'WEHBE, Bilal Mohsen' OR profile_id IN (SELECT profile_id FROM profiles "
        "WHERE name = 'SALIM AHMAD SALIM HAMDAN') GROUP BY 1 ORDER BY 1"
    ).fetchall()
    con.close()
    decided = osint_copy("review", "decide", a_rec, b_rec, "same", "--note", "test merge")
    assert decided.returncode == 0, decided.stderr
    for step in ("resolve", "publish"):
        done = osint_copy(step)
        assert done.returncode == 0, done.stderr
    shown = [json.loads(osint_copy("show", pid, "--format", "json").stdout) for pid in (a_id, b_id)]
    survivor = {s["profile_id"] for s in shown}
    assert len(survivor) == 1, "the judged records did not end up in one profile"
    retired = next(s for s in shown if s["retired_id"])
    assert retired["judgements"][0]["note"] == "test merge"
    text = osint_copy("show", retired["retired_id"]).stdout
    assert text.startswith(f"{retired['retired_id']} was merged into {retired['profile_id']}")
    assert "same" in text or "positive" in text


def test_a_locked_work_store_is_said_not_hidden(osint_copy: Run, published_copy: Config) -> None:
    profile_id = (
        duckdb.connect(str(published_copy.profile_store), read_only=True)
        .sql("SELECT min(profile_id) FROM profiles")
        .fetchall()[0][0]
    )
    holder = duckdb.connect(str(published_copy.work_store))  # another run has it open
    try:
        result = osint_copy("show", str(profile_id))
    finally:
        holder.close()
    assert result.returncode == 0, result.stderr
    assert "work store not read" in result.stdout
    assert "unknown (the work store could not be read)" in result.stdout


def test_unknown_id_is_one_line_pointing_at_search(osint: Run) -> None:
    result = osint("show", "prof-doesnotexist")
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1
    assert "no profile 'prof-doesnotexist'" in result.stderr
    assert "osint search" in result.stderr


def test_missing_corrupt_and_older_stores_name_the_fix(
    osint_copy: Run, published_copy: Config, tmp_path: Path
) -> None:
    path = published_copy.profile_store
    shutil.copy(path, tmp_path / "good.duckdb")
    path.unlink()
    missing = osint_copy("show", "prof-x")
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1
    assert "osint publish" in missing.stderr
    path.write_bytes(b"this is not a duckdb file" * 100)
    corrupt = osint_copy("search", "x")
    assert corrupt.returncode == 1
    assert corrupt.stderr.count("\n") == 1
    assert "publish it again" in corrupt.stderr
    shutil.copy(tmp_path / "good.duckdb", path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    older = osint_copy("report", "prof-x", "--html", str(tmp_path / "r.html"))
    assert older.returncode == 1
    assert older.stderr.count("\n") == 1
    assert "profile schema 1" in older.stderr
    assert "osint publish" in older.stderr


def test_csv_attributes_each_value_to_the_records_that_carry_it(osint: Run, store: Store) -> None:
    (profile_id,) = store(
        "SELECT profile_id FROM profiles WHERE list_contains(sources, 'ofac_sdn') "
        "AND list_contains(sources, 'un_sc') ORDER BY profile_id LIMIT 1"
    )[0]
    result = osint("show", str(profile_id), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["field"] for r in rows} >= {"names"}
    by_source = {r["sources"].split(":")[0] for r in rows if ";" not in r["sources"]}
    assert by_source == {"ofac_sdn", "un_sc"}, rows  # some values from one list only
    assert all(r["doc_urls"] for r in rows)
