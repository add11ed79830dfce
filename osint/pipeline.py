"""The pipeline stages as library calls, each holding the work store's writer lock.

The CLI, the demo and scheduled jobs all go through these functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from osint.collect import CrawlResult, crawl
from osint.config import Config
from osint.cron import is_due
from osint.errors import OsintError
from osint.extract import (
    ExtractStats,
    PipelineSpec,
    TextExtractor,
    extract,
    extract_documents,
    page_kind,
    pipeline_version,
)
from osint.resolve import ResolveStats, TrainResult, model_version, resolve, train
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


def extract_stage(
    config: Config, full: bool = False, progress: Callable[[int, int], None] | None = None
) -> ExtractStats:
    """Extract, and log what the extractors noticed (unknown Remarks items, skipped entries)
    to `run_issues`, where `osint status` shows it."""
    with WriterLock(config.data_dir, command_line()):
        con = open_work_store(config.work_store)
        try:
            stats = extract(con, full=full)
            settings = config.settings.extract
            spec = PipelineSpec(settings.spacy_model, config.lexicon_path)
            kinds = {
                name: page_kind(name, source.spider, source.options)
                for name, source in config.sources.items()
            }
            extract_documents(
                con,
                pipeline_version(spec),
                lambda: TextExtractor(spec, settings.n_process, settings.batch_size),
                lambda source: kinds.get(source, "page"),
                settings.max_chars,
                full=full,
                stats=stats,
                progress=progress,
            )
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


def train_stage(config: Config, report: Path | None = None) -> TrainResult:
    """Train the resolution model on the work store's records; write it (and an HTML report)."""
    with WriterLock(config.data_dir, command_line()):
        con = open_work_store(config.work_store)
        try:
            return train(con, config.model_path, report)
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
            enforcement = [
                s.name for s in config.sources.values() if any("enforcement" in t for t in s.tags)
            ]
            model_path = config.model_path
            settings = model_path.read_text(encoding="utf-8") if model_path.exists() else None
            return publish(
                con, config.profile_store, rows[0][0] if rows else None, enforcement, settings
            )
        finally:
            con.close()


def due_sources(config: Config, names: Sequence[str], now: datetime | None = None) -> list[str]:
    """The selected sources whose cron schedule has come round since their last crawl."""
    selected = config.select_sources(names)
    last: dict[str, datetime] = {}
    if config.work_store.exists():
        con = open_work_store(config.work_store, read_only=True)
        try:
            last = dict(
                con.sql("SELECT source, max(started_at) FROM crawl_runs GROUP BY source").fetchall()
            )
        finally:
            con.close()
    moment = now or utcnow()
    return [s.name for s in selected if is_due(s.schedule, last.get(s.name), moment)]


def run_all(
    config: Config,
    names: Sequence[str] = (),
    quiet: bool = False,
    report: Report = _quiet,
    due: bool = False,
    status: Callable[[str], AbstractContextManager[Any]] | None = None,
) -> tuple[list[CrawlResult], list[StageTiming]]:
    """Crawl, extract, resolve and publish; stops before publishing if a crawl failed.

    With `due`, only the sources whose schedule is due are crawled, and nothing runs when none
    is. `status(stage)`, when given, wraps each stage (a spinner on a terminal)."""
    timings: list[StageTiming] = []
    if due:
        names = due_sources(config, names)
        if not names:
            report("no source is due: nothing to do")
            return [], timings

    def timed(stage: str, fn: Callable[[], Any], summary: Callable[[Any], str]) -> Any:
        start = time.perf_counter()
        with status(stage) if status is not None else nullcontext():
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
    try:
        timed(
            "extract",
            lambda: extract_stage(config),
            lambda s: (
                f"{s.records_written} records written from {s.entries_seen - s.unchanged} entries "
                f"and {s.documents_extracted} pages ({s.unchanged} entries and "
                f"{s.documents_unchanged} pages unchanged, {s.skipped + s.documents_skipped} "
                f"skipped), {len(s.notes)} notes (see osint status)"
            ),
        )
        if not config.model_path.exists():
            timed(
                "train",
                lambda: train_stage(config),
                lambda t: f"model written to {t.model_path} ({t.records} records)",
            )
        timed(
            "resolve",
            lambda: resolve_stage(config),
            lambda s: (
                f"{s.records} records -> {s.profiles} profiles "
                f"({s.pairs} scored pairs, {s.merged_records} records merged)"
            ),
        )
    except OsintError as exc:
        failed = [r for r in results if r.status != "ok"]
        if not failed:
            raise
        # The crawl failure is the cause the user needs to see first.
        combined = OsintError(
            "; ".join(f"source {r.source} failed: {r.message}" for r in failed) + f"; then: {exc}"
        )
        combined.exit_code = exc.exit_code
        raise combined from exc
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
    "due_sources",
    "extract_stage",
    "model_version",
    "publish_stage",
    "resolve_stage",
    "run_all",
    "train_stage",
]
