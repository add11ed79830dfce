"""The work store: migrations, version refusal, the writer lock, unwritable directories."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import duckdb
import pytest

from osint.errors import StoreError, StoreLockedError, StoreVersionError
from osint.store import WriterLock, open_work_store
from osint.store.migrations import LATEST_WORK_VERSION, WORK_MIGRATIONS


def test_new_store_is_created_at_the_latest_version(tmp_path: Path) -> None:
    con = open_work_store(tmp_path / "work.duckdb")
    version = con.sql("SELECT max(version) FROM schema_migrations").fetchall()[0][0]
    assert version == LATEST_WORK_VERSION
    tables = {r[0] for r in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {"documents", "entries", "records", "judgements", "crawl_runs"} <= tables


def test_store_from_a_newer_osint_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "work.duckdb"
    open_work_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (99, 'future', now())")
    con.close()
    with pytest.raises(StoreVersionError, match="upgrade osint"):
        open_work_store(path)


def test_store_without_migrations_table_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "work.duckdb"
    duckdb.connect(str(path)).close()  # an empty DuckDB file: version 0
    con = open_work_store(path)
    assert con.sql("SELECT count(*) FROM records").fetchall()[0][0] == 0


def _store_at(path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """A work store as an older osint left it: migrations up to `version` applied."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                "description VARCHAR, applied_at TIMESTAMP)")  # fmt: skip
    for number, description, sql in WORK_MIGRATIONS[:version]:
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [number, description])
    return con


def test_profile_members_keep_their_rows_when_their_index_is_dropped(tmp_path: Path) -> None:
    """Version 5 rebuilds profile_members without its primary key: a store resolved by an
    older osint keeps every member, and the next resolve can rewrite the table."""
    path = tmp_path / "work.duckdb"
    con = _store_at(path, 4)
    con.execute(
        "INSERT INTO profile_members VALUES ('rec-a', 'prof-1', 0.97), ('rec-b', 'prof-1', NULL)"
    )
    con.close()
    con = open_work_store(path)
    rows = con.sql("SELECT * FROM profile_members ORDER BY record_id").fetchall()
    assert rows == [("rec-a", "prof-1", 0.97), ("rec-b", "prof-1", None)]
    keys = con.sql(
        "SELECT count(*) FROM duckdb_constraints() "
        "WHERE table_name = 'profile_members' AND constraint_type = 'PRIMARY KEY'"
    )
    assert keys.fetchall()[0][0] == 0


def test_pairs_scored_before_levels_were_kept_still_show_their_reasons(tmp_path: Path) -> None:
    """Version 6 keeps the level each comparison reached instead of a JSON of reasons: the
    pairs of a store resolved by an older osint keep theirs in review until the next run."""
    from osint.resolve.review import queue

    path = tmp_path / "work.duckdb"
    con = _store_at(path, 5)
    reasons = '{"name": {"level": "Exact match on name_norm", "weight": 16.6}}'
    con.execute("INSERT INTO match_pairs VALUES ('rec-a', 'rec-b', 0.8, 2.0, ?)", [reasons])
    con.close()
    con = open_work_store(path)
    (pair,) = queue(con, 0.9)
    assert pair["reasons"] == {"name": {"level": "Exact match on name_norm", "weight": 16.6}}


def _hold_lock(
    data_dir: str, ready: multiprocessing.synchronize.Event, done: multiprocessing.synchronize.Event
) -> None:
    with WriterLock(Path(data_dir), "osint crawl"):
        ready.set()
        done.wait(30)


def test_second_writer_gets_a_clear_locked_error(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready, done = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(tmp_path), ready, done))
    proc.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreLockedError, match=r"locked by another osint run \(pid \d+"):
            with WriterLock(tmp_path, "osint extract"):
                pass
    finally:
        done.set()
        proc.join(30)
    # Once the other run ends (even if killed), the lock is free again.
    with WriterLock(tmp_path, "osint extract"):
        pass


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/osint-cannot-write-here")
    else:
        target = tmp_path / "ro" / "data"
        (tmp_path / "ro").mkdir()
        (tmp_path / "ro").chmod(0o500)
    with pytest.raises(StoreError, match="not writable"):
        with WriterLock(target, "osint crawl"):
            pass


def test_corrupt_store_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "work.duckdb"
    path.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(StoreError, match=r"cannot open|not a readable DuckDB"):
        open_work_store(path)
