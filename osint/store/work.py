"""Opening the work store: the DuckDB file every pipeline stage reads and writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from osint.errors import StoreError, StoreLockedError, StoreVersionError
from osint.store.migrations import LATEST_WORK_VERSION, WORK_MIGRATIONS


def sql_string(value: object) -> str:
    """A SQL string literal (for statements that take no parameters, such as ATTACH)."""
    return "'" + str(value).replace("'", "''") + "'"


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (DuckDB TIMESTAMP columns hold naive UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file with errors turned into one-line messages."""
    if read_only and not path.exists():
        raise StoreError(f"no work store at {path}: run `osint crawl` first (or check --data-dir)")
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreLockedError(
                f"{path} is open in another process: wait for that osint run to finish"
            ) from exc
        raise StoreError(f"cannot open {path}: {text.splitlines()[0]}") from exc
    except OSError as exc:
        raise StoreError(
            f"cannot create {path} ({exc.strerror}): pass --data-dir DIR with a writable directory"
        ) from exc
    except duckdb.Error as exc:
        raise StoreError(
            f"{path} is not a readable DuckDB file ({str(exc).splitlines()[0]}): "
            "restore it from a backup or move it away and crawl again"
        ) from exc


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    tables = {r[0] for r in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "schema_migrations" not in tables:
        return 0
    row = con.sql("SELECT max(version) FROM schema_migrations").fetchall()[0]
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Bring the store to the latest schema; refuse a store from a newer osint."""
    current = schema_version(con)
    if current > LATEST_WORK_VERSION:
        raise StoreVersionError(
            f"{path} has schema version {current} but this osint knows up to "
            f"{LATEST_WORK_VERSION}: upgrade osint, or use another --data-dir"
        )
    if current == 0:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
        )
    for version, description, sql in WORK_MIGRATIONS:
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, description, utcnow()]
            )
            con.execute("COMMIT")
        except duckdb.Error:
            con.execute("ROLLBACK")
            raise
    return LATEST_WORK_VERSION


def open_work_store(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and, for writers, create or migrate) the work store at `path`."""
    con = connect(path, read_only=read_only)
    try:
        if read_only:
            version = schema_version(con)
            if version > LATEST_WORK_VERSION:
                raise StoreVersionError(
                    f"{path} has schema version {version} but this osint knows up to "
                    f"{LATEST_WORK_VERSION}: upgrade osint"
                )
        else:
            migrate(con, path)
    except BaseException:
        con.close()
        raise
    return con
