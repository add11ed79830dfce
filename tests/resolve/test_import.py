"""`osint import`: per-row validation with line numbers, good rows kept, stable record ids."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zlib
from pathlib import Path

from typer.testing import CliRunner

from osint.cli.main import app
from osint.records import record_id
from osint.store import open_work_store
from tests.resolve.conftest import write_resolve_config


def _osint(config_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "osint", "--config", str(config_path), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_bad_rows_are_reported_by_line_and_good_rows_kept(tmp_path: Path) -> None:
    config = write_resolve_config(tmp_path)
    path = tmp_path / "list.csv"
    path.write_text(
        "id,kind,name,countries,phones,dob\n"
        "A1,organization,Hefei GSK Trade Co Ltd,CN,+86 551 6512 3456,\n"
        "A2,company,Bad Kind Ltd,CN,,\n"
        "A3,person,Ali Hassan,Narnia,,\n"
        "A4,person,Omar Said,EG,,1970-02-30\n"
        ",person,No Key,EG,,\n"
        "A6,person,Maria Lopez,MX,,1981\n",
        encoding="utf-8",
    )
    proc = _osint(config.config_path, "import", str(path), "--source", "analyst",
                  "--map", "id=source_key", "--format", "json")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    problems = [line for line in proc.stderr.splitlines() if "line " in line]
    assert [p.split(": ")[1] for p in problems] == ["line 3", "line 4", "line 5", "line 6"]
    assert "kind 'company' is not one of organization, person, vessel" in problems[0]
    assert "countries: 'Narnia' is not valid" in problems[1]
    assert proc.stderr.strip().splitlines()[-1].startswith("osint: error: 4 of 6 rows")
    summary = json.loads(proc.stdout)[0]
    assert (summary["rows_read"], summary["rows_kept"], summary["rows_bad"]) == (6, 2, 4)
    con = open_work_store(config.work_store, read_only=True)
    try:
        rows = con.sql(
            "SELECT record_id, source_key, phones, dob, names_norm FROM records ORDER BY 2"
        ).fetchall()
        doc = con.sql("SELECT url FROM documents").fetchall()
    finally:
        con.close()
    assert [r[1] for r in rows] == ["A1", "A6"]
    # The id comes from the source and the row's own key, never from the name.
    assert rows[0][0] == record_id("analyst", "A1")
    assert rows[0][2] == ["+8655165123456"]
    assert rows[1][3] == "1981"
    assert rows[0][4] == ["hefei gsk trade"]  # legal form dropped for matching
    assert doc[0][0] == path.resolve().as_uri()


def test_jsonl_import_and_reimport_updates_the_same_records(tmp_path: Path) -> None:
    config = write_resolve_config(tmp_path)
    path = tmp_path / "list.jsonl"
    row = {"source_key": "V1", "kind": "vessel", "name": "Ocean Star",
           "identifiers": ["imo:9176187"]}  # fmt: skip
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    args = ["--config", str(config.config_path), "import", str(path), "--source", "ships"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    row["name"] = "MV Ocean Star"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0, second.output
    con = open_work_store(config.work_store, read_only=True)
    try:
        rows = con.sql("SELECT record_id, name, identifiers FROM records").fetchall()
        docs = con.sql("SELECT body, size, content_sha256, content_type FROM documents").fetchall()
    finally:
        con.close()
    assert rows == [(record_id("ships", "V1"), "MV Ocean Star", ["imo:9176187"])]
    # The file itself is kept, as the document its records came from: the new version in
    # place of the old (one document per source and file).
    body = path.read_bytes()
    assert len(docs) == 1
    assert zlib.decompress(docs[0][0]) == body
    assert docs[0][1:] == (len(body), hashlib.sha256(body).hexdigest(), "application/x-ndjson")


def test_an_unknown_column_names_the_map_option(tmp_path: Path) -> None:
    config = write_resolve_config(tmp_path)
    path = tmp_path / "list.csv"
    path.write_text("source_key,kind,company\nX,organization,Acme\n", encoding="utf-8")
    proc = _osint(config.config_path, "import", str(path), "--source", "analyst")
    assert proc.returncode == 1
    assert "line 2: unknown column 'company': map it with --map company=FIELD" in proc.stderr


def test_a_dry_run_reports_the_problems_and_writes_nothing(tmp_path: Path) -> None:
    config = write_resolve_config(tmp_path)
    path = tmp_path / "list.csv"
    path.write_text(
        "source_key,kind,name\nA1,organization,Hefei GSK Trade Co Ltd\nA2,company,Bad Kind\n",
        encoding="utf-8",
    )
    open_work_store(config.work_store).close()  # a dry run reads an existing store only
    proc = _osint(config.config_path, "import", str(path), "--source", "analyst",
                  "--dry-run", "--format", "json")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "line 3: kind 'company' is not one of" in proc.stderr
    summary = json.loads(proc.stdout)[0]
    assert (summary["rows_read"], summary["rows_kept"], summary["dry_run"]) == (2, 1, True)
    con = open_work_store(config.work_store, read_only=True)
    try:
        written = con.sql(
            "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM documents), "
            "(SELECT count(*) FROM imports)"
        ).fetchall()[0]
    finally:
        con.close()
    assert written == (0, 0, 0)
