"""file:// sources: allowed only under the configured roots, then read like any other."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from osint.collect.runner import crawl
from osint.config import load_config
from osint.errors import ConfigError
from osint.store import WriterLock
from tests.conftest import write_config

DATA = Path(__file__).resolve().parents[2] / "osint" / "demo" / "data"


def _config(tmp_path: Path, roots: str):  # type: ignore[no-untyped-def]
    shutil.copytree(DATA, tmp_path / "lists")
    urls = [(tmp_path / "lists" / n).as_uri() for n in ("sdn.csv", "add.csv", "alt.csv")]
    path = write_config(
        tmp_path, {"ofac_sdn": ("ofac_sdn_csv", urls)}, extra=f"allowed_file_roots = {roots}\n"
    )
    return load_config(path)


def test_file_url_outside_the_allowed_roots_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path, "[]")
    with pytest.raises(ConfigError, match=r"outside collect\.allowed_file_roots"):
        crawl(config, list(config.sources.values()), quiet=True)


def test_file_url_under_a_root_relative_to_the_config_is_crawled(tmp_path: Path) -> None:
    config = _config(tmp_path, '["../lists"]')
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, list(config.sources.values()), quiet=True)
    assert result.status == "ok", result.message
    assert result.entries == 500
