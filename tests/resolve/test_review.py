"""Review and judgements through the CLI: decisions survive rebuilds, undo, export/import."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from osint.cli.main import app
from osint.config import Config
from osint.pipeline import resolve_stage
from tests.resolve.conftest import profiles_by_key, record_ids


def run(config: Config, *args: str) -> str:
    result = CliRunner().invoke(app, ["--config", str(config.config_path), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_queue_lists_uncertain_pairs_first_and_a_decision_removes_the_pair(
    companies: Config,
) -> None:
    queue = json.loads(run(companies, "review", "--list", "--format", "json"))
    assert queue, "the company set has pairs near the threshold"
    distances = [abs(q["match_probability"] - 0.9) for q in queue]
    # Most uncertain first: the first pair is the one closest to the threshold (in weight).
    assert distances[0] == min(distances)
    first = queue[0]
    assert {"record_a", "record_b", "name_a", "name_b"} <= set(first)
    run(companies, "review", "decide", first["record_a"], first["record_b"], "unsure",
        "--author", "ana")  # fmt: skip
    again = json.loads(run(companies, "review", "--list", "--format", "json"))
    assert (first["record_a"], first["record_b"]) not in {
        (q["record_a"], q["record_b"]) for q in again
    }


def test_the_queue_gives_each_pair_the_reasons_explain_computes_for_it(
    companies: Config,
) -> None:
    """The reasons shown in review are stored as levels reached, rendered with the levels'
    words and weights: they must say what `osint explain` says when it scores the pair."""
    from osint.resolve.explain import explain
    from osint.store import open_work_store

    queue = json.loads(run(companies, "review", "--list", "--format", "json"))
    assert len(queue) >= 3
    con = open_work_store(companies.work_store, read_only=True)
    try:
        for item in queue[:3]:
            steps = explain(con, companies.model_path, item["record_a"], item["record_b"]).steps
            want = {s.feature: {"level": s.level, "weight": s.match_weight} for s in steps}
            assert item["reasons"] == want
            assert any(r["weight"] > 0 for r in item["reasons"].values())
    finally:
        con.close()


def test_different_splits_same_forces_through_every_rebuild_and_undo_restores(
    companies: Config,
) -> None:
    ids = record_ids(companies)
    before = profiles_by_key(companies)
    assert before["c001"] == before["c003"]
    assert before["c017"] != before["c018"]  # two "China Chemical Co., Ltd." in two cities
    made = json.loads(
        run(
            companies,
            "review",
            "decide",
            ids["c001"],
            ids["c003"],
            "different",
            "--author",
            "ana",
            "--note",
            "other factory",
            "--format",
            "json",
        )
    )[0]
    assert made["judgement"] == "negative"
    assert made["note"] == "other factory"
    run(companies, "review", "decide", ids["c017"], ids["c018"], "same", "--author", "ana")
    for _rebuild in range(2):
        resolve_stage(companies)
        after = profiles_by_key(companies)
        assert after["c001"] != after["c003"]
        assert after["c017"] == after["c018"]
    run(companies, "review", "undo", made["judgement_id"])
    resolve_stage(companies)
    assert profiles_by_key(companies)["c001"] == profiles_by_key(companies)["c003"]


def test_a_record_scoring_high_against_two_profiles_judged_different_is_reported(
    companies: Config,
) -> None:
    ids = record_ids(companies)
    # c010 and c012 called different; c011 shares a wallet with one and an email with the other.
    run(companies, "review", "decide", ids["c010"], ids["c012"], "different", "--author", "ana")
    stats = resolve_stage(companies)
    assert stats.conflicts >= 1
    rows = json.loads(run(companies, "review", "conflicts", "--format", "json"))
    assert ids["c011"] in {r["record_id"] for r in rows}


def test_judgements_export_and_import_round_trip(companies: Config, tmp_path: Path) -> None:
    ids = record_ids(companies)
    run(companies, "review", "decide", ids["c017"], ids["c018"], "same", "--author", "ana")
    exported = tmp_path / "judgements.jsonl"
    run(companies, "judgements", "export", "-o", str(exported))
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["author"] == "ana"
    # Into a store that has none: the judgement applies at its next rebuild.
    con_path = companies.work_store
    import duckdb

    con = duckdb.connect(str(con_path))
    con.execute("DELETE FROM judgements")
    con.close()
    result = CliRunner().invoke(
        app, ["--config", str(companies.config_path), "judgements", "import", str(exported)]
    )
    assert result.exit_code == 0, result.output
    assert "1 judgements added, 0 already present" in result.stderr
    resolve_stage(companies)
    assert profiles_by_key(companies)["c017"] == profiles_by_key(companies)["c018"]


def test_bad_judgement_lines_are_named_and_exit_1(companies: Config, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"judgement_id": "x"}\nnot json\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "osint", "--config", str(companies.config_path),
         "judgements", "import", str(bad)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "line 1: missing field" in proc.stderr
    assert "line 2:" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("osint: error: 2 lines")


def test_deciding_on_an_unknown_record_is_one_line(companies: Config) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "osint", "--config", str(companies.config_path),
         "review", "decide", "rec-nope", "rec-nada", "same"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1
    assert "no record rec-nope, rec-nada" in proc.stderr


def test_interactive_review_on_a_terminal_records_the_answer(companies: Config) -> None:
    """On a terminal `osint review` shows a pair, takes an answer and records it; `q` quits."""
    first = json.loads(run(companies, "review", "--list", "--format", "json"))[0]
    main, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "osint", "--config", str(companies.config_path),
             "review", "--author", "ana", "--limit", "3"],
            stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        os.write(main, b"s\nq\n")
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(main)
        os.close(terminal)
    assert proc.returncode == 0, err
    assert first["name_a"] in out + err  # the pair was shown side by side
    assert ": positive (undo: osint review undo jdg-" in err
    made = [json.loads(line) for line in run(companies, "judgements", "export").splitlines()]
    assert [(j["record_a"], j["record_b"], j["judgement"], j["author"]) for j in made] == [
        (first["record_a"], first["record_b"], "positive", "ana")
    ]
