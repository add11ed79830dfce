"""The UN consolidated list XML spider, crawling a local HTTP server."""

from __future__ import annotations

import json
import re
from pathlib import Path

from osint.collect.runner import crawl
from osint.store import WriterLock, open_work_store
from tests.conftest import MakeConfig

SAMPLE = Path(__file__).resolve().parents[2] / "osint" / "demo" / "data"


def test_every_individual_and_entity_is_read_with_no_leftovers(make_config: MakeConfig) -> None:
    config = make_config()
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["un_sc"]], quiet=True)
    assert result.status == "ok", result.message
    xml = (SAMPLE / "un_consolidated_sample.xml").read_text(encoding="utf-8")
    con = open_work_store(config.work_store, read_only=True)
    entries = {
        k: json.loads(d)
        for k, d in con.sql("SELECT source_key, data FROM entries WHERE source='un_sc'").fetchall()
    }
    assert len(entries) == xml.count("<INDIVIDUAL>") + xml.count("<ENTITY>") == 135
    # Strict reading: no element of the sample was left unread.
    assert con.sql("SELECT message FROM run_issues").fetchall() == []
    # Every non-empty alias and document number in the file is in some entry.
    aliases = [a for a in re.findall(r"<ALIAS_NAME>([^<]+)</ALIAS_NAME>", xml)]
    stored = [a["alias_name"] for e in entries.values() for a in e.get("alias", [])]
    assert sorted(stored) == sorted(a.strip() for a in aliases)
    numbers = re.findall(r"<NUMBER>([^<]+)</NUMBER>", xml)
    stored_numbers = [
        d["number"] for e in entries.values() for d in e.get("document", []) if "number" in d
    ]
    assert sorted(stored_numbers) == sorted(n.strip() for n in numbers)


def test_broken_xml_fails_the_run_with_a_clear_message(make_config: MakeConfig) -> None:
    config = make_config(un="un-broken")
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["un_sc"]], quiet=True)
    assert result.status == "failed"
    assert "not well-formed XML" in (result.message or "")
