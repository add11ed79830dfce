"""Fixture strategy: the analyst commands run as users run them (`python -m osint` in a
subprocess) against the session's real published store (tests/conftest.py `pipeline_dir`:
the OFAC and UN samples crawled, extracted, resolved and published). Tests that change a
store (judgements, a re-resolve, a damaged file) work on `published_copy`.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from osint.config import Config

REPO = Path(__file__).resolve().parents[2]
Run = Callable[..., subprocess.CompletedProcess[str]]


def osint_in(config_file: Path) -> Run:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "osint", "--config", str(config_file), *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=300,
            check=False,
        )

    return run


@pytest.fixture
def osint(pipeline_dir: Path) -> Run:
    """The CLI on the session's published store (read-only use only)."""
    return osint_in(pipeline_dir / "config" / "osint.toml")


@pytest.fixture
def osint_copy(published_copy: Config) -> Run:
    """The CLI on a private copy, for tests that change a store."""
    return osint_in(published_copy.config_dir / "osint.toml")


@pytest.fixture
def store(pipeline_dir: Path) -> Callable[[str], list[tuple[object, ...]]]:
    """Read the published store directly, to pick real values to look for."""

    def query(sql: str) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(pipeline_dir / "data" / "profiles.duckdb"), read_only=True)
        try:
            return con.sql(sql).fetchall()
        finally:
            con.close()

    return query


Store = Callable[[str], list[tuple[object, ...]]]
