"""`osint eval screen`: screening recall and precision next to nomenklatura logic-v2."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from osint.cli.context import config_of
from osint.cli.output import Format, default_format, info, write_rows
from osint.errors import UsageError
from osint.screen import Screener, ScreeningPaths
from osint.screen.evaluate import (
    BASELINE_THRESHOLD,
    expected_profiles,
    load_cases,
    run_baseline,
    run_ours,
    score,
    wrong,
)

SOURCE_TREE = Path(__file__).resolve().parents[2]
CASES = SOURCE_TREE / "tests" / "data" / "screen_cases.csv"
WORKER = SOURCE_TREE / "tools" / "nomenklatura_worker.py"
BASELINE_PYTHON = SOURCE_TREE / ".venv-baseline" / "bin" / "python"


def eval_screen(
    ctx: typer.Context,
    cases: Annotated[Path, typer.Option("--cases", help="Labelled cases (CSV).")] = CASES,
    threshold: Annotated[
        float | None, typer.Option(help="Our match threshold (default [screen] threshold).")
    ] = None,
    baseline: Annotated[
        bool, typer.Option("--baseline/--no-baseline", help="Also run nomenklatura logic-v2.")
    ] = True,
    baseline_python: Annotated[
        Path | None,
        typer.Option(
            "--baseline-python",
            envvar="OSINT_BASELINE_PYTHON",
            help="Interpreter with nomenklatura (default .venv-baseline, `make baseline`).",
        ),
    ] = None,
    categories: Annotated[
        bool, typer.Option("--categories", help="One row per case category as well.")
    ] = False,
    errors: Annotated[
        bool, typer.Option("--errors", help="List the cases each system gets wrong, with why.")
    ] = False,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="Output format.")] = None,
) -> None:
    """Screen the labelled cases against the profile store; print recall and precision.

    Example: osint --data-dir /tmp/osint-demo eval screen --categories --errors
    """
    config = config_of(ctx)
    threshold = threshold if threshold is not None else config.settings.screen.threshold
    labelled = load_cases(cases)
    python = baseline_python or BASELINE_PYTHON
    if baseline and not python.exists():
        raise UsageError(
            f"no baseline interpreter at {python}: run `make baseline`, or pass --no-baseline"
        )
    with tempfile.TemporaryDirectory() as tmp:
        paths = ScreeningPaths(
            config.profile_store,
            Path(tmp) / "exclusions.jsonl",
            Path(tmp) / "audit.jsonl",
            config.lexicon_path,
            config.model_path,
        )
        with Screener(paths, threshold=threshold, limit=5, who="eval", interface="eval") as s:
            con = s._refresh()
            expected = expected_profiles(con, labelled)
            systems = {("osint", threshold): run_ours(s, labelled)}
            if baseline:
                info(f"osint: running nomenklatura logic-v2 on {len(labelled)} cases ...")
                systems[("nomenklatura logic-v2", BASELINE_THRESHOLD)] = run_baseline(
                    con, labelled, python, WORKER
                )
    rows = []
    for (name, thr), preds in systems.items():
        metrics = score(name, thr, labelled, expected, preds)
        rows.append(metrics["all"].row())
        if categories:
            rows.extend(m.row(cat) for cat, m in sorted(metrics.items()) if cat != "all")
    if categories:
        rows.sort(key=lambda r: (r["category"] != "all", r["category"], r["system"]))
    write_rows(rows, default_format(fmt))
    if errors:
        for (name, _), preds in systems.items():
            for case in wrong(labelled, expected, preds):
                p = preds[case.case_id]
                want = case.expected or "no match"
                info(
                    f"{name}: {case.case_id} ({case.category}) {case.name!r}: want {want}, "
                    f"got {p.profile_id or 'no match'} at {p.score:.2f}: {'; '.join(p.detail)}"
                )
