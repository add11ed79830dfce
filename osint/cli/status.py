"""`osint status` and `osint sources`: what is configured, stored, run and published."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from osint.cli.context import config_of
from osint.cli.output import Format, default_format, write_rows
from osint.errors import NotPublishedError
from osint.store import meta, open_profile_store, open_work_store

FormatOpt = Annotated[Format | None, typer.Option("--format", "-f", help="Output format.")]


def status(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Show counts, the last runs per source, and the published version.

    Example: osint status --format json
    """
    config = config_of(ctx)
    report: dict[str, Any] = {"data_dir": str(config.data_dir)}
    if config.work_store.exists():
        con = open_work_store(config.work_store, read_only=True)
        try:
            for table in ("documents", "entries", "records", "profile_members", "judgements"):
                report[table] = con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            report["profiles"] = con.sql(
                "SELECT count(DISTINCT profile_id) FROM profile_members"
            ).fetchall()[0][0]
            runs = con.sql(
                "SELECT source, status, started_at, entries, message FROM crawl_runs "
                "QUALIFY row_number() OVER (PARTITION BY source ORDER BY started_at DESC) = 1 "
                "ORDER BY source"
            ).fetchall()
            issues = con.sql(
                "SELECT logged_at, level, source, message FROM run_issues "
                "ORDER BY logged_at DESC LIMIT 10"
            ).fetchall()
            report["recent_issues"] = [
                {"at": str(t), "level": lv, "source": s, "message": m} for t, lv, s, m in issues
            ]
            report["last_crawls"] = [
                {"source": s, "status": st, "started_at": str(t), "entries": e, "message": m}
                for s, st, t, e, m in runs
            ]
        finally:
            con.close()
    else:
        report["work_store"] = "not created yet: run `osint crawl`"
    try:
        pcon = open_profile_store(config.profile_store)
        report["published"] = meta(pcon)
        pcon.close()
    except NotPublishedError:
        report["published"] = None
    fmt = default_format(fmt)
    if fmt in (Format.json, Format.jsonl):
        write_rows([report], fmt)
        return
    lists = ("last_crawls", "recent_issues")
    rows = [{"key": k, "value": v} for k, v in report.items() if k not in lists]
    write_rows(rows, fmt)
    for key in lists:
        if report.get(key):
            typer.echo("")
            write_rows(report[key], fmt)


def sources(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List the configured sources.

    Example: osint sources --format csv
    """
    config = config_of(ctx)
    rows = [
        {"name": s.name, "spider": s.spider, "enabled": s.enabled, "urls": s.urls}
        for s in config.sources.values()
    ]
    write_rows(rows, default_format(fmt), columns=["name", "spider", "enabled", "urls"])


def register(app: typer.Typer) -> None:
    app.command()(status)
    app.command()(sources)
