"""The Python API: following publications, refusing old stores, exclusions and the audit log."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from osint.cli.screen import screening_paths
from osint.config import Config
from osint.errors import NotPublishedError, StoreVersionError
from osint.screen import Screener, Traveler
from tests.screen.conftest import MakeScreener

WEHBE = Traveler("q1", "Bilal Mohsen Wehbe", dob="1967-01-07")


def _osint(config: Config, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "osint", "--config", str(config.config_path), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_new_publication_is_picked_up_without_restart(
    published_copy: Config, make_screener: MakeScreener
) -> None:
    screener = make_screener()
    before = screener.version()["data_version"]
    assert screener.screen_traveler(WEHBE).matched
    published = _osint(published_copy, "publish")
    assert published.returncode == 0, published.stderr
    after = screener.version()["data_version"]
    assert int(after) == int(before) + 1
    result = screener.screen_traveler(WEHBE)
    assert result.matched
    audit = list(screener.audit.entries())
    assert [e["data_version"] for e in audit] == [before, after]


def test_missing_or_older_store_is_one_clear_error(published_copy: Config, tmp_path: Path) -> None:
    paths = screening_paths(published_copy)
    missing = paths.__class__(
        tmp_path / "none.duckdb", paths.exclusions, paths.audit, paths.lexicon
    )
    with pytest.raises(NotPublishedError, match="run `osint publish`"):
        Screener(missing)
    old = tmp_path / "old.duckdb"
    shutil.copy(paths.store, old)
    con = duckdb.connect(str(old))
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreVersionError, match="publish it again"):
        Screener(paths.__class__(old, paths.exclusions, paths.audit, paths.lexicon))
    con = duckdb.connect(str(old))
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.execute("DROP TABLE screen_key_stats")
    con.close()
    with pytest.raises(StoreVersionError, match="no screening indexes"):
        Screener(paths.__class__(old, paths.exclusions, paths.audit, paths.lexicon))


def test_exclusion_survives_a_rebuild_and_stays_per_query(
    published_copy: Config, make_screener: MakeScreener
) -> None:
    screener = make_screener()
    first = screener.screen_traveler(WEHBE)
    hit = first.hits[0]
    assert hit.fingerprint == first.fingerprints["traveler"]
    screener.exclude(hit.fingerprint, hit.profile_id, "analyst-7", "other man, born in Beirut")
    again = screener.screen_traveler(Traveler("q2", "WEHBE Bilal Mohsen", dob="1967-01-07"))
    assert hit.profile_id not in [h.profile_id for h in again.hits]  # same fingerprint
    assert again.excluded == [hit.profile_id]
    other = screener.screen_traveler(Traveler("q3", "Bilal Mohsen Wehbe", dob="1967"))
    assert other.hits[0].profile_id == hit.profile_id  # a different query is not excluded
    assert _osint(published_copy, "publish").returncode == 0
    fresh = make_screener()
    assert hit.profile_id in fresh.screen_traveler(WEHBE).excluded


def test_exclusion_follows_a_merged_profile(
    published_copy: Config, make_screener: MakeScreener
) -> None:
    screener = make_screener()
    hit = screener.screen_traveler(WEHBE).hits[0]
    screener.exclude(hit.fingerprint, "prof-retired0000000001", "analyst-7", "")
    assert screener.screen_traveler(WEHBE).hits[0].profile_id == hit.profile_id
    screener.close()
    # The retired id is merged into the surviving profile: a referent, as resolution writes.
    store = published_copy.profile_store
    con = duckdb.connect(str(store))
    con.execute("INSERT INTO referents VALUES ('prof-retired0000000001', ?)", [hit.profile_id])
    con.close()
    after = make_screener().screen_traveler(WEHBE)
    assert after.excluded == [hit.profile_id]


def test_audit_records_who_when_versions_query_hash_and_results(
    make_screener: MakeScreener,
) -> None:
    screener = make_screener(who="officer-9", interface="api")
    result = screener.screen_traveler(WEHBE)
    [entry] = list(screener.audit.entries())
    assert entry["who"] == "officer-9"
    assert entry["interface"] == "api"
    assert entry["at"].endswith("Z")
    assert entry["data_version"] == screener.version()["data_version"]
    assert entry["model_version"].startswith("osint.records")
    assert entry["query_sha256"].startswith("sha256:")
    assert entry["hits"][0]["profile_id"] == result.hits[0].profile_id
    assert entry["hits"][0]["match"] is True
    assert "Wehbe" not in json.dumps(entry)  # the query itself is only hashed


_WRITER = """
import sys
from pathlib import Path
from osint.screen import journal
path, tag = Path(sys.argv[1]), sys.argv[2]
for i in range(300):
    journal.append(path, [{"writer": tag, "i": i, "pad": "x" * 3000}])
"""


def test_concurrent_processes_append_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), tag]) for tag in "abc"]
    for p in procs:
        assert p.wait(timeout=120) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 900
    for tag in "abc":
        assert [e["i"] for e in entries if e["writer"] == tag] == list(range(300))


def test_a_batch_pauses_garbage_collection_only_while_it_runs(
    make_screener: MakeScreener,
) -> None:
    """A batch screens with the collector paused (its cost was a third of a batch); the
    process gets it back when the batch ends, also when the caller stops early (an HTTP
    server must not be left without one)."""
    import gc

    screener = make_screener()
    queries = [Traveler(f"q{i}", "Bilal Mohsen Wehbe") for i in range(3)]
    batch = screener.screen_many(queries)
    next(batch)
    assert not gc.isenabled()
    batch.close()  # the caller stopped after one result
    assert gc.isenabled()
    assert len(list(screener.screen_many(queries))) == 3
    assert gc.isenabled()
