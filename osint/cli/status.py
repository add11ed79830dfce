"""`osint status` and `osint sources`: what is configured, stored, run and published."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from osint.cli.context import config_of
from osint.cli.output import Format, FormatOpt, default_format, write_rows
from osint.errors import NotPublishedError, UsageError
from osint.store import meta, open_profile_store, open_work_store


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


sources_app = typer.Typer(help="Configured sources.", no_args_is_help=True)
runs_app = typer.Typer(help="The crawl run log.", no_args_is_help=True)


@sources_app.command("list")
def sources_list(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List the configured sources.

    Example: osint sources list --format csv
    """
    config = config_of(ctx)
    rows = [
        {
            "name": s.name,
            "spider": s.spider,
            "enabled": s.enabled,
            "schedule": s.schedule,
            "tags": s.tags,
            "urls": s.urls,
        }
        for s in config.sources.values()
    ]
    write_rows(
        rows, default_format(fmt), columns=["name", "spider", "enabled", "schedule", "tags", "urls"]
    )


@sources_app.command("show")
def sources_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Source name.")],
    fmt: FormatOpt = None,
) -> None:
    """Show one source's full definition.

    Example: osint sources show ofac_sdn --format json
    """
    [source] = config_of(ctx).select_sources([name])
    fmt = default_format(fmt)
    data = source.model_dump()
    if fmt in (Format.json, Format.jsonl):
        write_rows([data], fmt)
    else:
        write_rows([{"key": k, "value": v} for k, v in data.items()], fmt)


@sources_app.command("validate")
def sources_validate(ctx: typer.Context) -> None:
    """Check the configuration and every source file; report all problems at once.

    Example: osint --config /etc/osint/osint.toml sources validate
    """
    config = config_of(ctx)
    typer.echo(f"ok: {len(config.sources)} sources in {config.config_dir / 'sources'}")


@runs_app.command("list")
def runs_list(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many runs, newest first.")] = 20,
    fmt: FormatOpt = None,
) -> None:
    """List crawl runs, newest first, with their counters and outcome.

    Example: osint runs list --source ofac_sdn --limit 5
    """
    con = open_work_store(config_of(ctx).work_store, read_only=True)
    try:
        rel = con.execute(
            "SELECT run_id, source, status, started_at, ended_at, requests, responses, "
            "status_counts, documents, entries, dropped, errors, bytes, message FROM crawl_runs "
            "WHERE ? IS NULL OR source = ? ORDER BY started_at DESC LIMIT ?",
            [source, source, limit],
        )
        columns = [d[0] for d in rel.description]
        rows = [dict(zip(columns, r, strict=True)) for r in rel.fetchall()]
    finally:
        con.close()
    write_rows(rows, default_format(fmt), columns=columns)


@runs_app.command("show")
def runs_show(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="A run id from `osint runs list`.")],
    fmt: FormatOpt = None,
) -> None:
    """Show the issues logged by one run (skipped rows, unknown fields, failures).

    Example: osint runs show crawl-20261122T210237-1a2e6020
    """
    con = open_work_store(config_of(ctx).work_store, read_only=True)
    try:
        known = con.execute(
            "SELECT count(*) FROM crawl_runs WHERE run_id = ?", [run_id]
        ).fetchall()[0][0]
        known += con.execute(
            "SELECT count(*) FROM run_issues WHERE run_id = ?", [run_id]
        ).fetchall()[0][0]
        if not known:
            raise UsageError(f"no run {run_id!r}: see `osint runs list` for run ids")
        rel = con.execute(
            "SELECT logged_at, level, source, url, message FROM run_issues WHERE run_id = ? "
            "ORDER BY logged_at",
            [run_id],
        )
        columns = [d[0] for d in rel.description]
        rows = [dict(zip(columns, r, strict=True)) for r in rel.fetchall()]
    finally:
        con.close()
    write_rows(rows, default_format(fmt), columns=columns)


def register(app: typer.Typer) -> None:
    app.command()(status)
    app.add_typer(sources_app, name="sources")
    app.add_typer(runs_app, name="runs")
