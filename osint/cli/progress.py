"""Progress bars on stderr (rich) for long stages, only when a person is watching.

On a terminal and without `-q`, a stage that reports progress gets a bar; in a pipe, a job or
with `-q`, nothing is drawn (job logs stay one message per stage).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

# (done, total): called by a stage as it goes.
Advance = Callable[[int, int], None]


def _nothing(done: int, total: int) -> None:
    return None


@contextmanager
def progress_bar(description: str, quiet: bool = False) -> Iterator[Advance]:
    """A bar for one stage on a terminal, or a callback that draws nothing."""
    if quiet or not sys.stderr.isatty():
        yield _nothing
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@contextmanager
def stage_status(stage: str, quiet: bool = False) -> Iterator[None]:
    """A spinner with the stage's name and elapsed time while it runs, on a terminal only."""
    if quiet or not sys.stderr.isatty():
        yield
        return
    with Console(stderr=True).status(f"{stage}...", spinner="dots"):
        yield
