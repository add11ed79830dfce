"""`osint export`: tables as CSV / JSONL / Parquet, FollowTheMoney entities, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
from followthemoney import model

from tests.analyst.conftest import Run, Store


def test_links_as_csv_and_jsonl(osint: Run, store: Store) -> None:
    count = store("SELECT count(*) FROM profile_links")[0][0]
    as_csv = osint("export", "links", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == count
    assert {"profile_id", "relation", "target_profile_id", "evidence"} <= set(rows[0])
    as_jsonl = osint("export", "links")
    assert len(as_jsonl.stdout.splitlines()) == count


def test_profiles_and_members_as_parquet(osint: Run, store: Store, tmp_path: Path) -> None:
    for table, expected in (
        ("profiles", store("SELECT count(*) FROM profiles")[0][0]),
        ("members", store("SELECT count(*) FROM profile_records")[0][0]),
        ("links", store("SELECT count(*) FROM profile_links")[0][0]),
    ):
        path = tmp_path / f"{table}.parquet"
        result = osint("export", table, "--format", "parquet", "--output", str(path))
        assert result.returncode == 0, result.stderr
        got = duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
        assert got == expected, table
    columns = duckdb.sql(f"DESCRIBE SELECT * FROM '{tmp_path / 'profiles.parquet'}'").fetchall()
    assert ("identifiers", "VARCHAR[]") in [(c[0], c[1]) for c in columns]


def test_records_to_a_file(osint: Run, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    result = osint("export", "records", "--output", str(path))
    assert result.returncode == 0, result.stderr
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert {"record_id", "source", "name"} <= set(first)


def test_ftm_entities_load_in_followthemoney(osint: Run, store: Store) -> None:
    result = osint("export", "ftm")
    assert result.returncode == 0, result.stderr
    entities = [json.loads(line) for line in result.stdout.splitlines()]
    by_id = {e["id"]: e for e in entities}
    schemata = {e["schema"] for e in entities}
    assert {"Person", "Vessel", "CryptoWallet", "UnknownLink"} <= schemata
    assert schemata & {"Company", "Organization"}
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.schema.validate(proxy.to_dict()) is None, data
        assert proxy.to_dict()["properties"] == data["properties"], data  # already clean
    profiles = store("SELECT count(*) FROM profiles")[0][0]
    assert sum(e["id"].startswith("prof-") for e in entities) == profiles
    (wehbe,) = [e for e in entities if e["properties"].get("name") == ["Bilal Mohsen WEHBE"]]
    assert wehbe["schema"] == "Person"
    assert "CZ74340" in wehbe["properties"]["passportNumber"]
    assert "sanction" in wehbe["properties"]["topics"]
    vessel_id, imo = store(
        "SELECT profile_id, value FROM profile_identifiers WHERE scheme = 'imo' "
        "AND profile_id IN (SELECT profile_id FROM profiles WHERE kind = 'vessel') LIMIT 1"
    )[0]
    assert by_id[str(vessel_id)]["properties"]["imoNumber"] == [f"IMO{imo}"]  # FtM form
    wallet_holder, wallet = store(
        "SELECT profile_id, value FROM profile_keys WHERE key_type = 'wallet' LIMIT 1"
    )[0]
    wallets = [
        e
        for e in entities
        if e["schema"] == "CryptoWallet"
        and e["properties"]["publicKey"] == [str(wallet).split(":", 1)[1]]
    ]
    assert wallets
    assert wallet_holder in wallets[0]["properties"]["holder"]
    for link in (e for e in entities if e["schema"] == "UnknownLink"):
        assert link["properties"]["subject"][0] in by_id
        assert link["properties"]["object"][0] in by_id


def test_a_format_typo_lists_the_valid_ones(osint: Run) -> None:
    result = osint("export", "profiles", "--format", "parqet")
    assert result.returncode == 2
    for valid in ("csv", "jsonl", "json", "parquet"):
        assert f"'{valid}'" in result.stderr


def test_parquet_needs_an_output_file(osint: Run) -> None:
    result = osint("export", "profiles", "--format", "parquet")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "--output" in result.stderr


def test_an_unwritable_output_is_one_line_exit_1(osint: Run, tmp_path: Path) -> None:
    for args in (
        ("export", "ftm", "--output", str(tmp_path / "nope" / "x.json")),
        ("export", "profiles", "-f", "parquet", "-o", str(tmp_path)),
        ("export", "links", "-f", "csv", "-o", str(tmp_path / "nope" / "x.csv")),
    ):
        result = osint(*args)
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
        assert "cannot write" in result.stderr
