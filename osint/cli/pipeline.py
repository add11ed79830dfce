"""Pipeline commands: crawl, extract, resolve, publish, and run (all of them in order)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from osint import pipeline
from osint.cli.context import config_of
from osint.cli.output import Format, default_format, info, write_rows
from osint.errors import OsintError

FormatOpt = Annotated[
    Format | None, typer.Option("--format", "-f", help="Output format (table on a terminal).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]


class CrawlFailed(OsintError):
    """At least one source's crawl failed; the good data is kept."""


def crawl(
    ctx: typer.Context,
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources (default: all enabled).")
    ] = None,
    fmt: FormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Crawl sources into the work store.

    Example: osint crawl ofac_sdn un_sc
    """
    results = pipeline.crawl_stage(config_of(ctx), sources or [], quiet=quiet)
    write_rows([asdict(r) for r in results], default_format(fmt))
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise CrawlFailed(
            "; ".join(f"source {r.source} failed: {r.message}" for r in failed)
            + " (see `osint status`; data already stored is kept)"
        )


def resolve(
    ctx: typer.Context,
    train: Annotated[
        bool, typer.Option("--train", help="Re-estimate the model from the records first.")
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Link records of the same entity into profiles with stable ids.

    Example: osint resolve --train
    """
    config = config_of(ctx)
    if train:
        info(f"model written to {pipeline.train_stage(config)}")
    write_rows([asdict(pipeline.resolve_stage(config))], default_format(fmt))


def publish(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Publish the profiles atomically into the profile store that screening reads.

    Example: osint publish
    """
    pub = pipeline.publish_stage(config_of(ctx))
    row = asdict(pub)
    row["path"] = str(pub.path)
    write_rows([row], default_format(fmt))


def run(
    ctx: typer.Context,
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources (default: all enabled).")
    ] = None,
    quiet: QuietOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Run every stage in order: crawl, extract, resolve, publish (for scheduled jobs).

    Example: osint --config /etc/osint/osint.toml run -q
    """
    results, timings = pipeline.run_all(
        config_of(ctx), sources or [], quiet=quiet, report=(lambda _m: None) if quiet else info
    )
    write_rows([asdict(t) for t in timings], default_format(fmt))
    failed = [r for r in results if r.status != "ok"]
    if failed:
        raise CrawlFailed(
            "; ".join(f"source {r.source} failed: {r.message}" for r in failed)
            + " (profile store not republished; see `osint status`)"
        )


def register(app: typer.Typer) -> None:
    for command in (crawl, resolve, publish, run):
        app.command()(command)
