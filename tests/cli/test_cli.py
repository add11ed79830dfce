"""The command line, as users and scheduled jobs call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from osint.cli.main import app
from osint.config import Config
from osint.store import WriterLock

REPO = Path(__file__).resolve().parents[2]


def osint(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "osint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def _commands() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    paths = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        if sub:
            paths += [[name, s] for s in sub]
        else:
            paths.append([name])
    return paths


def test_cli_has_every_command_of_the_foundation() -> None:
    names = {" ".join(p) for p in _commands()}
    expected = {
        "crawl",
        "extract",
        "resolve",
        "publish",
        "run",
        "status",
        "demo",
        "screen traveler",
        "export records",
        "export profiles",
        "export members",
    }
    assert expected <= names


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output, f"{' '.join(path)} has no example in its help"


def test_each_command_is_found_from_its_own_module() -> None:
    """A command line imports only the module of the command it names: the table in
    osint.cli.main must say exactly what each module registers."""
    import typer.main

    from osint.cli.main import COMMANDS, build_app

    listed = [name for _, names in COMMANDS for name in names]
    assert sorted(typer.main.get_command(app).commands) == sorted(listed)  # type: ignore[attr-defined]
    for _, names in COMMANDS:
        for name in names:
            group = typer.main.get_command(build_app(name))
            assert sorted(group.commands) == sorted(names)  # type: ignore[attr-defined]


def test_screening_starts_without_the_extraction_and_resolution_stack() -> None:
    code = (
        "import atexit, sys\n"
        "heavy = ('spacy', 'splink', 'fastapi', 'scrapy')\n"
        "atexit.register(lambda: print('loaded:', *[m for m in heavy if m in sys.modules]))\n"
        "sys.argv = ['osint', '--data-dir', 'nowhere', 'screen', 'cargo', '--help']\n"
        "from osint.cli.main import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: osint screen cargo" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "loaded:"


def test_version() -> None:
    result = osint("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("osint 0.")


def test_unknown_source_is_one_line_exit_1(tmp_path: Path) -> None:
    result = osint("--data-dir", str(tmp_path), "crawl", "nope")
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1
    assert "unknown source 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_config_is_one_line_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "osint.toml"
    bad.write_text("[collect\n")
    result = osint("--config", str(bad), "status")
    assert result.returncode == 1
    assert "not valid TOML" in result.stderr
    assert str(bad) in result.stderr
    assert "Traceback" not in result.stderr


def test_screen_before_publish_names_the_fix(tmp_path: Path) -> None:
    result = osint("--data-dir", str(tmp_path), "screen", "traveler", "--name", "X Y")
    assert result.returncode == 1
    assert "osint publish" in result.stderr


def test_locked_store_exits_3(tmp_path: Path) -> None:
    with WriterLock(tmp_path, "osint run"):
        result = osint("--data-dir", str(tmp_path), "extract")
    assert result.returncode == 3, result.stderr
    assert "locked by another osint run" in result.stderr


def test_screen_traveler_flags_and_file(published_copy: Config, tmp_path: Path) -> None:
    base = ["--config", str(published_copy.config_path)]
    hit = osint(
        *base,
        "screen",
        "traveler",
        "--name",
        "Bilal Mohsen Wehbe",
        "--dob",
        "1967-01-07",
        "--format",
        "json",
        "--fail-on-match",
    )
    assert hit.returncode == 4, hit.stderr
    [result] = json.loads(hit.stdout)
    assert result["hits"][0]["match"] is True
    assert result["hits"][0]["explanations"]
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "a", "name": "Bilal Mohsen Wehbe", "dob": "1967-01-07"}\n'
        "not json\n"
        '{"id": "c", "name": "Maria Jose Fernandez Ortega"}\n'
    )
    out = osint(*base, "screen", "traveler", "--file", str(queries), "--format", "jsonl")
    assert out.returncode == 1
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["query_id"] for r in rows] == ["a", "c"]
    assert f"{queries}:2: not valid JSON" in out.stderr


def test_status_and_exports(published_copy: Config) -> None:
    base = ["--config", str(published_copy.config_path)]
    status = osint(*base, "status", "--format", "json")
    assert status.returncode == 0, status.stderr
    [report] = json.loads(status.stdout)
    assert report["records"] > 0
    assert report["published"]["schema_version"] == "2"
    assert {c["source"] for c in report["last_crawls"]} == {"ofac_sdn", "un_sc"}
    members = osint(*base, "export", "members", "--format", "csv")
    assert members.returncode == 0, members.stderr
    lines = members.stdout.splitlines()
    assert lines[0] == "record_id,profile_id,source,source_key"
    assert len(lines) - 1 == report["records"]
    profiles = osint(*base, "export", "profiles", "--format", "jsonl")
    assert len(profiles.stdout.splitlines()) == report["profiles"]


def test_run_end_to_end_through_the_cli(make_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = make_config()
    result = osint("--config", str(config.config_path), "run", "--format", "json")
    assert result.returncode == 0, result.stderr
    stages = [t["stage"] for t in json.loads(result.stdout)]
    assert stages == ["crawl", "extract", "train", "resolve", "publish"]
    assert config.profile_store.exists()


def test_run_with_a_failing_source_does_not_publish(make_config) -> None:  # type: ignore[no-untyped-def]
    config = make_config(prefix="ofac-truncated")
    result = osint("--config", str(config.config_path), "run", "-q")
    assert result.returncode == 1
    assert "source ofac_sdn failed" in result.stderr
    assert not config.profile_store.exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = osint("--data-dir", str(tmp_path), "screen", "traveler")
    assert result.returncode == 2
    assert "give --name" in result.stderr
    bad = osint("--data-dir", str(tmp_path), "screen", "traveler", "--name", "A B", "--limit", "0")
    assert bad.returncode == 2


def test_demo_into_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    result = osint("demo", "--into", str(target))
    assert result.returncode == 2
    assert "is a file" in result.stderr


def test_sources_and_run_log(published_copy: Config) -> None:
    base = ["--config", str(published_copy.config_path)]
    listed = osint(*base, "sources", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert {s["name"] for s in json.loads(listed.stdout)} == {"ofac_sdn", "un_sc"}
    shown = osint(*base, "sources", "show", "un_sc", "--format", "json")
    assert json.loads(shown.stdout)[0]["spider"] == "un_consolidated_xml"
    valid = osint(*base, "sources", "validate")
    assert valid.returncode == 0
    assert valid.stdout.startswith("ok: 2 sources")
    runs = osint(*base, "runs", "list", "--format", "json")
    rows = json.loads(runs.stdout)
    assert {r["source"] for r in rows} == {"ofac_sdn", "un_sc"}
    assert all(r["status"] == "ok" and r["entries"] > 0 for r in rows)
    assert osint(*base, "runs", "show", rows[0]["run_id"]).returncode == 0
    missing = osint(*base, "runs", "show", "crawl-nope")
    assert missing.returncode == 2
    assert "osint runs list" in missing.stderr


def test_sources_validate_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "osint.toml").write_text("")
    (tmp_path / "sources" / "a.toml").write_text('spider = "nope"\nurls = ["http://x"]\n')
    (tmp_path / "sources" / "b.toml").write_text('spider = "ofac_sdn_csv"\nurls = []\n')
    result = osint("--config", str(tmp_path / "osint.toml"), "sources", "validate")
    assert result.returncode == 1
    assert "a.toml: spider: Value error, unknown spider 'nope'" in result.stderr
    assert "b.toml: urls" in result.stderr
