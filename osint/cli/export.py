"""`osint export records|profiles|members|links|ftm`: data out of the stores.

Tables as CSV, JSON lines, JSON or Parquet (Parquet needs `--output FILE`); `ftm` writes
FollowTheMoney entities as JSON lines for Aleph and OpenSanctions tools.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from osint.analyst import open_for_analysis
from osint.analyst.files import OutputError, check_writable, copy_parquet
from osint.cli.context import config_of
from osint.cli.output import Format, info, write_rows
from osint.errors import UsageError
from osint.store import open_work_store

app = typer.Typer(help="Export records, profiles, memberships, links or FtM.", no_args_is_help=True)


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    parquet = "parquet"


FormatOpt = Annotated[
    ExportFormat, typer.Option("--format", "-f", help="csv, jsonl, json or parquet.")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
]


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    check_writable(path)
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            yield out
    except OSError as exc:
        raise OutputError(f"cannot write {path} ({exc.strerror}): choose a writable path") from exc
    info(f"wrote {path}")


def _emit(
    sql: str, rows_from: str, fmt: ExportFormat, output: Path | None, ctx: typer.Context
) -> None:
    if fmt == ExportFormat.parquet and output is None:
        raise UsageError("--format parquet writes a file: add --output FILE.parquet")
    if output is not None:
        check_writable(output)
    config = config_of(ctx)
    if rows_from == "work":
        con = open_work_store(config.work_store, read_only=True)
    else:
        con = open_for_analysis(config.profile_store)
    try:
        if fmt == ExportFormat.parquet:
            assert output is not None  # noqa: S101 (checked above)
            copy_parquet(con, sql, output)
            info(f"wrote {output}")
            return
        rel = con.sql(sql)
        columns = rel.columns
        rows = (dict(zip(columns, row, strict=True)) for row in rel.fetchall())
        with _output(output) as out:
            write_rows(rows, Format(fmt.value), columns, out=out)
    finally:
        con.close()


@app.command()
def records(
    ctx: typer.Context, fmt: FormatOpt = ExportFormat.jsonl, output: OutputOpt = None
) -> None:
    """Export every record in the work store.

    Example: osint export records --format csv > records.csv
    """
    _emit(
        "SELECT * EXCLUDE (input_sha256) FROM records ORDER BY source, source_key",
        "work",
        fmt,
        output,
        ctx,
    )


@app.command()
def profiles(
    ctx: typer.Context, fmt: FormatOpt = ExportFormat.jsonl, output: OutputOpt = None
) -> None:
    """Export the published profiles.

    Example: osint export profiles --format parquet --output profiles.parquet
    """
    _emit("SELECT * FROM profiles ORDER BY profile_id", "store", fmt, output, ctx)


@app.command()
def members(
    ctx: typer.Context, fmt: FormatOpt = ExportFormat.jsonl, output: OutputOpt = None
) -> None:
    """Export record_id -> profile_id memberships of the published store.

    Example: osint export members --format csv
    """
    _emit(
        "SELECT record_id, profile_id, source, source_key FROM profile_records "
        "ORDER BY profile_id, record_id",
        "store",
        fmt,
        output,
        ctx,
    )


@app.command()
def links(
    ctx: typer.Context, fmt: FormatOpt = ExportFormat.jsonl, output: OutputOpt = None
) -> None:
    """Export the links between profiles (and to names that are not profiles).

    Example: osint export links --format csv --output links.csv
    """
    _emit(
        "SELECT profile_id, relation, target_name, target_profile_id, source, record_id, "
        "evidence FROM profile_links ORDER BY profile_id, relation, target_name",
        "store",
        fmt,
        output,
        ctx,
    )


@app.command()
def ftm(ctx: typer.Context, output: OutputOpt = None) -> None:
    """Export FollowTheMoney entities (JSON lines) for Aleph and OpenSanctions tools.

    Profiles become Person, Company, Organization or Vessel; wallets CryptoWallet; links
    Employment, Ownership or UnknownLink.

    Example: osint export ftm --output entities.ftm.json
    """
    from osint.analyst.ftm import ftm_entities  # followthemoney loads in ~1 s: only here

    if output is not None:
        check_writable(output)
    con = open_for_analysis(config_of(ctx).profile_store)
    try:
        with _output(output) as out:
            for entity in ftm_entities(con):
                out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
    finally:
        con.close()


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="export")
