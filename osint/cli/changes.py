"""`osint changes`: what publications after a given data version added, changed and removed."""

from __future__ import annotations

from typing import Annotated

import duckdb
import typer

from osint.cli.context import config_of
from osint.cli.output import FormatOpt, default_format, info, write_rows
from osint.errors import StoreError, UsageError
from osint.store import meta, open_profile_store
from osint.store.changes import changes_since

COLUMNS = ("data_version", "profile_id", "change", "merged_into", "name")


def changes(
    ctx: typer.Context,
    since: Annotated[
        int, typer.Option("--since", help="Data version the caller has seen (0: everything).")
    ] = 0,
    fmt: FormatOpt = None,
) -> None:
    """List profiles added, changed or removed by publications after --since.

    A removed profile that was merged into another names it in merged_into: move decisions
    stored against the old id there. The current data version is printed on stderr.

    Example: osint changes --since 41 --format jsonl
    """
    if since < 0:
        raise UsageError("--since must be a data version (0 or more)")
    con = open_profile_store(config_of(ctx).profile_store)
    try:
        current = int(meta(con).get("data_version", "0"))
        try:
            rows = changes_since(con, since, "store")
        except duckdb.CatalogException as exc:
            raise StoreError(
                "this profile store was published before changes were tracked: "
                "run `osint publish` once more"
            ) from exc
    finally:
        con.close()
    info(f"data version {current}; {len(rows)} changes after version {since}")
    write_rows(rows, default_format(fmt), COLUMNS)


def register(app: typer.Typer) -> None:
    app.command()(changes)
