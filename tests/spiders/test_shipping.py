"""The shipping record spiders (CSV exports, HTML listings), crawling a local HTTP server."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import duckdb

from osint.collect.runner import CrawlResult, crawl
from osint.config import Config, load_config
from osint.store import WriterLock, open_work_store
from tests.conftest import write_config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shipping"
LISTING_OPTIONS = """
[options]
row = "table.results tbody tr"
detail_link = "td.bol a::attr(href)"
next_page = "nav.pager a.next::attr(href)"
[options.fields]
bill_of_lading = "dl.bol dd.bol-number::text"
arrival_date = "dl.bol dd.arrival::text"
shipper_name = "dl.bol dd.shipper::text"
shipper_address = "dl.bol dd.shipper-address::text"
shipper_country = "dl.bol dd.shipper-country::text"
consignee_name = "dl.bol dd.consignee::text"
consignee_address = "dl.bol dd.consignee-address::text"
consignee_country = "dl.bol dd.consignee-country::text"
notify_name = "dl.bol dd.notify::text"
notify_address = "dl.bol dd.notify-address::text"
hs_code = "dl.bol dd.hs::text"
goods_description = "dl.bol dd.goods::text"
container_numbers = "dl.bol dd.containers li::text"
weight_kg = "dl.bol dd.weight::text"
vessel_name = "dl.bol dd.vessel::text"
vessel_imo = "dl.bol dd.imo::text"
port_of_loading = "dl.bol dd.pol::text"
port_of_discharge = "dl.bol dd.pod::text"
"""


def make(
    tmp_path: Path, mockserver: str, spider: str, files: list[str], options: str = ""
) -> Config:
    """A config with one source `ship` reading fixtures/shipping/FILES, with [options]."""
    urls = [f"{mockserver}/fixtures/shipping/{f}" for f in files]
    path = write_config(tmp_path, {"ship": (spider, urls)})
    if options:
        with (path.parent / "sources" / "ship.toml").open("a", encoding="utf-8") as fh:
            fh.write(options)
    return load_config(path)


def run(config: Config) -> CrawlResult:
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["ship"]], quiet=True)
    return result


def entries(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    rows = con.sql("SELECT source_key, data FROM entries").fetchall()
    return {key: json.loads(data) for key, data in rows}


def issues(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [m for (m,) in con.sql("SELECT message FROM run_issues").fetchall()]


def fixture_rows(name: str, encoding: str = "utf-8-sig") -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a fixture, read with the csv module (blank lines left out)."""
    with (FIXTURES / name).open(encoding=encoding, newline="") as fh:
        header, *rows = [row for row in csv.reader(fh) if row]
    return header, rows


