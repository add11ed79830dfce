"""`osint resolve train` (model + HTML report) and `osint explain` (text and HTML waterfall)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from osint.cli.main import app
from osint.config import Config
from osint.resolve import model
from tests.resolve.conftest import record_ids


def run(config: Config, *args: str) -> CliRunner:
    result = CliRunner().invoke(app, ["--config", str(config.config_path), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result  # type: ignore[return-value]


def test_train_writes_the_model_and_a_self_contained_report(
    companies: Config, tmp_path: Path
) -> None:
    companies.model_path.unlink()
    report = tmp_path / "report.html"
    result = run(companies, "resolve", "train", "--report", str(report), "--format", "json")
    row = json.loads(result.stdout)[0]  # type: ignore[attr-defined]
    assert row["records"] == 39
    saved = json.loads(companies.model_path.read_text(encoding="utf-8"))
    assert [c["output_column_name"] for c in saved["comparisons"]] == [
        f.name for f in model.FEATURES
    ]
    assert saved["comparisons"][0]["comparison_description"] == model.DESCRIPTIONS["name"]
    assert saved["osint"]["model"] == "osint.records.v2"
    html = report.read_text(encoding="utf-8")
    assert "Match weights" in html
    assert "m and u probabilities" in html
    assert '<script src="http' not in html  # charts inline: opens offline


def test_deprecated_train_flag_still_trains_then_resolves(companies: Config) -> None:
    result = CliRunner().invoke(
        app, ["--config", str(companies.config_path), "resolve", "--train", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "deprecated" in result.stderr
    assert json.loads(result.stdout)[0]["profiles"] > 0


def test_explain_prints_every_comparison_and_writes_the_waterfall_chart(
    companies: Config, tmp_path: Path
) -> None:
    ids = record_ids(companies)
    chart = tmp_path / "pair.html"
    text = run(companies, "explain", ids["c001"], ids["c003"], "--html", str(chart),
               "--format", "table").stdout  # type: ignore[attr-defined]  # fmt: skip
    lines = text.splitlines()
    steps = [line.split()[0] for line in lines[1:]]
    assert steps[0] == "prior"
    assert "total" in steps
    assert {f.name for f in model.FEATURES} <= set(steps)
    phones = next(line for line in lines if line.startswith("phones"))
    assert "+" in phones.split()[1]  # a shared phone counts for the match
    assert chart.read_text(encoding="utf-8").count("vega") > 0
    rows = json.loads(
        run(companies, "explain", ids["c001"], ids["c006"], "--format", "json").stdout  # type: ignore[attr-defined]
    )
    identifiers = next(r for r in rows if r["step"] == "identifiers")
    assert identifiers["match_weight"] < 0  # two different USCCs speak against it
