"""`osint run` as a scheduled job: --due, JSON job logs, heartbeats."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import osint


class _Monitor(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def monitor() -> Iterator[tuple[str, list[str]]]:
    """A heartbeat monitor on 127.0.0.1 that records the paths it is pinged on."""
    hits: list[str] = []
    handler = type("Monitor", (_Monitor,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ping/job-1", hits
    server.shutdown()
    server.server_close()


def _schedule(config_path: Path, source: str, cron: str) -> None:
    path = config_path.parent / "sources" / f"{source}.toml"
    path.write_text(f'schedule = "{cron}"\n' + path.read_text(encoding="utf-8"), encoding="utf-8")


def test_due_runs_each_source_once_per_scheduled_time(make_config) -> None:  # type: ignore[no-untyped-def]
    config = make_config()
    _schedule(config.config_path, "ofac_sdn", "0 0 1 1 *")  # once a year
    _schedule(config.config_path, "un_sc", "0 0 1 1 *")
    args = ("--config", str(config.config_path), "run", "--due", "--format", "json")
    first = osint(*args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)[0]["stage"] == "crawl"
    second = osint(*args)
    assert second.returncode == 0, second.stderr
    assert "no source is due" in second.stderr
    assert json.loads(second.stdout) == []


def test_json_job_log_and_heartbeat_on_success(make_config, monitor) -> None:  # type: ignore[no-untyped-def]
    url, hits = monitor
    config = make_config(un=None)
    result = osint(
        "--config", str(config.config_path), "run", "--log-format", "json", "--heartbeat", url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert {line["event"] for line in lines} >= {"stage", "done"}
    assert all({"time", "level", "message"} <= set(line) for line in lines)
    assert hits == ["/ping/job-1"]


def test_failed_run_pings_fail_and_logs_the_error_as_json(make_config, monitor) -> None:  # type: ignore[no-untyped-def]
    url, hits = monitor
    config = make_config(prefix="ofac-truncated", un=None)
    result = osint(
        "--config", str(config.config_path), "run", "--log-format", "json", "--heartbeat", url,
    )  # fmt: skip
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    errors = [line for line in lines if line["level"] == "error"]
    assert len(errors) == 1
    assert "source ofac_sdn failed" in errors[0]["message"]
    assert errors[0]["exit_code"] == 1
    assert hits == ["/ping/job-1/fail"]


def test_unreachable_heartbeat_is_a_warning_not_a_failure(make_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = make_config(un=None)
    closed = "http://127.0.0.1:9/ping"  # the discard port: nothing listens
    result = osint("--config", str(config.config_path), "run", "-q", "--heartbeat", closed)
    assert result.returncode == 0, result.stderr
    assert "heartbeat http://127.0.0.1:9/ping not sent" in result.stderr


def test_bad_heartbeat_url_in_config_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "osint.toml").write_text('[run]\nheartbeat_url = "ftp://x"\n', encoding="utf-8")
    result = osint("--config", str(tmp_path / "osint.toml"), "status")
    assert result.returncode == 1
    assert "run.heartbeat_url" in result.stderr
    assert "is not an http(s):// URL" in result.stderr


def test_bad_heartbeat_flag_is_a_usage_error(make_config) -> None:  # type: ignore[no-untyped-def]
    config = make_config(un=None)
    result = osint("--config", str(config.config_path), "run", "--heartbeat", "example.org/ping")
    assert result.returncode == 2
    assert "--heartbeat 'example.org/ping' is not an http(s):// URL" in result.stderr
    assert not config.work_store.exists()  # nothing ran
