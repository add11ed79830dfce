"""`osint search`, `osint show`, `osint report`: an analyst's view of the profile store."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from osint.analyst import (
    SearchFilters,
    load_profile,
    open_for_analysis,
    render_report,
    search,
)
from osint.analyst.files import check_writable, write_text
from osint.analyst.text import profile_text, value_rows
from osint.cli.context import config_of
from osint.cli.output import Format, FormatOpt, default_format, info, write_rows

Many = Annotated[list[str] | None, typer.Option(help="Repeat to allow several values.")]
SEARCH_COLUMNS = ["profile_id", "name", "kind", "score", "matched", "countries", "risk_flags"]


def search_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="A name, alias, phone, email, wallet or id.")],
    kind: Many = None,
    country: Many = None,
    chemical: Many = None,
    source: Many = None,
    flag: Annotated[
        list[str] | None, typer.Option(help="Risk flag, e.g. sanctions_list (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many profiles.")] = 20,
    fmt: FormatOpt = None,
) -> None:
    """Search published profiles by name, alias or identifier (phones as written work too).

    Exact identifier hits come first, then names by similarity. An empty TEXT ("") lists
    the profiles the filters allow.

    Example: osint search "+86 139 7123 4567" --kind organization --format json
    """
    filters = SearchFilters(
        kinds=kind or [],
        countries=country or [],
        chemicals=chemical or [],
        sources=source or [],
        flags=flag or [],
    )
    con = open_for_analysis(config_of(ctx).profile_store)
    try:
        rows = search(con, text, filters, limit)
    finally:
        con.close()
    fmt = default_format(fmt)
    if not rows and fmt == Format.table:
        info(f"no profile matches {text!r}")
        return
    write_rows(rows, fmt, SEARCH_COLUMNS if fmt in (Format.table, Format.csv) else None)


def show_command(
    ctx: typer.Context,
    profile_id: Annotated[str, typer.Argument(help="A current or retired profile id.")],
    fmt: FormatOpt = None,
) -> None:
    """Show everything known about a profile, each value with its sources.

    Readable sections by default; --format json gives one object, csv one row per value.

    Example: osint show prof-9659f17b314a8e5b5b56
    """
    config = config_of(ctx)
    con = open_for_analysis(config.profile_store)
    try:
        profile = load_profile(con, profile_id, config.work_store)
    finally:
        con.close()
    fmt = fmt or Format.table  # sections, also in a pipe: they are meant to be read
    if fmt == Format.table:
        sys.stdout.write(profile_text(profile))
    elif fmt == Format.json:
        sys.stdout.write(json.dumps(profile, default=str, ensure_ascii=False, indent=2) + "\n")
    elif fmt == Format.csv:
        write_rows(
            value_rows(profile), fmt, ["profile_id", "field", "value", "sources", "doc_urls"]
        )
    else:
        write_rows([profile], fmt)


def report_command(
    ctx: typer.Context,
    profile_id: Annotated[str, typer.Argument(help="A current or retired profile id.")],
    html: Annotated[Path, typer.Option("--html", help="The HTML file to write.")],
) -> None:
    """Write a self-contained HTML report on a profile: evidence, links and a link graph.

    Example: osint report prof-9659f17b314a8e5b5b56 --html wehbe.html
    """
    check_writable(html)
    config = config_of(ctx)
    con = open_for_analysis(config.profile_store)
    try:
        profile = load_profile(con, profile_id, config.work_store)
    finally:
        con.close()
    write_text(html, render_report(profile))
    info(f"report on {profile['profile_id']} written to {html}")


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
    app.command("show")(show_command)
    app.command("report")(report_command)
