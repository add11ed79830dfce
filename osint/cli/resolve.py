"""`osint resolve [train]`: apply the saved resolution model, or train it first."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from osint import pipeline
from osint.cli.context import config_of
from osint.cli.output import Format, default_format, info, write_rows


class Action(StrEnum):
    train = "train"


def resolve(
    ctx: typer.Context,
    action: Annotated[
        Action | None,
        typer.Argument(
            help="`train`: estimate the model from the records (prior, u by random sampling, "
            "m by EM), write it and stop. Without it: apply the saved model."
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="With train: write an HTML report (match weights, m/u)."),
    ] = None,
    train_first: Annotated[
        bool,
        typer.Option(
            "--train", help="Deprecated: run `osint resolve train`, then `osint resolve`."
        ),
    ] = False,
    fmt: Annotated[
        Format | None, typer.Option("--format", "-f", help="Output format (table on a terminal).")
    ] = None,
) -> None:
    """Link records of the same entity into profiles with stable ids (or train the model).

    `osint resolve train` writes the model named by resolve.model in osint.toml
    (config/resolve/records.model.json); review it like code. Plain `osint resolve` applies
    it, with the prior rescaled to the number of records.

    Example: osint resolve train --report data/model-report.html && osint resolve
    """
    config = config_of(ctx)
    if action == Action.train or train_first:
        if train_first:
            info("osint resolve --train is deprecated: use `osint resolve train` then resolve")
        trained = pipeline.train_stage(config, report)
        info(f"model written to {trained.model_path} (trained on {trained.records} records)")
        if trained.report_path:
            info(f"report written to {trained.report_path}")
        if action == Action.train:
            row = asdict(trained)
            row["model_path"] = str(trained.model_path)
            row["report_path"] = str(trained.report_path) if trained.report_path else None
            write_rows([row], default_format(fmt))
            return
    write_rows([asdict(pipeline.resolve_stage(config))], default_format(fmt))
