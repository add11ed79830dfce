"""`osint changes`: what each publication added, changed and removed, for polling systems."""

from __future__ import annotations

import json

from osint.config import Config
from osint.pipeline import publish_stage, resolve_stage
from osint.store import open_work_store
from tests.cli.test_cli import osint


def _changes(config: Config, since: int) -> list[dict[str, object]]:
    result = osint(
        "--config", str(config.config_path), "changes", "--since", str(since), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_changes_since_each_publication(published_copy: Config) -> None:
    first = _changes(published_copy, 0)
    assert first, "the first publication adds every profile"
    assert {r["change"] for r in first} == {"added"}
    added = {r["profile_id"] for r in first}

    # Publishing again without new data changes nothing.
    again = publish_stage(published_copy)
    assert _changes(published_copy, again.data_version - 1) == []

    # A listing renamed upstream, and one delisted and dropped from the store.
    con = open_work_store(published_copy.work_store)
    renamed, dropped = (
        r[0]
        for r in con.sql(
            "SELECT record_id FROM records WHERE source = 'ofac_sdn' ORDER BY record_id LIMIT 2"
        ).fetchall()
    )
    profile_of = dict(con.sql("SELECT record_id, profile_id FROM profile_members").fetchall())
    con.execute("UPDATE records SET name = name || ' TRADING' WHERE record_id = ?", [renamed])
    con.execute("DELETE FROM records WHERE record_id = ?", [dropped])
    con.close()
    resolve_stage(published_copy)
    third = publish_stage(published_copy)
    latest = _changes(published_copy, third.data_version - 1)
    by_id = {r["profile_id"]: r["change"] for r in latest}
    assert by_id[profile_of[renamed]] == "changed"
    assert by_id[profile_of[dropped]] == "removed"
    assert set(by_id) <= added
    # The full history stays in the store: since 0 now holds all three publications.
    assert {r["data_version"] for r in _changes(published_copy, 0)} == {1, third.data_version}


def test_changes_errors_are_one_line(published_copy: Config) -> None:
    bad = osint("--config", str(published_copy.config_path), "changes", "--since", "-1")
    assert bad.returncode == 2
    assert "--since must be a data version" in bad.stderr
