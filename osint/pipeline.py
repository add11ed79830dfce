"""The pipeline stages as library calls, each holding the work store's writer lock.

The CLI, the demo and scheduled jobs all go through these functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from osint.collect import CrawlResult, crawl
from osint.config import Config
from osint.extract import ExtractStats, extract
from osint.resolve import ResolveStats, model_version, resolve, train
from osint.store import (
    Publication,
    WriterLock,
    bulk,
    command_line,
    open_work_store,
    publish,
    utcnow,
)

Report = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(slots=True)
class StageTiming:
    stage: str
    seconds: float
    summary: str


def crawl_stage(
    config: Config, names: Sequence[str] = (), quiet: bool = False
) -> list[CrawlResult]:
    sources = config.select_sources(names)
    with WriterLock(config.data_dir, command_line()):
        return crawl(config, sources, quiet=quiet)


def extract_stage(config: Config, full: bool = False) -> ExtractStats:
    """Extract, and log what the extractors noticed (unknown Remarks items, skipped entries)
    to `run_issues`, where `osint status` shows it."""
    with WriterLock(config.data_dir, command_line()):
        con = open_work_store(config.work_store)
        try:
            stats = extract(con, full=full)
            now = utcnow()
            run_id = f"extract-{now:%Y%m%dT%H%M%S}"
            rows = []
            for note in stats.notes:
                source, _, message = note.partition(": ")
                rows.append([run_id, now, "warning", source, None, message])
            bulk.insert(
                con,
                "run_issues",
                ("run_id", "logged_at", "level", "source", "url", "message"),
                rows,
            )
            return stats
        finally:
            con.close()


def train_stage(config: Config) -> str:
    with WriterLock(config.data_dir, command_line()):
        con = open_work_store(config.work_store)
        try:
            return str(train(con, config.model_path))
        finally:
            con.close()


def resolve_stage(config: Config) -> ResolveStats:
    with WriterLock(config.data_dir, command_line()):
        con = open_work_store(config.work_store)
        try:
            settings = config.settings.resolve
            return resolve(con, config.model_path, settings.match_threshold, settings.max_pairs)
        finally:
            con.close()


def publish_stage(config: Config) -> Publication:
    with WriterLock(config.data_dir, command_line()):
        con = open_work_store(config.work_store)
        try:
            rows = con.sql(
                "SELECT model_version FROM resolve_runs ORDER BY started_at DESC LIMIT 1"
            ).fetchall()
            return publish(con, config.profile_store, rows[0][0] if rows else None)
        finally:
            con.close()


def run_all(
    config: Config,
    names: Sequence[str] = (),
    quiet: bool = False,
    report: Report = _quiet,
) -> tuple[list[CrawlResult], list[StageTiming]]:
    """Crawl, extract, resolve and publish; stops before publishing if a crawl failed."""
    timings: list[StageTiming] = []

    def timed(stage: str, fn: Callable[[], Any], summary: Callable[[Any], str]) -> Any:
        start = time.perf_counter()
        result = fn()
        timing = StageTiming(stage, time.perf_counter() - start, summary(result))
        timings.append(timing)
        report(f"{stage:8} {timing.seconds:6.1f}s  {timing.summary}")
        return result

    results: list[CrawlResult] = timed(
        "crawl",
        lambda: crawl_stage(config, names, quiet),
        lambda rs: "; ".join(f"{r.source}: {r.status}, {r.entries} entries" for r in rs),
    )
    timed(
        "extract",
        lambda: extract_stage(config),
        lambda s: (
            f"{s.records_written} records written, {s.unchanged} unchanged, {s.skipped} skipped, "
            f"{len(s.notes)} notes (see osint status)"
        ),
    )
    if not config.model_path.exists():
        timed("train", lambda: train_stage(config), lambda p: f"model written to {p}")
    timed(
        "resolve",
        lambda: resolve_stage(config),
        lambda s: (
            f"{s.records} records -> {s.profiles} profiles "
            f"({s.pairs} scored pairs, {s.merged_records} records merged)"
        ),
    )
    if any(r.status != "ok" for r in results):
        report("publish  skipped: a crawl failed; the previous profile store stays in place")
        return results, timings
    timed(
        "publish",
        lambda: publish_stage(config),
        lambda p: f"data version {p.data_version}: {p.profiles} profiles, {p.records} records",
    )
    return results, timings


__all__ = [
    "StageTiming",
    "crawl_stage",
    "extract_stage",
    "model_version",
    "publish_stage",
    "resolve_stage",
    "run_all",
    "train_stage",
]
