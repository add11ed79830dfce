"""`osint demo` works offline from a clean data directory and finds its example hit."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import osint


def test_demo_runs_every_stage_and_shows_a_hit_and_a_clean_traveler(tmp_path: Path) -> None:
    result = osint("demo", "--into", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for stage in ("crawl", "extract", "train", "resolve", "publish"):
        assert f"  {stage}" in out
    assert "MATCH" in out
    assert "Bilal Mohsen WEHBE" in out
    # An executive named in a press release, found through text extraction.
    assert "MATCH" in out.split("'Zhou Mingyang'")[1].split("traveler")[0]
    assert "enforcement_release" in out
    assert "no match (clean)" in out
    assert (tmp_path / "demo" / "profiles.duckdb").exists()
