"""Fixture strategy: real components, small real data, no network but loopback.

* `mockserver`: one local HTTP server per test session, in a subprocess (tests/mockserver.py),
  serving the real OFAC and UN sample publications plus misbehaving resources.
* `make_config`: writes a real config directory (osint.toml + sources/*.toml) under tmp_path
  pointing at the mock server, and loads it through the same code the CLI uses.
* `pipeline_dir`: crawl + extract + train + resolve + publish of the full samples, done once
  per session (the slow part); tests that change stores copy it first (`published_copy`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from osint.config import Config, load_config

TESTS = Path(__file__).parent

MakeConfig = Callable[..., Config]


@pytest.fixture(scope="session")
def mockserver() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, str(TESTS / "mockserver.py")], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def write_config(
    root: Path,
    sources: dict[str, tuple[str, list[str]]],
    extra: str = "",
    min_entries: int = 0,
) -> Path:
    """A config dir under `root` with the given sources: name -> (spider, urls)."""
    config_dir = root / "config"
    (config_dir / "sources").mkdir(parents=True, exist_ok=True)
    (config_dir / "osint.toml").write_text(
        'data_dir = "../data"\n[collect]\ndownload_delay = 0\nautothrottle = false\n'
        'retry_times = 1\nretry_backoff = 0.1\ncontact = "tests"\n' + extra,
        encoding="utf-8",
    )
    for name, (spider, urls) in sources.items():
        url_list = ", ".join(f'"{u}"' for u in urls)
        (config_dir / "sources" / f"{name}.toml").write_text(
            f'spider = "{spider}"\nurls = [{url_list}]\n'
            f"[assertions]\nmin_entries = {min_entries}\n",
            encoding="utf-8",
        )
    return config_dir / "osint.toml"


def ofac_urls(base: str, prefix: str = "ofac") -> list[str]:
    return [f"{base}/{prefix}/{n}" for n in ("sdn.csv", "add.csv", "alt.csv")]


@pytest.fixture
def make_config(tmp_path: Path, mockserver: str) -> MakeConfig:
    def make(prefix: str = "ofac", un: str | None = "un", **kwargs: object) -> Config:
        sources: dict[str, tuple[str, list[str]]] = {
            "ofac_sdn": ("ofac_sdn_csv", ofac_urls(mockserver, prefix))
        }
        if un:
            sources["un_sc"] = ("un_consolidated_xml", [f"{mockserver}/{un}/consolidated.xml"])
        return load_config(write_config(tmp_path, sources, **kwargs))  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def pipeline_dir(tmp_path_factory: pytest.TempPathFactory, mockserver: str) -> Path:
    root = tmp_path_factory.mktemp("pipeline")
    path = write_config(
        root,
        {
            "ofac_sdn": ("ofac_sdn_csv", ofac_urls(mockserver)),
            "un_sc": ("un_consolidated_xml", [f"{mockserver}/un/consolidated.xml"]),
        },
        extra='[resolve]\nmodel = "records.model.json"\n',
    )
    from osint.pipeline import run_all

    results, _ = run_all(load_config(path), quiet=True)
    assert all(r.status == "ok" for r in results), results
    return root


@pytest.fixture
def published_copy(pipeline_dir: Path, tmp_path: Path) -> Config:
    """A private copy of the session's pipeline directory, safe to change."""
    target = tmp_path / "copy"
    shutil.copytree(pipeline_dir, target)
    return load_config(target / "config" / "osint.toml")
