"""The `osint` command line: a thin layer over the library.

Library errors (:class:`osint.errors.OsintError`) become one line on stderr and their exit
code; nothing else is caught here, so a real bug still shows its traceback.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

import osint
from osint.cli import (
    analyst,
    changes,
    demo,
    evaluate,
    export,
    extract,
    pipeline,
    resolution,
    screen,
    serve,
    status,
)
from osint.cli.context import State
from osint.config import load_config
from osint.errors import Interrupted, OsintError

app = typer.Typer(
    name="osint",
    help="Collect, extract, resolve, publish and screen open-source intelligence.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"osint {osint.__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", envvar="OSINT_CONFIG", help="Main configuration file."),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", envvar="OSINT_DATA_DIR", help="Where the stores live."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """osint: from public sources to screening hits.

    Example: osint --data-dir data run
    """
    ctx.obj = State(lambda: load_config(config, data_dir))


pipeline.register(app)
extract.register(app)
changes.register(app)
status.register(app)
app.add_typer(screen.app, name="screen")
app.add_typer(export.app, name="export")
app.add_typer(evaluate.app, name="eval")
demo.register(app)
resolution.register(app)
serve.register(app)
analyst.register(app)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted("interrupted: work committed so far is kept; run the command again")


def main() -> None:
    """Console entry point: run the app, turn handled errors into one line and an exit code."""
    signal.signal(signal.SIGINT, _interrupt)
    try:
        app()
    except OsintError as exc:
        if not getattr(exc, "reported", False):  # a job log in JSON has written it already
            sys.stderr.write(f"osint: error: {exc}\n")
        sys.exit(exc.exit_code)
