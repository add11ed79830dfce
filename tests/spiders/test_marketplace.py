"""The chemical marketplace spider, crawling a small invented B2B marketplace over local HTTP."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb

from osint.collect.runner import CrawlResult, crawl
from osint.config import Config, load_config
from osint.store import WriterLock, open_work_store
from tests.conftest import write_config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "marketplace"
LISTING = """
[options]
listing_item = "div.product-list div.offer-card"
detail_link = "a.offer-title::attr(href)"
next_page = "div.pager a.next::attr(href)"
"""
FIELDS = """
[options.fields]
product = "h1.product-title::text"
cas = "table.specs td.cas::text"
seller = ".supplier-card a.company::text"
seller_url = ".supplier-card a.company::attr(href)"
contact_person = ".supplier-card .contact-name::text"
phone = ".supplier-card .tel::text"
email = ".supplier-card a.mail"
whatsapp = ".whatsapp::text"
wechat = ".wechat::text"
telegram = ".telegram::text"
country = ".supplier-card .country::text"
price = "table.specs td.price::text"
min_order = "table.specs td.moq::text"
purity = ".purity::text"
"""


def make(tmp_path: Path, mockserver: str, files: list[str], options: str) -> Config:
    urls = [f"{mockserver}/fixtures/marketplace/{f}" for f in files]
    path = write_config(tmp_path, {"mk": ("marketplace_pages", urls)})
    with (path.parent / "sources" / "mk.toml").open("a", encoding="utf-8") as fh:
        fh.write(options)
    return load_config(path)


def run(config: Config) -> CrawlResult:
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["mk"]], quiet=True)
    return result


def entries(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    rows = con.sql("SELECT source_key, data FROM entries").fetchall()
    return {key: json.loads(data) for key, data in rows}


def documents(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    rows = con.sql("SELECT url, meta FROM documents").fetchall()
    return {url: json.loads(meta) for url, meta in rows}


def issues(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [m for (m,) in con.sql("SELECT message FROM run_issues").fetchall()]


def listing_links(name: str) -> list[str]:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    return re.findall(r'<a class="offer-title" href="([^"]+)"', html)


def local_details() -> set[str]:
    """Detail pages the listings link to on the site itself (fragments dropped)."""
    links = listing_links("page1.html") + listing_links("page2.html")
    return {link.split("#")[0] for link in links if link.startswith("/")}


def test_listing_pages_and_every_detail_page_are_read(tmp_path: Path, mockserver: str) -> None:
    config = make(tmp_path, mockserver, ["page1.html"], LISTING + FIELDS)
    result = run(config)
    assert result.status == "ok", result.message
    details = local_details()
    on_disk = {f"/fixtures/marketplace/p/{p.name}" for p in (FIXTURES / "p").glob("*.html")}
    assert details == on_disk
    assert len(details) == 8
    con = open_work_store(config.work_store, read_only=True)
    docs = documents(con)
    base = f"{mockserver}/fixtures/marketplace"
    # Page 2 is reached through the pager; each detail page fetched once, though linked twice.
    expected = {f"{mockserver}{d}" for d in details} | {f"{base}/page1.html", f"{base}/page2.html"}
    assert set(docs) == expected
    assert result.documents == len(expected)
    linked = listing_links("page1.html") + listing_links("page2.html")
    assert len([link for link in linked if link.startswith("/")]) > len(details)
    found = entries(con)
    assert set(found) == {f"{mockserver}{d}" for d in details}
    assert result.entries == len(details)
    # Every document carries the title, the visible text and the structured data.
    for meta in docs.values():
        assert set(meta) == {"title", "text", "json_ld", "microdata"}
        assert meta["title"]
        assert "dataLayer" not in meta["text"]  # scripts are not text
        assert "Buying leads" not in meta["text"]  # nor is the navigation
    assert "page 2 of 2" in docs[f"{base}/page2.html"]["title"]
    first = docs[f"{base}/p/1.html"]["text"]
    assert "Contact Amy on WhatsApp +86 171 6429 0381" in first
    assert "\n\n" not in first
    assert "  " not in first
    formats = con.sql("SELECT DISTINCT format FROM entries").fetchall()
    assert formats == [("marketplace_listing.v1",)]
    runs = con.sql("SELECT status, documents, entries FROM crawl_runs").fetchall()
    assert runs == [("ok", len(expected), len(details))]


def test_offsite_link_is_reported_and_not_followed(tmp_path: Path, mockserver: str) -> None:
    config = make(tmp_path, mockserver, ["page1.html"], LISTING + FIELDS)
    assert run(config).status == "ok"
    offsite = [link for link in listing_links("page1.html") if not link.startswith("/")]
    assert offsite == ["https://example.org/chem/4-anpp-bulk"]
    con = open_work_store(config.work_store, read_only=True)
    assert not any("example.org" in url for url in documents(con))
    messages = issues(con)
    assert any(offsite[0] in m and "offsite: not followed" in m for m in messages)


def test_fields_read_by_the_selectors(tmp_path: Path, mockserver: str) -> None:
    config = make(tmp_path, mockserver, ["page1.html"], LISTING + FIELDS)
    assert run(config).status == "ok"
    con = open_work_store(config.work_store, read_only=True)
    found = entries(con)
    base = f"{mockserver}/fixtures/marketplace"
    first = found[f"{base}/p/1.html"]
    sources = first.pop("sources")
    assert first == {
        "product": "1-Boc-4-piperidone CAS 79099-07-3",
        "cas": "79099-07-3",
        "seller": "Wuhan Jiangcheng Biotech Co., Ltd.",
        "seller_url": f"{base}/supplier/jiangcheng.html",
        "contact_person": "Amy Chen",
        "phone": "+86-27-8755-3016",
        "email": "amy@jiangcheng-bio.example",
        "whatsapp": "+86 171 6429 0381",
        "wechat": "amy_jcbio",
        "telegram": "@amy_jcbio",
        "country": "China",
        "price": "US $35.00-60.00 / kg",
        "min_order": "1 kg",
        "purity": "99%",
    }
    # The selectors found everything; the page's JSON-LD overrides nothing.
    assert set(sources.values()) == {"selector"}
    assert set(sources) == set(first)
    # Two phone numbers on one page: a list.
    eighth = found[f"{base}/p/8.html"]
    assert eighth["phone"] == ["+86-317-520-9934", "+86 150 3170 2286"]
    # Every detail page names its product's CAS number (from a selector or structured data).
    html_cas = {
        p.name: re.search(r"CAS\D{0,12}(\d{2,7}-\d\d-\d)", p.read_bytes().decode("gbk"))
        for p in (FIXTURES / "p").glob("*.html")
    }
    for name, match in html_cas.items():
        assert match is not None
        assert found[f"{base}/p/{name}"]["cas"] == match.group(1), name


def test_json_ld_fills_what_the_selectors_miss(tmp_path: Path, mockserver: str) -> None:
    config = make(tmp_path, mockserver, ["page1.html"], LISTING + FIELDS)
    assert run(config).status == "ok"
    con = open_work_store(config.work_store, read_only=True)
    base = f"{mockserver}/fixtures/marketplace"
    second = entries(con)[f"{base}/p/2.html"]
    sources = second.pop("sources")
    # The page has no CAS row and no supplier card: the @graph Organization and Product fill in.
    assert second["product"] == "4-Anilinopiperidine (4-AP) CAS 23056-29-3"
    assert second["cas"] == "23056-29-3"
    assert second["seller"] == "Hubei Hongtai Pharmaceutical Technology Co., Ltd."
    assert second["seller_url"] == "https://hongtai-pharm.example/"
    assert second["phone"] == "+86-712-260-8831"
    assert second["email"] == "sales@hongtai-pharm.example"
    assert second["country"] == "CN"
    assert second["whatsapp"] == "+86 155 2716 4480"
    assert sources["product"] == sources["whatsapp"] == sources["price"] == "selector"
    for field in ("cas", "seller", "seller_url", "phone", "email", "country"):
        assert sources[field] == "json_ld", field
    assert set(sources) == set(second)
    meta = documents(con)[f"{base}/p/2.html"]
    assert {n["@type"] for n in meta["json_ld"]} == {"Organization", "Product"}
    # A broken JSON-LD block is reported; the page is still read by its selectors.
    seventh = entries(con)[f"{base}/p/7.html"]
    assert seventh["seller"] == "Hubei Yunfeng Biological Engineering Co., Ltd."
    assert any("JSON-LD block 1 is not valid JSON" in m for m in issues(con))
    assert documents(con)[f"{base}/p/7.html"]["json_ld"] == []


def test_microdata_fills_what_the_selectors_miss(tmp_path: Path, mockserver: str) -> None:
    config = make(tmp_path, mockserver, ["page1.html"], LISTING + FIELDS)
    assert run(config).status == "ok"
    con = open_work_store(config.work_store, read_only=True)
    base = f"{mockserver}/fixtures/marketplace"
    third = entries(con)[f"{base}/p/3.html"]
    sources = third.pop("sources")
    assert third == {
        "product": "N-Phenethyl-4-piperidone",
        "cas": "39742-60-4",
        "seller": "Wuhan Qianrun New Material Co., Ltd.",
        "seller_url": f"{base}/supplier/qianrun.html",
        "phone": "+86-27-5937-1142",
        "email": "info@qianrun-chem.example",
        "country": "China",
        "price": "120.00 USD",
        "whatsapp": "+86 186 7140 2259",
        "wechat": "qianrun_npp",
        "purity": "99%",
    }
    assert {f for f, s in sources.items() if s == "selector"} == {"whatsapp", "wechat", "purity"}
    assert {f for f, s in sources.items() if s == "microdata"} == set(third) - {
        "whatsapp",
        "wechat",
        "purity",
    }
    [item] = documents(con)[f"{base}/p/3.html"]["microdata"]
    assert item["type"] == ["https://schema.org/Product"]
    assert item["properties"]["offers"][0]["properties"]["priceValidUntil"] == ["2025-12-31"]


def test_gbk_page_is_decoded(tmp_path: Path, mockserver: str) -> None:
    raw = (FIXTURES / "p" / "4.html").read_bytes()
    assert b'<meta charset="gbk">' in raw
    # Really GBK, not UTF-8.
    assert "河北".encode("gbk") in raw
    assert "河北".encode() not in raw
    config = make(tmp_path, mockserver, ["page1.html"], LISTING + FIELDS)
    assert run(config).status == "ok"
    con = open_work_store(config.work_store, read_only=True)
    url = f"{mockserver}/fixtures/marketplace/p/4.html"
    data = entries(con)[url]
    assert data["seller"] == "河北恒盛源化工贸易有限公司"
    assert data["contact_person"] == "王经理"
    assert data["product"] == "4-苯胺基-N-苯乙基哌啶 (4-ANPP) CAS 21409-26-7"
    assert data["price"] == "￥1200/千克"
    meta = documents(con)[url]
    assert meta["title"] == "4-ANPP 21409-26-7 河北恒盛源化工贸易有限公司"
    assert "本公司长期供应4-ANPP" in meta["text"]
    assert "\ufffd" not in meta["text"]
    # The stored body is the page as served.
    [(body_size,)] = con.execute("SELECT size FROM documents WHERE url = ?", [url]).fetchall()
    assert body_size == len(raw)
    # The test server labels every .html file UTF-8, as misconfigured supplier servers do: the
    # page's own <meta charset> is used instead, and the run says so.
    assert any(m.startswith("served as utf-8 but the page is not") for m in issues(con))


def test_max_pages_stops_the_pagination(tmp_path: Path, mockserver: str) -> None:
    config = make(tmp_path, mockserver, ["page1.html"], LISTING + "max_pages = 1\n" + FIELDS)
    result = run(config)
    assert result.status == "ok", result.message
    page1 = {link for link in listing_links("page1.html") if link.startswith("/")}
    assert result.entries == len(page1)
    assert result.documents == len(page1) + 1
    con = open_work_store(config.work_store, read_only=True)
    assert any("max_pages (1) reached" in m for m in issues(con))


def test_supplier_pages_mode_reads_start_urls_as_detail_pages(
    tmp_path: Path, mockserver: str
) -> None:
    options = '\n[options]\nmode = "pages"\n' + FIELDS.replace(
        'product = "h1.product-title::text"\n', ""
    )
    config = make(tmp_path, mockserver, ["supplier/jiangcheng.html", "p/6.html"], options)
    result = run(config)
    assert result.status == "ok", result.message
    # No listing, and links on the pages (the home page's hot products) are not followed.
    assert result.documents == 2
    assert result.entries == 2
    con = open_work_store(config.work_store, read_only=True)
    found = entries(con)
    home = found[f"{mockserver}/fixtures/marketplace/supplier/jiangcheng.html"]
    assert home["seller"] == "Wuhan Jiangcheng Biotech Co., Ltd."
    assert home["telegram"] == "@amy_jcbio"
    assert home["country"] == "CN"
    assert home["sources"]["country"] == "json_ld"
    assert found[f"{mockserver}/fixtures/marketplace/p/6.html"]["wechat"] == "xinhe_sophia"


def test_missing_listing_options_are_a_config_error(tmp_path: Path, mockserver: str) -> None:
    options = '\n[options]\nnext_page = "div.pager a.next::attr(href)"\n' + FIELDS
    result = run(make(tmp_path, mockserver, ["page1.html"], options))
    assert result.status == "failed"
    message = result.message or ""
    assert "listing_item and detail_link missing" in message
    assert "under [options] in the source file" in message
    assert "\n" not in message
    assert result.documents == 0
    con = open_work_store(
        load_config(tmp_path / "config" / "osint.toml").work_store, read_only=True
    )
    assert con.sql("SELECT status FROM crawl_runs").fetchall() == [("failed",)]


def test_unknown_field_is_a_config_error(tmp_path: Path, mockserver: str) -> None:
    options = LISTING + '[options.fields]\nsignal = ".signal::text"\n'
    result = run(make(tmp_path, mockserver, ["page1.html"], options))
    assert result.status == "failed"
    assert "unknown field(s) signal" in (result.message or "")


def test_stale_listing_selector_fails_as_layout_changed(tmp_path: Path, mockserver: str) -> None:
    options = LISTING.replace("div.offer-card", "li.product-item") + FIELDS
    result = run(make(tmp_path, mockserver, ["page1.html"], options))
    assert result.status == "failed"
    message = result.message or ""
    assert "matches nothing" in message
    assert "layout changed" in message
    assert "listing_item" in message
    assert result.entries == 0
