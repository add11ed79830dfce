"""`osint demo`: the whole pipeline, offline, on samples of the real OFAC and UN publications,
plus two press releases and a chemical supplier's page (written for the demo, in the shape of
real ones) that go through text extraction.

The samples (osint/demo/data/) are served over HTTP by a server on 127.0.0.1 that the demo
starts, so the spiders crawl exactly as they would crawl the real publication URLs.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from osint.config import Config, load_config
from osint.pipeline import Report, StageTiming, run_all
from osint.screen import Result, Traveler, screen_traveler
from osint.store import open_profile_store

DATA = Path(__file__).parent / "data"
# One listed person (OFAC SDN ent_num 12460), one executive named in a demo press release, and
# one made-up traveler with no listing.
DEMO_QUERIES = (
    Traveler(id="demo-hit", name="Bilal Mohsen Wehbe", dob="1967-01-07", nationality="LB"),
    Traveler(id="demo-press", name="Zhou Mingyang", nationality="CN"),
    Traveler(id="demo-clean", name="Maria Jose Fernandez Ortega", dob="1990-04-12"),
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) for the life of the block; yields the URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def demo_config(data_dir: Path, base_url: str) -> Config:
    """Write a configuration for the demo sources into `data_dir/config` and load it."""
    config_dir = data_dir / "config"
    (config_dir / "sources").mkdir(parents=True, exist_ok=True)
    (config_dir / "osint.toml").write_text(
        'data_dir = ".."\n'
        "[collect]\n"
        'contact = "demo run, no contact"\n'
        "download_delay = 0\n"
        "autothrottle = false\n"
        "[resolve]\n"
        'model = "records.model.json"\n',
        encoding="utf-8",
    )
    (config_dir / "sources" / "ofac_sdn.toml").write_text(
        'title = "OFAC SDN list (sample of the legacy CSV publication)"\n'
        'spider = "ofac_sdn_csv"\n'
        f'urls = ["{base_url}/sdn.csv", "{base_url}/add.csv", "{base_url}/alt.csv"]\n'
        'tags = ["list.sanctions"]\n'
        "[assertions]\nmin_entries = 100\n",
        encoding="utf-8",
    )
    (config_dir / "sources" / "un_sc.toml").write_text(
        'title = "UN Security Council consolidated list (sample)"\n'
        'spider = "un_consolidated_xml"\n'
        f'urls = ["{base_url}/un_consolidated_sample.xml"]\n'
        'tags = ["list.sanctions"]\n'
        "[assertions]\nmin_entries = 50\n",
        encoding="utf-8",
    )
    (config_dir / "sources" / "press.toml").write_text(
        'title = "Press releases on fentanyl precursor cases (demo sample)"\n'
        'spider = "news_feed"\n'
        f'urls = ["{base_url}/press.rss"]\n'
        'tags = ["press.enforcement"]\n',
        encoding="utf-8",
    )
    (config_dir / "sources" / "suppliers.toml").write_text(
        'title = "A chemical supplier\'s own site (demo sample)"\n'
        'spider = "marketplace_pages"\n'
        f'urls = ["{base_url}/supplier-jiangcheng.html"]\n'
        'tags = ["sector.chemical"]\n'
        '[options]\nmode = "pages"\n',
        encoding="utf-8",
    )
    return load_config(config_dir / "osint.toml", data_dir)


def run_demo(
    data_dir: Path, report: Report, quiet: bool = True
) -> tuple[list[StageTiming], list[Result]]:
    """Run the pipeline on the samples and screen the demo travelers."""
    with serve_directory(DATA) as base_url:
        config = demo_config(data_dir, base_url)
        _results, timings = run_all(config, quiet=quiet, report=report)
    con = open_profile_store(config.profile_store)
    try:
        screen = config.settings.screen
        results = [screen_traveler(con, q, screen.threshold, screen.limit) for q in DEMO_QUERIES]
    finally:
        con.close()
    return timings, results
