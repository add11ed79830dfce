"""The news feed (RSS 2.0 / Atom) and sitemap spiders, crawling the local HTTP server.

The fixtures (tests/fixtures/news) are press releases written for these tests; every company,
person, phone number, email address and wallet in them is invented. The GBK and BOM articles are
named *.htm so that the test server sends no charset for them: their encoding must come from
the page itself (``<meta charset="gbk">``, the byte order mark).
"""

# The expected texts hold the typography of the pages: full-width commas, dashes, quotes.
# ruff: noqa: RUF001

from __future__ import annotations

import json
import urllib.request
import zlib
from pathlib import Path
from typing import Any

from osint.collect.runner import CrawlResult, crawl
from osint.config import Config, load_config
from osint.store import WriterLock, open_work_store
from tests.conftest import write_config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "news"
BOILERPLATE = (
    "Skip to main content",
    "official website of the United States government",
    "News Menu",
    "Site footer",
    "Privacy Policy",
    "Related Content",
    "Sidebar",
    "dataLayer",
    "font-family",
    "Press Releases",
)
GBK_TEXT = (
    "美国司法部起诉两家中国化工公司\n"
    "美国司法部宣布，联邦大陪审团起诉湖北星澜化工有限公司和武汉骏泰生物科技有限公司，"
    "指控其向美国走私芬太尼前体化学品。\n"
    "起诉书称，公司负责人刘振华通过电话 +86 27 5550 6621 和电子邮箱 "
    "liu.zhenhua@xinglan-chem.example 联系客户，并要求以比特币付款。"
)


def _config(tmp_path: Path, spider: str, urls: list[str], options: str = "") -> Config:
    path = write_config(tmp_path, {"dea": (spider, urls)})
    if options:
        source = tmp_path / "config" / "sources" / "dea.toml"
        with source.open("a", encoding="utf-8") as fh:
            fh.write("[options]\n" + options)
    return load_config(path)


def _crawl(config: Config) -> CrawlResult:
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["dea"]], quiet=True)
    return result


def _documents(config: Config) -> dict[str, tuple[dict[str, Any], bytes]]:
    """url -> (meta, raw body) of the stored documents."""
    con = open_work_store(config.work_store, read_only=True)
    try:
        rows = con.sql("SELECT url, meta, body FROM documents WHERE source = 'dea'").fetchall()
    finally:
        con.close()
    return {url: (json.loads(meta or "{}"), zlib.decompress(body)) for url, meta, body in rows}


def _issues(config: Config) -> list[tuple[str, str | None, str]]:
    con = open_work_store(config.work_store, read_only=True)
    try:
        return con.sql("SELECT level, url, message FROM run_issues").fetchall()
    finally:
        con.close()


