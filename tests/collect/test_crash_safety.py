"""A crawl killed halfway (SIGKILL of osint) leaves no orphan writer and loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from osint.collect.runner import crawl
from osint.store import WriterLock, open_work_store
from tests.conftest import MakeConfig

REPO = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_killed_crawl_stops_its_worker_and_the_next_run_completes(
    make_config: MakeConfig,
) -> None:
    config = make_config(prefix="slow", un=None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "osint", "--config", str(config.config_path), "crawl", "-q"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = _children(proc.pid)
    assert workers, "the crawl worker never started"
    time.sleep(1.0)  # the worker is waiting for the slow server
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), "the crawl worker outlived osint"

    # The lock is free again, the next run completes, and the killed run is marked as such.
    with WriterLock(config.data_dir, "test"):
        [result] = crawl(config, [config.sources["ofac_sdn"]], quiet=True)
    assert result.status == "ok"
    con = open_work_store(config.work_store, read_only=True)
    statuses = sorted(r[0] for r in con.sql("SELECT status FROM crawl_runs").fetchall())
    assert statuses == ["interrupted", "ok"]
    assert con.sql("SELECT count(*), count(DISTINCT source_key) FROM entries").fetchall() == [
        (500, 500)
    ]
    # Every document exactly once.
    assert con.sql("SELECT count(*), count(DISTINCT url) FROM documents").fetchall() == [(3, 3)]
