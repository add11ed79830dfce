"""`osint demo`: the whole pipeline offline, with two example screenings."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from osint.cli.output import info
from osint.demo import DEMO_QUERIES, run_demo
from osint.errors import UsageError


def demo(
    data_dir: Annotated[
        Path | None,
        typer.Option("--into", help="Keep the demo's stores in this directory (default: temp)."),
    ] = None,
) -> None:
    """Run crawl -> extract -> resolve -> publish -> screen offline on bundled samples.

    Example: osint demo --into /tmp/osint-demo
    """
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="osint-demo-") as tmp:
        target = (data_dir or Path(tmp)).resolve()
        if target.exists() and not target.is_dir():
            raise UsageError(f"--into {target} is a file: give a directory (it is created)")
        info(f"demo: stores in {target}; sample publications served from 127.0.0.1")
        timings, results = run_demo(target, report=info)
        typer.echo("\nStages")
        for t in timings:
            typer.echo(f"  {t.stage:8} {t.seconds:6.1f}s  {t.summary}")
        typer.echo("\nScreenings")
        for query, result in zip(DEMO_QUERIES, results, strict=True):
            typer.echo(f"  traveler {query.name!r}, born {query.dob}:")
            matches = [h for h in result.hits if h.match]
            if not matches:
                typer.echo("    no match (clean)")
            for hit in matches:
                typer.echo(
                    f"    MATCH {hit.profile_id} {hit.name!r} score {hit.score:.2f} "
                    f"flags {', '.join(hit.risk_flags) or '-'}"
                )
                for e in hit.explanations:
                    values = (
                        e.description
                        if e.query_value is None
                        else f"{e.query_value} ~ {e.profile_value or '-'}"
                    )
                    typer.echo(f"      {e.feature:12} {e.contribution:+.2f}  {values}")
        typer.echo(f"\nDemo finished in {time.perf_counter() - start:.1f}s.")
        if data_dir is not None:
            typer.echo(f"Try: osint --data-dir {target} status")


def register(app: typer.Typer) -> None:
    app.command()(demo)
