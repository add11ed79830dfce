"""Pipeline commands: crawl, extract, resolve, publish, and run (all of them in order)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from osint import pipeline
from osint.cli.context import config_of
from osint.cli.joblog import JobLog, LogFormat
from osint.cli.output import FormatOpt, QuietOpt, default_format, write_rows
from osint.cli.progress import stage_status
from osint.cli.resolve import resolve
from osint.errors import OsintError, UsageError
from osint.heartbeat import ping


class CrawlFailed(OsintError):
    """At least one source's crawl failed; the good data is kept."""


def crawl(
    ctx: typer.Context,
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources (default: all enabled).")
    ] = None,
    fmt: FormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Crawl sources into the work store.

    Example: osint crawl ofac_sdn un_sc
    """
    results = pipeline.crawl_stage(config_of(ctx), sources or [], quiet=quiet)
    write_rows([asdict(r) for r in results], default_format(fmt))
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise CrawlFailed(
            "; ".join(f"source {r.source} failed: {r.message}" for r in failed)
            + " (see `osint status`; data already stored is kept)"
        )


def publish(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Publish the profiles atomically into the profile store that screening reads.

    Example: osint publish
    """
    pub = pipeline.publish_stage(config_of(ctx))
    row = asdict(pub)
    row["path"] = str(pub.path)
    write_rows([row], default_format(fmt))


def run(
    ctx: typer.Context,
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources (default: all enabled).")
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Only sources whose cron schedule is due.")
    ] = False,
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help="Messages on stderr as text or JSON lines.")
    ] = LogFormat.text,
    heartbeat: Annotated[
        str | None,
        typer.Option("--heartbeat", help="URL to ping when done (overrides [run] heartbeat_url)."),
    ] = None,
    quiet: QuietOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Run every stage in order: crawl, extract, resolve, publish (the scheduled job).

    Exit codes: 0 done (or nothing due), 1 a source failed or a stage stopped (the previous
    profile store stays published), 3 another run holds the work store.

    Example: osint --config /etc/osint/osint.toml run --due -q --log-format json
    """
    config = config_of(ctx)
    log = JobLog(log_format, quiet)
    if heartbeat is not None and not heartbeat.startswith(("http://", "https://")):
        raise UsageError(f"--heartbeat {heartbeat!r} is not an http(s):// URL")
    url = heartbeat if heartbeat is not None else config.settings.run.heartbeat_url

    def beat(ok: bool) -> None:
        if url:
            problem = ping(
                url, ok, config.settings.run.heartbeat_timeout, config.settings.collect.user_agent
            )
            if problem:
                log.warning(problem, event="heartbeat")

    with log.capturing_logs():
        try:
            results, timings = pipeline.run_all(
                config, sources or [], quiet=quiet or log_format == LogFormat.json,
                report=log.info, due=due,
                status=lambda stage: stage_status(stage, quiet or log_format == LogFormat.json),
            )  # fmt: skip
            failed = [r for r in results if r.status != "ok"]
            if failed:
                raise CrawlFailed(
                    "; ".join(f"source {r.source} failed: {r.message}" for r in failed)
                    + " (profile store not republished; see `osint status`)"
                )
        except OsintError as exc:
            if log_format == LogFormat.json:
                log.error(str(exc), exit_code=exc.exit_code)
                exc.reported = True  # type: ignore[attr-defined]
            beat(False)
            raise
    write_rows([asdict(t) for t in timings], default_format(fmt))
    log.info("run finished", event="done", stages=len(timings))
    beat(True)


def register(app: typer.Typer) -> None:
    for command in (crawl, resolve, publish, run):
        app.command()(command)
