"""`osint eval`: accuracy of each stage on labelled data (precision, recall, F1 tables).

Each stage's evaluation lives with its stage; this group only registers the commands.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Measure accuracy on labelled data: extract, resolve, screen.", no_args_is_help=True
)
