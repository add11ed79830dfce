"""Crawl throughput from a local server, politeness off, store writes on.

Usage: .venv/bin/python benchmarks/crawl_throughput.py [PAGES] [SDN_ENTRIES]
(default 2000 pages, 20000 SDN entries). Prints a table; nothing here is a pass/fail test.

* page spider: `marketplace_pages` in `mode = "pages"` over generated supplier pages
  (about 6 KB of HTML each, with JSON-LD), 16 concurrent requests;
* SDN spider: `ofac_sdn_csv` over a generated list in the legacy CSV format.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from osint.config import load_config
from osint.demo import serve_directory
from osint.pipeline import crawl_stage

sys.path.insert(0, str(Path(__file__).parent))
from pipeline_stages import make_list

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{product} - {seller}</title>
<script type="application/ld+json">{ld}</script></head><body>
<nav>Home Products Suppliers Contact</nav><main><h1 class="product">{product}</h1>
<div class="cas">CAS {cas}</div><div class="seller">{seller}</div>
<p class="desc">{text}</p><div class="contact">WhatsApp +86 131 {i:04d} 5678,
email sales{i}@example-chem.cn</div></main><footer>Copyright</footer></body></html>"""


def make_pages(root: Path, n: int) -> None:
    for i in range(n):
        product = f"Product {i} 1-Boc-4-piperidone"
        seller = f"Wuhan Example Chemical Co., Ltd. {i % 97}"
        ld = json.dumps({"@context": "https://schema.org", "@type": "Product", "name": product})
        text = " ".join(["High purity 99% intermediate, fast and safe delivery."] * 80)
        (root / f"{i}.html").write_text(
            PAGE.format(product=product, seller=seller, cas="79099-07-3", ld=ld, text=text, i=i)
        )


def crawl(root: Path, source: str, body: str) -> tuple[float, int, int]:
    cfg = root / "cfg"
    (cfg / "sources").mkdir(parents=True, exist_ok=True)
    (cfg / "osint.toml").write_text(
        'data_dir = "../data"\n[collect]\ndownload_delay = 0\nautothrottle = false\n'
        "obey_robots_txt = false\nconcurrent_requests_per_domain = 16\nhttp_cache = false\n"
    )
    (cfg / "sources" / f"{source}.toml").write_text(body)
    config = load_config(cfg / "osint.toml")
    start = time.perf_counter()
    [result] = crawl_stage(config, [source], quiet=True)
    return time.perf_counter() - start, result.documents, result.entries


def main(argv: list[str]) -> None:
    pages = int(argv[1]) if len(argv) > 1 else 2000
    entries = int(argv[2]) if len(argv) > 2 else 20000
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pages").mkdir()
        make_pages(root / "pages", pages)
        with serve_directory(root / "pages") as url:
            urls = json.dumps([f"{url}/{i}.html" for i in range(pages)])
            body = (
                f'spider = "marketplace_pages"\nurls = {urls}\n[options]\nmode = "pages"\n'
                '[options.fields]\nproduct = "h1.product::text"\ncas = "div.cas::text"\n'
                'seller = "div.seller::text"\n'
            )
            seconds, docs, items = crawl(root / "p", "pages", body)
            rows.append(("marketplace_pages (pages mode)", docs, items, seconds))
        (root / "sdn").mkdir()
        make_list(root / "sdn", entries)
        with serve_directory(root / "sdn") as url:
            body = f'spider = "ofac_sdn_csv"\nurls = ["{url}/sdn.csv"]\n'
            seconds, docs, items = crawl(root / "s", "sdn", body)
            rows.append(("ofac_sdn_csv", docs, items, seconds))
    print("| spider | documents | entries | seconds | documents/s | entries/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, docs, items, seconds in rows:
        print(
            f"| {name} | {docs} | {items} | {seconds:.1f} | {docs / seconds:.0f} | "
            f"{items / seconds:.0f} |"
        )


if __name__ == "__main__":
    main(sys.argv)
