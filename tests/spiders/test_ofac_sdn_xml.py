"""The OFAC SDN classic XML spider (sdn.xml, `sdnList`), crawling a local HTTP server."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lxml import etree

from osint.collect.runner import CrawlResult, crawl
from osint.config import Config, load_config
from osint.store import WriterLock, open_work_store
from spiders.items import EntryItem, IssueItem
from spiders.ofac_sdn_xml import FORMAT, OfacSdnXmlSpider, read_entry
from tests.conftest import write_config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ofac_xml"


def _crawl(tmp_path: Path, mockserver: str, name: str) -> tuple[Config, CrawlResult]:
    url = f"{mockserver}/fixtures/ofac_xml/{name}"
    config = load_config(write_config(tmp_path, {"ofac_xml": ("ofac_sdn_xml", [url])}))
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["ofac_xml"]], quiet=True)
    return config, result


def _entries(config: Config) -> dict[str, dict[str, Any]]:
    con = open_work_store(config.work_store, read_only=True)
    rows = con.sql("SELECT source_key, format, data FROM entries").fetchall()
    con.close()
    assert {fmt for _, fmt, _ in rows} == {FORMAT}
    return {key: json.loads(data) for key, _, data in rows}


def test_every_sdn_entry_is_read_with_nothing_unknown(tmp_path: Path, mockserver: str) -> None:
    config, result = _crawl(tmp_path, mockserver, "sdn.xml")
    assert result.status == "ok", result.message
    # Counted independently of the spider, in the raw text.
    raw = (FIXTURES / "sdn.xml").read_text(encoding="utf-8")
    uids = re.findall(r"<sdnEntry>\s*<uid>(\d+)</uid>", raw)
    assert raw.count("<sdnEntry>") == len(uids) == 40
    entries = _entries(config)
    assert result.entries == len(entries) == 40
    assert sorted(entries) == sorted(uids)
    con = open_work_store(config.work_store, read_only=True)
    issues = [m for (m,) in con.sql("SELECT message FROM run_issues").fetchall()]
    meta = con.sql("SELECT meta FROM documents").fetchall()
    con.close()
    assert not [m for m in issues if "unknown element" in m]
    assert not [m for m in issues if "Record_Count" in m]
    assert [json.loads(m) for (m,) in meta] == [
        {"Publish_Date": "11/21/2025", "Record_Count": "40"}
    ]


def test_entries_keep_the_fields_as_published(tmp_path: Path, mockserver: str) -> None:
    config, _ = _crawl(tmp_path, mockserver, "sdn.xml")
    entries = _entries(config)
    wehbe = entries["12460"]
    assert wehbe["lastName"] == "WEHBE"
    assert wehbe["firstName"] == "Bilal Mohsen"
    assert wehbe["sdnType"] == "Individual"
    assert wehbe["programList"] == ["SDGT"]
    passports = [i for i in wehbe["idList"] if i["idType"] == "Passport"]
    assert {p["idNumber"] for p in passports} == {"CZ74340", "0083628"}
    assert all(set(p) <= {"uid", "idType", "idNumber", "idCountry"} for p in passports)
    assert wehbe["dateOfBirthList"][0]["dateOfBirth"] == "07 Jan 1967"
    assert wehbe["dateOfBirthList"][0]["mainEntry"] == "true"
    assert {a["category"] for a in wehbe["akaList"]} == {"strong"}
    vessel = entries["15904"]
    assert vessel["sdnType"] == "Vessel"
    assert vessel["vesselInfo"]["callSign"] == "5IM411"
    assert {"idType": "Vessel Registration Identification", "idNumber": "IMO 9569671"}.items() <= (
        next(i for i in vessel["idList"] if i["idType"].startswith("Vessel")).items()
    )
    assert vessel["remarks"] == "Linked To: NATIONAL IRANIAN TANKER COMPANY."


def test_truncated_file_fails_the_run_with_a_clear_message(tmp_path: Path, mockserver: str) -> None:
    config, result = _crawl(tmp_path, mockserver, "sdn_truncated.xml")
    assert result.status == "failed"
    assert result.entries == 0
    message = result.message or ""
    assert "sdn_truncated.xml is not well-formed XML" in message
    assert "truncated" in message
    assert "crawl again" in message
    assert "\n" not in message
    con = open_work_store(config.work_store, read_only=True)
    assert con.sql("SELECT count(*) FROM entries").fetchall()[0][0] == 0
    assert con.sql("SELECT count(*) FROM documents").fetchall()[0][0] == 0
    con.close()


def test_wrong_root_element_is_a_format_error(tmp_path: Path, mockserver: str) -> None:
    # The UN consolidated list is well-formed XML, but not an sdnList.
    url = f"{mockserver}/un/consolidated.xml"
    config = load_config(write_config(tmp_path, {"ofac_xml": ("ofac_sdn_xml", [url])}))
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["ofac_xml"]], quiet=True)
    assert result.status == "failed"
    assert "not <sdnList>" in (result.message or "")


SMALL = b"""<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>01/02/2025</Publish_Date><Record_Count>3</Record_Count>
  <Extra>1</Extra></publshInformation>
  <sdnEntry>
    <uid>1</uid><lastName>ACME</lastName><sdnType>Entity</sdnType>
    <programList><program>CUBA</program><programme>X</programme></programList>
    <idList><id><uid>5</uid><idType>Website</idType><idNumber>acme.example</idNumber>
      <idColour>red</idColour></id></idList>
    <vesselInfo><callSign>ABC</callSign><hullColour>red</hullColour></vesselInfo>
    <newField>surprise</newField>
  </sdnEntry>
  <sdnEntry><lastName>NO UID</lastName><sdnType>Entity</sdnType></sdnEntry>
  <sdnFooter/>
