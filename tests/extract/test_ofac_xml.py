"""Extraction of OFAC SDN classic XML entries (sdn.xml), compared with the legacy CSV path.

The XML fixture holds 40 real entries of the CSV sample, written in the sdnList structure, so
both publications of the same entry must give the same record.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from osint.collect.runner import crawl
from osint.config import Config, load_config
from osint.extract import extract
from osint.extract.ofac_xml import ORIGIN, map_entry
from osint.store import WriterLock, open_work_store
from tests.conftest import ofac_urls, write_config

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ofac_xml" / "sdn.xml"
# Fields both paths must agree on for every entry of the fixture.
COMPARED = (
    "kind",
    "name",
    "identifiers",
    "countries",
    "nationality",
    "aliases",
    "dob",
    "dobs",
    "emails",
    "domains",
    "phones",
    "wallets",
    "programs",
    "address",
    "city",
)
# Justified differences between the two paths (outside COMPARED, or equal here only because
# of how the fixture was made):
# * source, record_id and origin ("parser:ofac_sdn_xml.v1"): two sources of one list.
# * city: the XML splits city / stateOrProvince / postalCode where the CSV packs them into one
#   column, and the record takes <city> alone. The fixture, converted from the CSV, carries the
#   packed value in <city>, so the two agree here; on OFAC's own sdn.xml they would not.
# * notes name the entry "uid N" instead of "ent_num N".


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory, mockserver: str) -> Config:
    root = tmp_path_factory.mktemp("ofac_xml")
    sources = {
        "ofac_xml": ("ofac_sdn_xml", [f"{mockserver}/fixtures/ofac_xml/sdn.xml"]),
        "ofac_csv": ("ofac_sdn_csv", ofac_urls(mockserver)),
    }
    config = load_config(write_config(root, sources))
    with WriterLock(config.data_dir, "test"):
        results = crawl(config, [config.sources[n] for n in sources], quiet=True)
        assert [r.status for r in results] == ["ok", "ok"], results
        con = open_work_store(config.work_store)
        extract(con)
        con.close()
    return config


def _records(config: Config, source: str) -> dict[str, dict[str, Any]]:
    con = open_work_store(config.work_store, read_only=True)
    rel = con.sql(f"SELECT * FROM records WHERE source = '{source}'")
    rows, columns = rel.fetchall(), rel.columns
    con.close()
    return {row[columns.index("source_key")]: dict(zip(columns, row, strict=True)) for row in rows}


def _fixture_types() -> dict[str, str]:
    """uid -> sdnType of each entry, read from the raw text (independently of the spider)."""
    entry = r"<sdnEntry>\s*<uid>(\d+)</uid>.*?<sdnType>(\w+)</sdnType>.*?</sdnEntry>"
    return dict(re.findall(entry, FIXTURE.read_text("utf-8"), re.DOTALL))


def test_every_entry_but_aircraft_becomes_a_record(extracted: Config) -> None:
    types = _fixture_types()
    records = _records(extracted, "ofac_xml")
    assert sorted(records) == sorted(k for k, t in types.items() if t != "Aircraft")
    assert "Aircraft" in types.values()
    assert {r["origin"] for r in records.values()} == {ORIGIN}


def test_person_passports_and_dates_of_birth(extracted: Config) -> None:
    records = _records(extracted, "ofac_xml")
    rahim = records["12923"]
    assert rahim["kind"] == "person"
    assert rahim["name"] == "Fazal RAHIM"  # "RAHIM, Fazal" in lastName, firstName
    assert rahim["identifiers"] == ["passport:R512768"]
    assert rahim["nationality"] == ["AF"]  # the passport's idCountry and the citizenship
    # Four dateOfBirthItem: the main entry is the dob, every one is kept.
    assert rahim["dob"] == "1974-01-05"
    assert list(rahim["dobs"]) == ["1974-01-05", "1977", "1975", "1973-01-24"]
    assert "Fazil RAHMAN" in rahim["aliases"]
    wehbe = records["12460"]
    assert wehbe["dob"] == "1967-01-07"
    assert {"passport:CZ74340", "passport:0083628"} <= set(wehbe["identifiers"])
    assert wehbe["nationality"] == ["BR", "LB"]


def test_entity_uscc_domain_and_email(extracted: Config) -> None:
    records = _records(extracted, "ofac_xml")
    sunway = records["22687"]
    assert sunway["kind"] == "organization"
    assert sunway["name"] == "SUNWAY TECH CO., LTD"
    assert sunway["identifiers"] == ["company_no:110117010279470", "uscc:91110117663725176G"]
    assert sunway["domains"] == ["sunwaytech.cn"]
    assert sunway["countries"] == ["CN"]
    peykasa = records["15547"]
    assert peykasa["emails"] == ["info@peykasa.ir", "rasoul.jalili@peykasa.ir"]
    assert peykasa["domains"] == ["peykasa.com", "peykasa.ir"]


def test_vessel_imo_mmsi_and_call_sign(extracted: Config) -> None:
    argo = _records(extracted, "ofac_xml")["15038"]
    assert argo["kind"] == "vessel"
    assert argo["name"] == "ARGO I"
    assert argo["identifiers"] == ["imo:9187667", "mmsi:256843000", "call_sign:T2EM4"]
    assert argo["countries"] == ["IR"]  # vesselFlag; former flags are information only
    assert "SILVER CLOUD" in argo["aliases"]


def test_wallets_and_linked_to_relations(extracted: Config) -> None:
    lifshits = _records(extracted, "ofac_xml")["29702"]
    assert lifshits["wallets"][:2] == [
        "XBT:12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz",
        "XBT:1DT3tenf14cxz9WFNxmYrXFbB6TFiVWA9U",
    ]
    assert "LTC:Leo3j36nn1JcsUQruytQhFUdCdCH5YHMR3" in lifshits["wallets"]
    assert lifshits["phones"] == ["+79110354982"]
    con = open_work_store(extracted.work_store, read_only=True)
    targets = con.sql(
        "SELECT target_name FROM relations JOIN records USING (record_id) "
        "WHERE records.source = 'ofac_xml' AND records.source_key = '15904'"
    ).fetchall()
    con.close()
    assert targets == [("NATIONAL IRANIAN TANKER COMPANY",)]


def test_records_equal_the_csv_records_for_the_same_entries(extracted: Config) -> None:
    xml_records = _records(extracted, "ofac_xml")
    csv_records = _records(extracted, "ofac_csv")
    assert len(xml_records) == 38
    for key, xml in xml_records.items():
        csv_record = csv_records[key]
        for field in COMPARED:
            assert xml[field] == csv_record[field], (key, field)


def test_unknown_id_types_and_sdn_types_give_notes() -> None:
    data = {
        "uid": "1",
        "lastName": "ACME",
        "sdnType": "Entity",
        "idList": [
            {"idType": "Passport", "idNumber": "X1", "idCountry": "Cuba"},
            {"idType": "Favourite Colour", "idNumber": "red"},
            {"idType": "Secondary sanctions risk:", "idNumber": "Section 1(b)"},
            {"idType": "Digital Currency Address - ETH", "idNumber": "0xabc"},
            {"idType": "Identification Number", "idNumber": "IMO 1234567"},
        ],
        "remarks": "Linked To: OTHER CO.",
    }
    [record], notes = map_entry("s", "1", "d", data)
    assert notes == ["uid 1: unknown idType or Remarks item 'Favourite Colour red'"]
    assert record.identifiers == ["passport:X1", "imo_company:1234567"]
    assert record.wallets == ["ETH:0xabc"]
    assert [r.target_name for r in record.relations] == ["OTHER CO"]
    records, notes = map_entry("s", "2", "d", {"uid": "2", "lastName": "X", "sdnType": "Bus"})
    assert records == []
    assert notes == ["uid 2: unknown sdnType 'Bus': entry skipped"]
