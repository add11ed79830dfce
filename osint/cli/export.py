"""`osint export records|profiles|members`: data out of the stores as CSV / JSONL / JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from osint.cli.context import config_of
from osint.cli.output import Format, write_rows
from osint.store import open_profile_store, open_work_store

app = typer.Typer(help="Export records, profiles or memberships.", no_args_is_help=True)
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="csv, jsonl or json.")]


def _emit(sql: str, rows_from: str, fmt: Format, ctx: typer.Context) -> None:
    config = config_of(ctx)
    if rows_from == "work":
        con = open_work_store(config.work_store, read_only=True)
    else:
        con = open_profile_store(config.profile_store)
    try:
        rel = con.sql(sql)
        columns = rel.columns
        write_rows((dict(zip(columns, row, strict=True)) for row in rel.fetchall()), fmt, columns)
    finally:
        con.close()


@app.command()
def records(ctx: typer.Context, fmt: FormatOpt = Format.jsonl) -> None:
    """Export every record in the work store.

    Example: osint export records --format csv > records.csv
    """
    _emit(
        "SELECT * EXCLUDE (input_sha256) FROM records ORDER BY source, source_key",
        "work",
        fmt,
        ctx,
    )


@app.command()
def profiles(ctx: typer.Context, fmt: FormatOpt = Format.jsonl) -> None:
    """Export the published profiles.

    Example: osint export profiles --format json
    """
    _emit("SELECT * FROM profiles ORDER BY profile_id", "store", fmt, ctx)


@app.command()
def members(ctx: typer.Context, fmt: FormatOpt = Format.jsonl) -> None:
    """Export record_id -> profile_id memberships of the published store.

    Example: osint export members --format csv
    """
    _emit(
        "SELECT record_id, profile_id, source, source_key FROM profile_records "
        "ORDER BY profile_id, record_id",
        "store",
        fmt,
        ctx,
    )
