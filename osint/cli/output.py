"""Writing data to stdout as a table, JSON, JSON lines or CSV; messages go to stderr."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Annotated, Any, TextIO

import typer

from osint.jsonlines import json_line


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


# The options every data-printing command shares.
FormatOpt = Annotated[
    Format | None, typer.Option("--format", "-f", help="Output format (table on a terminal).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]


def default_format(fmt: Format | None) -> Format:
    """A table on a terminal, JSON lines in a pipe."""
    if fmt is not None:
        return fmt
    return Format.table if sys.stdout.isatty() else Format.jsonl


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, default=str)
    return str(value)


def write_rows(
    rows: Iterable[dict[str, Any]],
    fmt: Format,
    columns: Sequence[str] | None = None,
    out: TextIO | None = None,
) -> None:
    out = out or sys.stdout
    if fmt == Format.jsonl:
        for row in rows:
            out.write(json_line(row).decode("utf-8"))
        return
    materialized = list(rows)
    if fmt == Format.json:
        json.dump(materialized, out, default=str, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    cols = list(columns or (materialized[0].keys() if materialized else []))
    if fmt == Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(cols)
        for row in materialized:
            writer.writerow([_cell(row.get(c)) for c in cols])
        return
    cells = [[_cell(row.get(c))[:60] for c in cols] for row in materialized]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(cols)]
    out.write("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip() + "\n")
    for r in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")


def info(message: str) -> None:
    sys.stderr.write(message + "\n")
