"""Shipping records (bills of lading) to party and vessel records: crawled, then extracted."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from osint.collect.runner import crawl
from osint.config import load_config
from osint.extract import ExtractStats, extract
from osint.extract.shipping import map_entry
from osint.records import record_id
from osint.store import WriterLock, open_work_store
from tests.conftest import write_config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shipping"


@dataclass
class Extracted:
    con: duckdb.DuckDBPyConnection
    stats: ExtractStats
    rows: list[dict[str, str]]  # the fixture's well-formed rows, by header


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory, mockserver: str) -> Iterator[Extracted]:
    root = tmp_path_factory.mktemp("shipping")
    config = load_config(
        write_config(
            root, {"ship": ("shipping_csv", [f"{mockserver}/fixtures/shipping/export.csv"])}
        )
    )
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["ship"]], quiet=True)
        assert result.status == "ok", result.message
        con = open_work_store(config.work_store)
        stats = extract(con)
    with (FIXTURES / "export.csv").open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, r, strict=True)) for r in reader if len(r) == len(header)]
    yield Extracted(con, stats, rows)
    con.close()


def _records(con: duckdb.DuckDBPyConnection, where: str = "TRUE") -> dict[str, dict[str, Any]]:
    rel = con.sql(f"SELECT * FROM records WHERE {where}")
    return {row[2]: dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()}


def _first(rows: list[dict[str, str]], **match: str) -> dict[str, str]:
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


def test_one_record_per_party_and_vessel(extracted: Extracted) -> None:
    rows = extracted.rows
    records = _records(extracted.con)
    by_role: dict[str, int] = {}
    for key in records:
        role = key.rsplit("#", 1)[1]
        by_role[role] = by_role.get(role, 0) + 1
    notify = [r for r in rows if r["Notify Party"] and r["Notify Party"] != "SAME AS CONSIGNEE"]
    assert by_role == {
        "shipper": len(rows),
        "consignee": len(rows),
        "notify": len(notify),
        "vessel": len(rows),
    }
    kinds = {(k.rsplit("#", 1)[1], r["kind"]) for k, r in records.items()}
    assert kinds == {
        ("shipper", "organization"),
        ("consignee", "organization"),
        ("notify", "organization"),
        ("vessel", "vessel"),
    }
    assert {r["origin"] for r in records.values()} == {"parser:shipping_record.v1"}
    assert extracted.stats.skipped == 0


def test_shipper_and_consignee_fields_are_normalized(extracted: Extracted) -> None:
    row = _first(extracted.rows, **{"Shipper Country": "CN"})
    bol = row["Bill of Lading"]
    records = _records(extracted.con, f"source_key LIKE '{bol}#%'")
    shipper, consignee = records[f"{bol}#shipper"], records[f"{bol}#consignee"]
    assert shipper["name"] == row["Shipper"]
    assert shipper["address"] == row["Shipper Address"]
    assert shipper["countries"] == ["CN"]
    assert shipper["hs_codes"] == [row["HS Code"].replace(".", "")]
    assert consignee["name"] == row["Consignee"]
    assert consignee["countries"] == ["MX"]
    assert consignee["hs_codes"] == shipper["hs_codes"]
    # Legal forms are dropped for matching; the shipper's name variants are kept as written.
    assert "quimica industrial del pacifico" in consignee["names_norm"]
    hubei = _records(extracted.con, "name ILIKE 'hubei xinyuan%'")
    assert len({r["name"] for r in hubei.values()}) == 3
    assert {c for r in hubei.values() for c in r["countries"]} == {"CN"}
    # Two HS codes in one cell; a value that is not an HS code is a note.
    two = _first(extracted.rows, **{"HS Code": "2933.39; 2921.49"})["Bill of Lading"]
    assert _records(extracted.con, f"source_key = '{two}#shipper'")[f"{two}#shipper"][
        "hs_codes"
    ] == ["293339", "292149"]
    bad = _first(extracted.rows, **{"HS Code": "29"})["Bill of Lading"]
    assert (
        _records(extracted.con, f"source_key = '{bad}#shipper'")[f"{bad}#shipper"]["hs_codes"] == []
    )
    assert any(bad in n and "'29' is not an HS code" in n for n in extracted.stats.notes)


def test_relations_link_shipper_to_consignee_and_notify_party(extracted: Extracted) -> None:
    con = extracted.con
    rels = con.sql(
        "SELECT r.source_key, x.relation, x.target_name, x.target_name_norm, "
        "x.target_record_id, x.source "
        "FROM relations x JOIN records r USING (record_id)"
    ).fetchall()
    ids = {key: r["record_id"] for key, r in _records(con).items()}
    ships_to = {k: (name, target) for k, rel, name, _, target, _ in rels if rel == "ships_to"}
    notify = {k: (name, target) for k, rel, name, _, target, _ in rels if rel == "notify"}
    assert {rel for _, rel, *_ in rels} == {"ships_to", "notify"}
    assert {s for *_, s in rels} == {"ship"}
    assert len(ships_to) == len(extracted.rows)
    for key, (name, target) in ships_to.items():
        bol = key.rsplit("#", 1)[0]
        assert key.endswith("#shipper")
        assert target == ids[f"{bol}#consignee"] == record_id("ship", f"{bol}#consignee")
        assert name == _records(con, f"record_id = '{target}'")[f"{bol}#consignee"]["name"]
    # A named notify party has its own record; "SAME AS CONSIGNEE" points at the consignee.
    named = _first(extracted.rows, **{"Notify Party": "Agencia Aduanal Ramírez y Asociados S.C."})
    bol = named["Bill of Lading"]
    assert notify[f"{bol}#shipper"] == (named["Notify Party"], ids[f"{bol}#notify"])
    same = _first(extracted.rows, **{"Notify Party": "SAME AS CONSIGNEE"})
    bol = same["Bill of Lading"]
    assert notify[f"{bol}#shipper"] == (same["Consignee"], ids[f"{bol}#consignee"])
    assert f"{bol}#notify" not in ids
    without = [r["Bill of Lading"] for r in extracted.rows if not r["Notify Party"]]
    assert without
    assert all(f"{b}#shipper" not in notify for b in without)
    norms = {n for _, rel, _, n, _, _ in rels if rel == "ships_to"}
    assert "rotterdam chemical logistics" in norms


def test_vessel_imo_kept_only_with_a_valid_check_digit(extracted: Extracted) -> None:
    vessels = _records(extracted.con, "kind = 'vessel'")
    by_imo = {r["IMO"]: r["Bill of Lading"] for r in extracted.rows}
    valid = vessels[f"{by_imo['9321483']}#vessel"]
    assert valid["name"] == "PACIFIC MERIDIAN"
    assert valid["identifiers"] == ["imo:9321483"]
    assert vessels[f"{by_imo['IMO 9630119']}#vessel"]["identifiers"] == ["imo:9630119"]
    invalid = vessels[f"{by_imo['9417651']}#vessel"]
    assert invalid["name"] == "MONTE ALBA"
    assert invalid["identifiers"] == []
    assert any("'9417651' is not a valid IMO number" in n for n in extracted.stats.notes)
    missing = vessels[f"{by_imo['']}#vessel"]
    assert missing["identifiers"] == []


def test_to_order_consignee_and_contacts() -> None:
    records, notes = map_entry(
        "ship",
        "ABCD1234",
        "doc-1",
        {
            "shipper_name": "Vadodara Organics Pvt. Ltd.",
            "shipper_country": "India",
            "shipper_phone": "+91 265 283 0412; 0265 283 0413",
            "shipper_email": "Exports@VadodaraOrganics.example",
            "consignee_name": "TO THE ORDER OF BANCO DEL PACIFICO",
            "notify_name": "N/A",
            "hs_code": "2914.39.00",
            "vessel_imo": "IMO 9417658",
        },
    )
    by_key = {r.source_key: r for r in records}
    assert sorted(by_key) == ["ABCD1234#shipper", "ABCD1234#vessel"]
    shipper = by_key["ABCD1234#shipper"]
    assert shipper.phones == ["+912652830412", "+912652830413"]
    assert shipper.emails == ["exports@vadodaraorganics.example"]
    assert shipper.hs_codes == ["29143900"]
    assert shipper.relations == []
    assert by_key["ABCD1234#vessel"].name == "IMO 9417658"
    assert by_key["ABCD1234#vessel"].identifiers == ["imo:9417658"]
    assert any("to order" in n for n in notes)


def test_entry_without_parties_or_vessel_is_skipped() -> None:
    records, notes = map_entry("ship", "X1", "doc-1", {"bill_of_lading": "X1", "weight_kg": "5"})
    assert records == []
    assert notes == ["B/L X1: no shipper, consignee, notify party or vessel: skipped"]


def test_listing_detail_pages_extract_like_the_export(tmp_path: Path, mockserver: str) -> None:
    from tests.spiders.test_shipping import LISTING_OPTIONS, make, run

    config = make(tmp_path, mockserver, "shipping_listing", ["listing/page1.html"], LISTING_OPTIONS)
    assert run(config).status == "ok"
    with WriterLock(config.data_dir, "test"):
        con = open_work_store(config.work_store)
        stats = extract(con)
    details = len(list((FIXTURES / "listing" / "bol").glob("*.html")))
    assert stats.entries_seen == details
    records = _records(con)
    shippers = [k for k in records if k.endswith("#shipper")]
    assert len(shippers) == details
    withheld = f"{mockserver}/fixtures/shipping/listing/bol/4.html#shipper"
    assert records[withheld]["name"] == "Shanghai Ruiheng Pharmatech Co., Ltd."
    assert records[withheld]["countries"] == ["CN"]
    ships_to = con.sql(
        "SELECT count(*) FROM relations WHERE relation = 'ships_to' AND target_record_id IN "
        "(SELECT record_id FROM records WHERE source_key LIKE '%#consignee')"
    ).fetchall()[0][0]
    assert ships_to == details
    con.close()
