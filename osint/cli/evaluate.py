"""`osint eval`: accuracy of each stage on labelled data (precision, recall, F1 tables).

Each stage's evaluation lives with its stage's commands; this group only registers them.
"""

from __future__ import annotations

import typer

from osint.cli.extract import eval_extract
from osint.cli.resolution import eval_resolve
from osint.cli.screen_eval import eval_screen

app = typer.Typer(
    help="Measure accuracy on labelled data: extract, resolve, screen.", no_args_is_help=True
)
app.command("extract")(eval_extract)
app.command("resolve")(eval_resolve)
app.command("screen")(eval_screen)


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="eval")
