"""The `osint` command line: a thin layer over the library.

Library errors (:class:`osint.errors.OsintError`) become one line on stderr and their exit
code; nothing else is caught here, so a real bug still shows its traceback.
"""

from __future__ import annotations

import signal
import sys
from functools import cache
from importlib import import_module
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

import osint
from osint.cli.context import State
from osint.config import load_config
from osint.errors import Interrupted, OsintError

# The command modules, in the order `osint --help` lists them, with the names each one
# registers. A command line that names a command imports only that command's module
# (`osint screen cargo` does not load spaCy's pipeline, Splink or FastAPI: seconds of
# start-up for a scheduled batch); help, or a name nobody registers, imports them all.
# tests/cli/test_cli.py checks the names against what each module registers.
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("osint.cli.pipeline", ("crawl", "resolve", "publish", "run")),
    ("osint.cli.extract", ("extract",)),
    ("osint.cli.changes", ("changes",)),
    ("osint.cli.status", ("status", "sources", "runs")),
    ("osint.cli.screen", ("screen",)),
    ("osint.cli.export", ("export",)),
    ("osint.cli.evaluate", ("eval",)),
    ("osint.cli.demo", ("demo",)),
    ("osint.cli.resolution", ("review", "judgements", "explain", "import")),
    ("osint.cli.serve", ("serve",)),
    ("osint.cli.analyst", ("search", "show", "report")),
)
# The main options that take a value (skipped when looking for the command's name).
_VALUED = ("--config", "--data-dir")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"osint {osint.__version__}")
        raise typer.Exit()


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


def command_name(args: list[str]) -> str | None:
    """The command a command line names (its first word that is not a main option)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def build_app(command: str | None = None) -> typer.Typer:
    """The `osint` application with every command, or only `command`'s module when some
    module registers that name."""
    app = typer.Typer(
        name="osint",
        help="Collect, extract, resolve, publish and screen open-source intelligence.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        add_completion=False,
    )
    app.callback()(main_callback)
    known = any(command in names for _, names in COMMANDS)
    for module, names in COMMANDS:
        if not known or command in names:
            import_module(module).register(app)
    return app


@cache
def _full_app() -> typer.Typer:
    return build_app()


def __getattr__(name: str) -> typer.Typer:
    """`osint.cli.main.app`: the application with every command (built when first used)."""
    if name == "app":
        return _full_app()
    raise AttributeError(f"module 'osint.cli.main' has no attribute {name!r}")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted("interrupted: work committed so far is kept; run the command again")


def main() -> None:
    """Console entry point: run the app, turn handled errors into one line and an exit code."""
    signal.signal(signal.SIGINT, _interrupt)
    app = build_app(command_name(sys.argv[1:]))
    try:
        app()
    except OsintError as exc:
        if not getattr(exc, "reported", False):  # a job log in JSON has written it already
            sys.stderr.write(f"osint: error: {exc}\n")
        sys.exit(exc.exit_code)