def expected_keys(bols: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    keys = []
    for bol in bols:
        seen[bol] = seen.get(bol, 0) + 1
        keys.append(bol if seen[bol] == 1 else f"{bol}#{seen[bol]}")
    return keys


def test_every_row_of_the_export_is_read(tmp_path: Path, mockserver: str) -> None:
    config = make(tmp_path, mockserver, "shipping_csv", ["export.csv"])
    result = run(config)
    assert result.status == "ok", result.message
    header, rows = fixture_rows("export.csv")
    good = [r for r in rows if len(r) == len(header)]
    bad_lines = [n for n, r in enumerate(rows, start=2) if len(r) != len(header)]
    assert len(good) >= 30
    assert bad_lines
    assert result.entries == len(good)
    assert result.dropped == len(bad_lines)
    con = open_work_store(config.work_store, read_only=True)
    found = entries(con)
    col = {h: i for i, h in enumerate(header)}
    assert sorted(found) == sorted(expected_keys([r[col["Bill of Lading"]] for r in good]))
    messages = issues(con)
    # The broken row is named by its line; the repeated bill of lading is reported.
    for line in bad_lines:
        assert any(f"export.csv line {line}:" in m and "row skipped" in m for m in messages)
    repeated = [k for k in found if "#" in k]
    assert repeated
    assert all(any(f"kept as {k}" in m for m in messages) for k in repeated)
    # The unknown column is reported once, and its values kept.
    assert sum("'Carrier SCAC Code'" in m for m in messages) == 1
    first = good[0]
    data = found[first[col["Bill of Lading"]]]
    assert data["extra"] == {"Carrier SCAC Code": first[col["Carrier SCAC Code"]]}
    assert data["shipper_name"] == first[col["Shipper"]]
    assert data["consignee_address"] == first[col["Consignee Address"]]
    assert data["hs_code"] == first[col["HS Code"]]
    assert data["vessel_imo"] == first[col["IMO"]]
    assert data["container_numbers"] == re.split(r"[,;\s]+", first[col["Container Number"]])
    assert all(isinstance(c, str) for e in found.values() for c in e["container_numbers"])
    # Non-ASCII names survive the BOM and UTF-8 decoding.
    assert any("Química" in (e.get("consignee_name") or "") for e in found.values())
    docs = con.sql("SELECT count(*), min(http_status) FROM documents").fetchall()
    assert docs == [(1, 200)]


def test_second_header_style_in_cp1252_maps_the_same(tmp_path: Path, mockserver: str) -> None:
    plain = make(tmp_path / "a", mockserver, "shipping_csv", ["export.csv"])
    assert run(plain).status == "ok"
    config = make(
        tmp_path / "b",
        mockserver,
        "shipping_csv",
        ["export_bom_cp1252.csv"],
        '\n[options]\nencoding = "cp1252"\n',
    )
    result = run(config)
    assert result.status == "ok", result.message
    header, rows = fixture_rows("export_bom_cp1252.csv", encoding="cp1252")
    # Really another naming style.
    assert "BOL" not in header
    assert "Bill of Lading" not in header
    assert result.entries == len(rows)
    reference = entries(open_work_store(plain.work_store, read_only=True))
    con = open_work_store(config.work_store, read_only=True)
    found = entries(con)
    assert set(found) <= set(reference)
    for key, data in found.items():
        assert data.pop("extra") == {"Marks & Numbers": "N/M"}
        expected = dict(reference[key])
        expected.pop("extra", None)
        assert data == expected, key
    assert sum("unknown column 'Marks & Numbers'" in m for m in issues(con)) == 1


def test_not_utf8_without_encoding_is_read_as_cp1252_with_a_warning(
    tmp_path: Path, mockserver: str
) -> None:
    config = make(tmp_path, mockserver, "shipping_csv", ["export_bom_cp1252.csv"])
    result = run(config)
    assert result.status == "ok", result.message
    con = open_work_store(config.work_store, read_only=True)
    assert any("not UTF-8" in m for m in issues(con))
    assert any("Química" in (e.get("consignee_name") or "") for e in entries(con).values())


def test_changed_header_fails_with_the_fix(tmp_path: Path, mockserver: str) -> None:
    result = run(make(tmp_path, mockserver, "shipping_csv", ["export_changed.csv"]))
    assert result.status == "failed"
    assert result.entries == 0
    message = result.message or ""
    assert "export_changed.csv" in message
    assert "bill of lading" in message
    assert "[options.columns]" in message
    assert "\n" not in message


def test_column_overrides_read_a_changed_export(tmp_path: Path, mockserver: str) -> None:
    options = (
        "\n[options.columns]\n"
        '"Entry Number" = "bill_of_lading"\n"Origin Party" = "shipper_name"\n'
        '"Destination Party" = "consignee_name"\nCommodity = "hs_code"\nQuantity = "weight_kg"\n'
    )
    config = make(tmp_path, mockserver, "shipping_csv", ["export_changed.csv"], options)
    result = run(config)
    assert result.status == "ok", result.message
    _, rows = fixture_rows("export_changed.csv")
    assert result.entries == len(rows)
    con = open_work_store(config.work_store, read_only=True)
    data = entries(con)[rows[0][0]]
    assert data["shipper_name"] == rows[0][2]
    assert data["extra"] == {"Date": rows[0][1]}
    assert sum("unknown column 'Date'" in m for m in issues(con)) == 1


def test_unknown_field_in_column_overrides_is_a_config_error(
    tmp_path: Path, mockserver: str
) -> None:
    options = '\n[options.columns]\n"Entry Number" = "bol_number"\n'
    result = run(make(tmp_path, mockserver, "shipping_csv", ["export.csv"], options))
    assert result.status == "failed"
    assert "'bol_number': unknown field" in (result.message or "")
    assert result.documents == 0


def test_truncated_export_fails_the_run(tmp_path: Path, mockserver: str) -> None:
    assert not (FIXTURES / "export_truncated.csv").read_bytes().endswith(b"\n")
    result = run(make(tmp_path, mockserver, "shipping_csv", ["export_truncated.csv"]))
    assert result.status == "failed"
    assert "truncated" in (result.message or "")
    assert result.entries == 0


def _detail_pages() -> list[str]:
    return sorted(p.name for p in (FIXTURES / "listing" / "bol").glob("*.html"))


def test_listing_follows_pages_and_detail_links(tmp_path: Path, mockserver: str) -> None:
    config = make(tmp_path, mockserver, "shipping_listing", ["listing/page1.html"], LISTING_OPTIONS)
    result = run(config)
    assert result.status == "ok", result.message
    details = _detail_pages()
    assert len(details) >= 6
    base = f"{mockserver}/fixtures/shipping/listing"
    con = open_work_store(config.work_store, read_only=True)
    docs = dict(con.sql("SELECT url, meta FROM documents").fetchall())
    expected_docs = {f"{base}/page1.html", f"{base}/page2.html"}
    expected_docs |= {f"{base}/bol/{d}" for d in details}
    # Page 2 is reached through the pager; nothing offsite is fetched, nothing twice.
    assert set(docs) == expected_docs
    assert result.documents == len(expected_docs)
    assert "page 2 of 2" in json.loads(docs[f"{base}/page2.html"])["title"]
    assert all(json.loads(m)["title"] for m in docs.values())
    messages = issues(con)
    assert any("tradeleads.example.com" in m and "not followed" in m for m in messages)
    # One entry per detail page, keyed by its bill of lading (or its URL when it has none).
    found = con.sql("SELECT source_key, doc_id, data FROM entries").fetchall()
    assert len(found) == len(details) == result.entries
    assert len({doc_id for _, doc_id, _ in found}) == len(details)
    by_key = {key: json.loads(data) for key, _, data in found}
    no_bol = [k for k, d in by_key.items() if "bill_of_lading" not in d]
    assert no_bol == [f"{base}/bol/4.html"]
    html = (FIXTURES / "listing" / "bol" / "1.html").read_text(encoding="utf-8")
    bol = re.search(r'class="bol-number">([^<]+)<', html)
    assert bol is not None
    first = by_key[bol.group(1)]
    assert first["shipper_name"] == "Hubei Xinyuan Fine Chemical Co., Ltd."
    assert first["shipper_address"] == (
        "No. 18 Huagong Road, Qianjiang Economic Development Zone, Hubei 433100"
    )
    assert first["container_numbers"] == re.findall(r"<li>([A-Z]{4}\d{7})</li>", html)
    assert first["vessel_imo"] == "9321483"
    # Two detail pages of one bill of lading (two commodity lines) are both kept.
    assert any(k.endswith("#2") for k in by_key)
    assert any("appears again" in m for m in messages)


def test_listing_without_next_page_reads_one_page(tmp_path: Path, mockserver: str) -> None:
    options = LISTING_OPTIONS.replace('next_page = "nav.pager a.next::attr(href)"\n', "")
    config = make(tmp_path, mockserver, "shipping_listing", ["listing/page1.html"], options)
    result = run(config)
    assert result.status == "ok", result.message
    page1 = (FIXTURES / "listing" / "page1.html").read_text(encoding="utf-8")
    links = set(re.findall(r'<td class="bol"><a href="([^"]+)"', page1))
    assert result.entries == len(links)
    assert result.documents == len(links) + 1


def test_listing_without_required_options_is_a_config_error(
    tmp_path: Path, mockserver: str
) -> None:
    options = '\n[options]\nrow = "table.results tbody tr"\n'
    result = run(make(tmp_path, mockserver, "shipping_listing", ["listing/page1.html"], options))
    assert result.status == "failed"
    assert "detail_link, fields" in (result.message or "")
    assert result.documents == 0


def test_listing_with_a_stale_row_selector_fails(tmp_path: Path, mockserver: str) -> None:
    options = LISTING_OPTIONS.replace("table.results tbody tr", "table.shipments tr")
    result = run(make(tmp_path, mockserver, "shipping_listing", ["listing/page1.html"], options))
    assert result.status == "failed"
    assert "matches nothing" in (result.message or "")
