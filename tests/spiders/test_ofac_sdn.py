"""The OFAC SDN legacy CSV spider, crawling a local HTTP server."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from osint.collect.runner import crawl
from osint.store import WriterLock, open_work_store
from tests.conftest import MakeConfig

DATA = Path(__file__).resolve().parents[2] / "osint" / "demo" / "data"


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh) if row]


def _crawl(config, names=("ofac_sdn",)):  # type: ignore[no-untyped-def]
    with WriterLock(config.data_dir, "test"):
        return crawl(config, [config.sources[n] for n in names], quiet=True)


def _entries(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:  # type: ignore[type-arg]
    rows = con.sql("SELECT source_key, data FROM entries WHERE source = 'ofac_sdn'").fetchall()
    return {key: json.loads(data) for key, data in rows}


def test_every_row_of_the_three_files_is_read_and_joined(make_config: MakeConfig) -> None:
    config = make_config(un=None)
    [result] = _crawl(config)
    assert result.status == "ok", result.message
    sdn, add, alt = _rows("sdn.csv"), _rows("add.csv"), _rows("alt.csv")
    con = open_work_store(config.work_store, read_only=True)
    entries = _entries(con)
    assert sorted(entries) == sorted(r[0] for r in sdn)
    known = set(entries)
    # Every address and alias row whose ent_num is on the list ends up in its entry.
    assert sum(len(e["addresses"]) for e in entries.values()) == sum(r[0] in known for r in add)
    assert sum(len(e["aliases"]) for e in entries.values()) == sum(r[0] in known for r in alt)
    # Rows that could not be joined are reported, not silently dropped.
    orphans = sum(r[0] not in known for r in add) + sum(r[0] not in known for r in alt)
    issues = con.sql("SELECT message FROM run_issues").fetchall()
    reported = sum(int(m.split(": ")[1].split()[0]) for (m,) in issues if "missing from" in m)
    assert reported == orphans
    havin = entries["906"]
    assert havin["name"] == "HAVIN BANK LIMITED"
    assert havin["programs"] == ["CUBA"]
    assert havin["remarks"].startswith("SWIFT/BIC HAVIGB2L")
    assert {a["city"] for a in havin["addresses"]} == {"London E14 9SH", "Havana 10400"}
    docs = con.sql("SELECT url, content_sha256, size, http_status FROM documents").fetchall()
    assert len(docs) == 3
    assert all(status == 200 and size > 0 and len(sha) == 64 for _, sha, size, status in docs)


def test_crawling_again_adds_nothing_and_confirms_last_seen(make_config: MakeConfig) -> None:
    config = make_config(un=None)
    _crawl(config)
    con = open_work_store(config.work_store, read_only=True)
    first = con.sql("SELECT count(*), max(last_seen) FROM entries").fetchall()[0]
    con.close()
    [result] = _crawl(config)
    assert result.status == "ok"
    con = open_work_store(config.work_store, read_only=True)
    count, last_seen = con.sql("SELECT count(*), max(last_seen) FROM entries").fetchall()[0]
    assert count == first[0] == 500
    assert last_seen > first[1]
    assert con.sql("SELECT count(*) FROM documents").fetchall()[0][0] == 3
    assert con.sql("SELECT count(*) FROM crawl_runs WHERE status = 'ok'").fetchall()[0][0] == 2


def test_entries_gone_from_the_list_are_marked_delisted(make_config: MakeConfig) -> None:
    config = make_config(un=None)
    _crawl(config)
    small = make_config(prefix="ofac-small", un=None)
    [result] = _crawl(small)
    assert result.status == "ok"
    assert result.entries == 480
    con = open_work_store(config.work_store, read_only=True)
    listed = dict(con.sql("SELECT listed, count(*) FROM entries GROUP BY listed").fetchall())
    assert listed == {True: 480, False: 20}


def _documents(config) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    con = open_work_store(config.work_store, read_only=True)
    try:
        return con.sql("SELECT url, content_sha256, size FROM documents ORDER BY url").fetchall()
    finally:
        con.close()


def test_truncated_download_fails_the_run_and_keeps_good_data(make_config: MakeConfig) -> None:
    config = make_config(un=None)
    _crawl(config)
    good_documents = [(u.rsplit("/", 1)[1], sha, size) for u, sha, size in _documents(config)]
    broken = make_config(prefix="ofac-truncated", un=None)
    [result] = _crawl(broken)
    assert result.status == "failed"
    assert "truncated" in (result.message or "")
    con = open_work_store(config.work_store, read_only=True)
    # The entries of the earlier good crawl are all still there and still listed...
    assert con.sql("SELECT count(*) FROM entries WHERE listed").fetchall()[0][0] == 500
    con.close()
    # ...and the stored copies of the files are the good ones, not the truncated download.
    after = [(u.rsplit("/", 1)[1], sha, size) for u, sha, size in _documents(config)]
    assert [d for d in after if d[0] in ("sdn.csv", "add.csv", "alt.csv")] == good_documents


def test_content_length_mismatch_is_a_failed_run(make_config: MakeConfig) -> None:
    [result] = _crawl(make_config(prefix="ofac-dataloss", un=None))
    assert result.status == "failed"
    assert result.entries == 0


def test_changed_columns_fail_with_a_message_naming_the_file(make_config: MakeConfig) -> None:
    [result] = _crawl(make_config(prefix="ofac-changed", un=None))
    assert result.status == "failed"
    assert result.message is not None
    assert "sdn.csv" in result.message
    assert "changed shape" in result.message


def test_server_errors_are_retried_then_reported(make_config: MakeConfig) -> None:
    [result] = _crawl(make_config(prefix="status/503", un=None))
    assert result.status == "failed"
    assert "HTTP 503" in (result.message or "")


def test_robots_txt_is_obeyed(make_config: MakeConfig) -> None:
    [result] = _crawl(make_config(prefix="private", un=None))
    assert result.status == "failed"
    assert result.documents == 0


def test_fewer_entries_than_asserted_fails_and_delists_nothing(make_config: MakeConfig) -> None:
    config = make_config(un=None)
    _crawl(config)
    strict = make_config(prefix="ofac-small", un=None, min_entries=490)
    [result] = _crawl(strict)
    assert result.status == "failed"
    assert "min_entries" in (result.message or "")
    con = open_work_store(config.work_store, read_only=True)
    assert con.sql("SELECT count(*) FROM entries WHERE NOT listed").fetchall()[0][0] == 0


def test_skipped_rows_mean_no_entry_is_marked_delisted(make_config: MakeConfig) -> None:
    config = make_config(un=None)
    _crawl(config)
    [result] = _crawl(make_config(prefix="ofac-badrow", un=None))
    assert result.status == "ok"
    assert result.dropped == 1
    con = open_work_store(config.work_store, read_only=True)
    # 21 entries were not seen (20 removed + 1 skipped row), but a skipped row could be any
    # of them, so none is marked delisted; the reason is logged.
    assert con.sql("SELECT count(*) FROM entries WHERE NOT listed").fetchall()[0][0] == 0
    messages = [m for (m,) in con.sql("SELECT message FROM run_issues").fetchall()]
    assert any("expected 12 columns" in m and "line 6" in m for m in messages)
    assert any("not marked delisted" in m for m in messages)


def test_second_crawl_revalidates_with_conditional_requests(make_config: MakeConfig) -> None:
    config = make_config(un=None)
    [first] = _crawl(config)
    [second] = _crawl(config)
    assert second.status == "ok"
    assert second.entries == first.entries == 500
    con = open_work_store(config.work_store, read_only=True)
    counts = con.sql("SELECT status_counts FROM crawl_runs ORDER BY started_at").fetchall()
    # The server answered 304 Not Modified to robots.txt and the three files the second time.
    assert json.loads(counts[0][0]).get("304") is None
    assert json.loads(counts[1][0]) == {"200": 0, "304": 4}
    assert con.sql("SELECT count(*) FROM entries").fetchall()[0][0] == 500


def test_response_over_the_size_limit_fails_the_run(make_config: MakeConfig) -> None:
    config = make_config(prefix="big/3", un=None, extra="download_maxsize_mb = 2\n")
    [result] = _crawl(config)
    assert result.status == "failed"
    assert result.entries == 0
    assert "larger than download max size" in (result.message or "")
    assert "collect.download_maxsize_mb" in (result.message or "")


def test_redirect_to_another_domain_is_not_followed(make_config: MakeConfig) -> None:
    [result] = _crawl(make_config(prefix="redirect-offsite/ofac", un=None))
    assert result.status == "failed"
    assert result.entries == 0
    assert result.documents == 0
    assert "requests to other domains were filtered" in (result.message or "")


def test_redirect_within_the_site_is_followed_and_recorded(make_config: MakeConfig) -> None:
    config = make_config(prefix="redirect/ofac", un=None)
    [result] = _crawl(config)
    assert result.status == "ok"
    con = open_work_store(config.work_store, read_only=True)
    urls = con.sql("SELECT url, final_url FROM documents ORDER BY url").fetchall()
    assert all("/redirect/ofac/" in u and "/redirect/" not in f for u, f in urls)


def test_duplicate_rows_are_stored_once_and_reported(make_config: MakeConfig) -> None:
    config = make_config(prefix="ofac-dup", un=None)
    [result] = _crawl(config)
    assert result.status == "ok"
    con = open_work_store(config.work_store, read_only=True)
    assert con.sql("SELECT count(*) FROM entries").fetchall()[0][0] == 500
    messages = [m for (m,) in con.sql("SELECT message FROM run_issues").fetchall()]
    assert any("appears twice" in m for m in messages)


def test_a_server_that_does_not_answer_in_time_fails_the_run(make_config: MakeConfig) -> None:
    # /slow/ answers after 3 s; the download time-out is 1 s, with one retry.
    config = make_config(prefix="slow", un=None, extra="download_timeout = 1\n")
    [result] = _crawl(config)
    assert result.status == "failed"
    assert "took longer than 1.0 seconds" in (result.message or "")
    con = open_work_store(config.work_store, read_only=True)
    [(requests,)] = con.sql("SELECT requests FROM crawl_runs").fetchall()
    assert requests >= 3  # robots.txt, the file, and its retry