</sdnList>
"""


def _read(body: bytes) -> list[Any]:
    spider = OfacSdnXmlSpider(source="test", urls=["http://example.invalid/sdn.xml"])
    root = etree.fromstring(body)
    return list(spider.read_list("http://example.invalid/sdn.xml", root))


def test_unknown_elements_and_count_mismatch_are_reported_not_dropped() -> None:
    items = _read(SMALL)
    [entry] = [i for i in items if isinstance(i, EntryItem)]
    assert entry.source_key == "1"
    assert entry.data == {
        "uid": "1",
        "lastName": "ACME",
        "sdnType": "Entity",
        "programList": ["CUBA"],
        "idList": [{"uid": "5", "idType": "Website", "idNumber": "acme.example"}],
        "vesselInfo": {"callSign": "ABC"},
    }
    messages = [i.message for i in items if isinstance(i, IssueItem)]
    for path in (
        "publshInformation/Extra",
        "programList/programme",
        "idList/id/idColour",
        "vesselInfo/hullColour",
        "newField",
        "sdnList/sdnFooter",
    ):
        assert any(f"<{path}>" in m for m in messages), (path, messages)
    assert any("without uid: skipped" in m for m in messages)
    assert any("Record_Count says 3 but 2 sdnEntry" in m for m in messages)


def test_read_entry_strips_the_namespace_and_skips_comments() -> None:
    el = etree.fromstring(
        b'<sdnEntry xmlns="http://tempuri.org/sdnList.xsd"><!-- note --><uid>7</uid>'
        b"<firstName> Ann </firstName><lastName>DOE</lastName><title/>"
        b"<akaList><aka><uid>8</uid><type>f.k.a.</type><category>weak</category>"
        b"<lastName>ROE</lastName></aka></akaList></sdnEntry>"
    )
    data, unknown = read_entry(el)
    assert unknown == []
    assert data == {
        "uid": "7",
        "firstName": "Ann",
        "lastName": "DOE",
        "akaList": [{"uid": "8", "type": "f.k.a.", "category": "weak", "lastName": "ROE"}],
    }
