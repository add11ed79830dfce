"""`osint eval resolve` prints pairwise and cluster precision, recall and F1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from osint.cli.main import app
from osint.resolve.evaluate import score_clusters
from tests.resolve.conftest import DATA, write_resolve_config


def test_scores_count_pairs_and_exact_clusters() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    s = score_clusters("toy", truth, predicted)
    # Predicted pairs ab, cd; true pairs ab, ac, bc: one hit.
    assert (s.pair_precision, s.pair_recall) == (0.5, pytest.approx(1 / 3, abs=1e-4))
    assert (s.cluster_precision, s.cluster_recall) == (0.0, 0.0)


def test_eval_resolve_on_the_company_set_and_a_fake_1000_slice(tmp_path: Path) -> None:
    config = write_resolve_config(tmp_path)
    result = CliRunner().invoke(
        app,
        ["--config", str(config.config_path), "eval", "resolve", "companies", "fake1000",
         "--data", str(DATA / "fake_1000_slice.csv"), "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, (result.output, result.exception)
    scores = {s["dataset"]: s for s in json.loads(result.stdout)}
    assert set(scores) == {"companies", "fake1000"}
    companies = scores["companies"]
    assert companies["records"] == 39
    # The labelled set's hard cases (a same-name company with another USCC, ten sellers
    # behind one forwarder's phone) must not be merged.
    assert companies["pair_precision"] == 1.0
    assert companies["pair_f1"] >= 0.9
    assert {"pair_recall", "cluster_f1"} <= set(companies)