def _hits(mockserver: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{mockserver}/hits") as response:
        lines = response.read().decode().splitlines()
    return {path: int(n) for path, n in (line.rsplit(" ", 1) for line in lines)}


def _article(mockserver: str, name: str) -> str:
    return f"{mockserver}/fixtures/news/articles/{name}"


def _assert_no_boilerplate(text: str) -> None:
    for phrase in BOILERPLATE:
        assert phrase not in text, phrase


def test_rss_feed_and_its_onsite_articles_are_stored(tmp_path: Path, mockserver: str) -> None:
    feed = f"{mockserver}/fixtures/news/feed.rss"
    config = _config(tmp_path, "news_feed", [feed])
    before = _hits(mockserver).get("/fixtures/news/articles/1.html", 0)
    result = _crawl(config)
    assert result.status == "ok", result.message
    docs = _documents(config)
    one, two, gbk = (_article(mockserver, n) for n in ("1.html", "2.html", "3-gbk.htm"))
    # The feed and its three distinct onsite articles: not the offsite link, the duplicate once.
    assert sorted(docs) == sorted([feed, one, two, gbk])
    assert result.documents == 4
    assert _hits(mockserver)["/fixtures/news/articles/1.html"] == before + 1
    meta, body = docs[feed]
    assert meta == {
        "title": "Office of Public Affairs - Press Releases",
        "format": "rss",
        "items": 5,
    }
    assert body == (FIXTURES / "feed.rss").read_bytes()
    messages = [m for _, _, m in _issues(config)]
    assert any("https://example.org/x is offsite: not followed" in m for m in messages)
    assert any("item 5 " in m and f"{one} listed again" in m for m in messages)

    meta, body = docs[one]
    assert body == (FIXTURES / "articles" / "1.html").read_bytes()
    assert set(meta) == {"title", "published", "text", "links", "feed_title", "summary"}
    assert meta["title"] == (
        "Chinese Chemical Company and Two Executives Indicted for Fentanyl Precursor Trafficking"
    )
    assert meta["published"] == "2024-06-19T14:05:00-04:00"
    assert meta["feed_title"] == "Office of Public Affairs - Press Releases"
    assert meta["summary"] == (
        "A federal grand jury returned an indictment charging Hubei Qianyue Biotechnology Co., "
        "Ltd. and two executives."
    )
    text = meta["text"]
    assert (
        "Hubei Qianyue Biotechnology Co., Ltd. (Qianyue), a chemical company based in Wuhan" in text
    )
    assert "+86 27 5550 1234 or by email at sales@qianyue-chem.example" in text
    assert "bc1qx7feg3n0tq5hv2kd8wz4lmc9yrjs6uap0e3nvd" in text
    assert "“dog food”" in text
    assert "  " not in text
    assert "\n\n" not in text
    _assert_no_boilerplate(text)
    assert meta["links"] == [f"{mockserver}/media/1234/dl", "https://www.dea.gov/fentanyl"]

    # No <article> or <main>: the block of paragraphs with the most text.
    meta, _ = docs[two]
    assert meta["published"] == "2024-06-18T11:00:00+00:00"  # from dc:date
    assert meta["text"].startswith("WASHINGTON – The Drug Enforcement Administration")
    assert "TRC-20 wallet TPk3vQ8rXz7YhN2mW5cLd9eJfA6sGuB4tR." in meta["text"]
    _assert_no_boilerplate(meta["text"])

    # GBK bytes, charset only in <meta>; no pubDate: the page's article:published_time.
    meta, body = docs[gbk]
    assert body == (FIXTURES / "articles" / "3-gbk.htm").read_bytes()
    assert meta["text"] == GBK_TEXT
    assert meta["title"] == "美国司法部起诉两家中国化工公司"
    assert meta["summary"] == "湖北星澜化工有限公司和武汉骏泰生物科技有限公司被起诉。"
    assert meta["published"] == "2024-06-20T09:30:00+08:00"
    for boilerplate in ("首页", "页脚", "侧栏"):  # nav, footer, sidebar
        assert boilerplate not in meta["text"]


def test_atom_feed_and_a_utf8_bom_article(tmp_path: Path, mockserver: str) -> None:
    feed = f"{mockserver}/fixtures/news/feed.atom"
    config = _config(tmp_path, "news_feed", [feed])
    result = _crawl(config)
    assert result.status == "ok", result.message
    docs = _documents(config)
    bom, five, two = (_article(mockserver, n) for n in ("4-bom.htm", "5.html", "2.html"))
    assert sorted(docs) == sorted([feed, bom, five, two])
    assert docs[feed][0] == {"title": "Treasury Press Releases", "format": "atom", "items": 3}

    meta, body = docs[bom]
    assert body.startswith(b"\xef\xbb\xbf")
    assert meta["published"] == "2024-06-21T14:00:00+00:00"  # the entry's <updated>
    assert meta["summary"] == "OFAC sanctioned José Ramírez Peña."
    text = meta["text"]
    assert text.startswith(
        "Treasury Sanctions Mexico- and China-Based Fentanyl Precursor Network\n"
    )
    assert "\ufeff" not in text
    assert "sanctioned José Ramírez Peña, a Culiacán-based broker" in text
    assert "Comercializadora Química del Pacífico, S.A. de C.V." in text
    assert "from 深圳市瑞祥达贸易有限公司 (Shenzhen Ruixiangda Trading Co., Ltd.)" in text
    assert "Department of the Treasury’s Office" in text
    _assert_no_boilerplate(text)

    # <published> wins over <updated>; the link without rel is the alternate one, not rel=edit.
    meta, _ = docs[five]
    assert meta["published"] == "2024-06-20T16:00:00-07:00"
    assert meta["summary"] == "Pill press operators sentenced."
    assert "Yantai Haibo Machinery Co., Ltd." in meta["text"]
    _assert_no_boilerplate(meta["text"])


def test_body_selector_and_max_items_options(tmp_path: Path, mockserver: str) -> None:
    feed = f"{mockserver}/fixtures/news/feed.rss"
    options = 'body_selector = ".field--name-body"\nmax_items = 2\n'
    config = _config(tmp_path, "news_feed", [feed], options)
    result = _crawl(config)
    assert result.status == "ok", result.message
    docs = _documents(config)
    assert sorted(docs) == sorted(
        [feed, _article(mockserver, "1.html"), _article(mockserver, "2.html")]
    )
    assert docs[feed][0]["items"] == 2
    text = docs[_article(mockserver, "1.html")][0]["text"]
    assert text.startswith("A federal grand jury in the Southern District of New York")
    assert "Topic: Drug Trafficking" not in text  # outside the selected element
    assert any("5 items, only the first 2 read" in m for _, _, m in _issues(config))


def test_invalid_options_fail_the_run_before_crawling(tmp_path: Path, mockserver: str) -> None:
    feed = f"{mockserver}/fixtures/news/feed.rss"
    config = _config(tmp_path, "news_feed", [feed], 'max_items = 0\nbody_selector = "div[["\n')
    result = _crawl(config)
    assert result.status == "failed"
    message = result.message or ""
    assert "[options] max_items must be a positive integer" in message
    assert "[options] body_selector = 'div[[' is not a valid CSS selector" in message
    assert _documents(config) == {}


def test_broken_feed_fails_the_run_with_a_one_line_message(tmp_path: Path, mockserver: str) -> None:
    feed = f"{mockserver}/fixtures/news/broken.rss"
    config = _config(tmp_path, "news_feed", [feed])
    result = _crawl(config)
    assert result.status == "failed"
    message = result.message or ""
    assert message.startswith(f"{feed} is not well-formed XML")
    assert "truncated" in message
    assert "\n" not in message
    assert _documents(config) == {}
    assert ("error", None, message) in _issues(config)


def test_xml_that_is_not_a_feed_fails_the_run(tmp_path: Path, mockserver: str) -> None:
    url = f"{mockserver}/fixtures/news/sitemap.xml"
    result = _crawl(_config(tmp_path, "news_feed", [url]))
    assert result.status == "failed"
    assert "root element is <sitemapindex>, not <rss> (RSS 2.0) or <feed> (Atom)" in (
        result.message or ""
    )


def test_an_article_that_fails_is_reported_and_the_others_stored(
    tmp_path: Path, mockserver: str
) -> None:
    feed = f"{mockserver}/fixtures/news/feed-404.rss"
    config = _config(tmp_path, "news_feed", [feed])
    result = _crawl(config)
    assert result.status == "failed"
    assert f"{_article(mockserver, 'withdrawn.html')}: HTTP 404" in (result.message or "")
    assert sorted(_documents(config)) == sorted([feed, _article(mockserver, "5.html")])


def test_crawling_the_feed_again_stores_no_duplicates(tmp_path: Path, mockserver: str) -> None:
    feed = f"{mockserver}/fixtures/news/feed.rss"
    config = _config(tmp_path, "news_feed", [feed])
    assert _crawl(config).status == "ok"
    first = _documents(config)
    assert _crawl(config).status == "ok"
    second = _documents(config)
    assert sorted(second) == sorted(first)
    assert all(second[url][0] == first[url][0] for url in first)
    con = open_work_store(config.work_store, read_only=True)
    try:
        assert con.sql("SELECT count(*), count(DISTINCT url) FROM documents").fetchall() == [(4, 4)]
        runs = con.sql("SELECT status, documents FROM crawl_runs ORDER BY started_at").fetchall()
    finally:
        con.close()
    assert runs == [("ok", 4), ("ok", 4)]


def test_sitemap_pages_are_read_through_the_index(tmp_path: Path, mockserver: str) -> None:
    index = f"{mockserver}/fixtures/news/sitemap.xml"
    pages = f"{mockserver}/fixtures/news/sitemap-pages.xml"
    options = 'include = ["/articles/"]\nexclude = ["/tag/"]\n'
    config = _config(tmp_path, "sitemap_pages", [index], options)
    result = _crawl(config)
    assert result.status == "ok", result.message
    docs = _documents(config)
    included = [_article(mockserver, n) for n in ("1.html", "2.html", "5.html")]
    assert sorted(docs) == sorted([index, pages, *included])
    assert docs[index][0] == {"format": "sitemapindex", "items": 2}
    assert docs[pages][0] == {"format": "urlset", "items": 4}
    messages = [m for _, _, m in _issues(config)]
    assert "https://example.org/sitemap-other.xml is offsite: not followed" in messages
    meta, _ = docs[included[0]]
    assert {"title", "published", "text", "links"} <= set(meta)
    assert meta["title"].startswith("Chinese Chemical Company and Two Executives Indicted")
    assert meta["lastmod"] == "2024-06-19"
    assert "Hubei Qianyue Biotechnology Co., Ltd." in meta["text"]
    _assert_no_boilerplate(meta["text"])
    assert docs[included[1]][0]["lastmod"] == "2024-06-18T11:00:00+00:00"
    assert "Yantai Haibo Machinery" in docs[included[2]][0]["text"]


def test_sitemap_max_pages(tmp_path: Path, mockserver: str) -> None:
    pages = f"{mockserver}/fixtures/news/sitemap-pages.xml"
    config = _config(tmp_path, "sitemap_pages", [pages], "max_pages = 2\n")
    result = _crawl(config)
    assert result.status == "ok", result.message
    docs = _documents(config)
    assert sorted(docs) == sorted([pages, *(_article(mockserver, n) for n in ("1.html", "2.html"))])
    assert any("2 pages not read: over [options] max_pages (2)" in m for _, _, m in _issues(config))
