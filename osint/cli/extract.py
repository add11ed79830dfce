"""The extract command: stored documents and entries to records, or one file to stdout."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from osint import pipeline
from osint.cli.context import config_of
from osint.cli.output import Format, default_format, info, write_rows

FormatOpt = Annotated[
    Format | None, typer.Option("--format", "-f", help="Output format (table on a terminal).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]


def extract(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Re-extract everything.")] = False,
    fmt: FormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Turn new or changed entries and documents into records.

    Example: osint extract --all
    """
    stats = pipeline.extract_stage(config_of(ctx), full=all_)
    if not quiet:
        for note in stats.notes[:50]:
            info(f"note: {note}")
        if len(stats.notes) > 50:
            info(f"note: ... and {len(stats.notes) - 50} more")
    row = asdict(stats)
    row["notes"] = len(stats.notes)
    write_rows([row], default_format(fmt))


def register(app: typer.Typer) -> None:
    app.command()(extract)
