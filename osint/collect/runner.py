"""Crawling configured sources into the work store, one subprocess per source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from osint.collect.settings import scrapy_settings
from osint.config import Config, SourceConfig
from osint.errors import ConfigError
from osint.store.work import open_work_store, utcnow


@dataclass(slots=True)
class CrawlResult:
    """What one source's crawl did."""

    source: str
    run_id: str
    status: str
    documents: int
    entries: int
    dropped: int
    message: str | None


def check_file_urls(config: Config, sources: list[SourceConfig]) -> None:
    """file:// URLs are allowed only under the configured `collect.allowed_file_roots`."""
    roots = [(config.config_dir / r).resolve() for r in config.settings.collect.allowed_file_roots]
    problems = []
    for source in sources:
        for url in source.urls:
            if not url.startswith("file://"):
                continue
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                problems.append(
                    f"source {source.name}: {url} is outside collect.allowed_file_roots: "
                    "add its directory there to allow it"
                )
    if problems:
        raise ConfigError(problems)


def _start_run(store: Path, source: str) -> str:
    run_id = f"crawl-{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    con = open_work_store(store)
    try:
        # We hold the writer lock, so a run still marked running was killed: say so.
        con.execute(
            "UPDATE crawl_runs SET status = 'interrupted', "
            "message = coalesce(message, 'the crawl process was killed') "
            "WHERE status = 'running'"
        )
        con.execute(
            "INSERT INTO crawl_runs (run_id, source, started_at, status) "
            "VALUES (?, ?, ?, 'running')",
            [run_id, source, utcnow()],
        )
    finally:
        con.close()
    return run_id


def _finish_run(store: Path, run_id: str, source: str, returncode: int) -> CrawlResult:
    con = open_work_store(store)
    try:
        row = con.sql(
            "SELECT status, documents, entries, dropped, message FROM crawl_runs "
            f"WHERE run_id = '{run_id}'"
        ).fetchall()[0]
        status, documents, entries, dropped, message = row
        if status == "running":
            status = "failed"
            message = f"the crawl process exited with code {returncode} before finishing"
            con.execute(
                "UPDATE crawl_runs SET status = ?, message = ?, ended_at = ? WHERE run_id = ?",
                [status, message, utcnow(), run_id],
            )
    finally:
        con.close()
    return CrawlResult(source, run_id, status, documents or 0, entries or 0, dropped or 0, message)


def crawl(config: Config, sources: list[SourceConfig], quiet: bool = False) -> list[CrawlResult]:
    """Crawl each source in turn. The caller holds the writer lock."""
    check_file_urls(config, sources)
    results = []
    for source in sources:
        run_id = _start_run(config.work_store, source.name)
        spec = {
            "parent_pid": os.getpid(),
            "spider": source.spider,
            "source": source.name,
            "urls": source.urls,
            "options": source.options,
            "allowed_domains": source.allowed_domains,
            "settings": scrapy_settings(
                config.settings.collect,
                source,
                str(config.work_store),
                run_id,
                quiet,
                str(config.data_dir / "httpcache" / source.name)
                if config.settings.collect.http_cache
                else None,
            ),
        }
        proc = subprocess.run(  # noqa: S603 - our own module, arguments are data
            [sys.executable, "-m", "osint.collect.process", json.dumps(spec)],
            check=False,
        )
        results.append(_finish_run(config.work_store, run_id, source.name, proc.returncode))
    return results
