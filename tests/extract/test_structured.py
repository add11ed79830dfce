"""Extraction of OFAC and UN entries into records, run on the crawled samples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from osint.config import Config
from osint.extract import extract
from osint.store import open_work_store


def _record(config: Config, source: str, key: str) -> dict[str, Any]:
    con = open_work_store(config.work_store, read_only=True)
    rel = con.sql(f"SELECT * FROM records WHERE source = '{source}' AND source_key = '{key}'")
    row, columns = rel.fetchall(), rel.columns
    con.close()
    assert len(row) == 1
    return dict(zip(columns, row[0], strict=True))


def test_every_entry_becomes_a_record_except_aircraft(pipeline_dir: Path) -> None:
    from osint.config import load_config

    config = load_config(pipeline_dir / "config" / "osint.toml")
    con = open_work_store(config.work_store, read_only=True)
    entries = dict(con.sql("SELECT source, count(*) FROM entries GROUP BY ALL").fetchall())
    records = dict(con.sql("SELECT source, count(*) FROM records GROUP BY ALL").fetchall())
    aircraft = con.sql(
        "SELECT count(*) FROM entries WHERE source='ofac_sdn' AND data->>'type' = 'aircraft'"
    ).fetchall()[0][0]
    assert aircraft > 0
    assert records["ofac_sdn"] == entries["ofac_sdn"] - aircraft
    assert records["un_sc"] == entries["un_sc"] == 135


def test_ofac_remarks_become_normalized_fields(published_copy: Config) -> None:
    havin = _record(published_copy, "ofac_sdn", "906")
    assert havin["kind"] == "organization"
    assert havin["domains"] == ["havanaintbank.co.uk", "hib.uk.com"]
    assert "company_no:01074897" in havin["identifiers"]
    assert "swift_bic:HAVIGB2L" in havin["identifiers"]
    assert set(havin["countries"]) == {"GB", "CU"}
    assert "HAVANA INTERNATIONAL BANK, LTD" in havin["aliases"]

    wehbe = _record(published_copy, "ofac_sdn", "12460")
    assert wehbe["kind"] == "person"
    assert wehbe["name"] == "Bilal Mohsen WEHBE"
    assert wehbe["dob"] == "1967-01-07"
    assert {"passport:CZ74340", "passport:0083628"} <= set(wehbe["identifiers"])
    assert "wehbe bilal mohsen" in wehbe["names_norm"]


def test_un_individual_fields(published_copy: Config) -> None:
    eric = _record(published_copy, "un_sc", "6907993")
    assert eric["name"] == "ERIC BADEGE"
    assert eric["kind"] == "person"
    assert eric["dob"] == "1971"
    assert eric["nationality"] == ["CD"]
    assert eric["countries"] == ["RW"]


def test_second_extract_is_incremental_and_all_redoes(published_copy: Config) -> None:
    con = open_work_store(published_copy.work_store)
    again = extract(con)
    assert again.records_written == 0
    assert again.unchanged == again.entries_seen
    con.execute(
        "UPDATE entries SET data = json_object('type', 'individual', 'name', 'DOE, John', "
        "'remarks', 'DOB 1970.'), content_sha256 = 'changed' WHERE source_key = '12460'"
    )
    changed = extract(con)
    assert changed.records_written == 1
    full = extract(con, full=True)
    assert full.records_written == full.entries_seen - full.skipped
    count = con.sql("SELECT count(*) FROM records").fetchall()[0][0]
    assert count == full.records_written
