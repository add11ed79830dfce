"""Reading the published profile store (read-only), as screening systems do."""

from __future__ import annotations

from pathlib import Path

import duckdb

from osint.errors import NotPublishedError, StoreError, StoreVersionError
from osint.store.publish import PROFILE_SCHEMA_VERSION
from osint.store.work import sql_string


def open_profile_store(path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the published store attached read-only as `store`.

    The store's tables are reachable unqualified (the search path includes it), and the
    connection stays writable for temporary work (Splink needs that).
    """
    if not path.exists():
        raise NotPublishedError(
            f"no published profile store at {path}: run `osint publish` (or `osint run`)"
        )
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {sql_string(path)} AS store (READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        raise StoreError(
            f"cannot read the profile store {path} ({str(exc).splitlines()[0]}): "
            "publish it again with `osint publish`"
        ) from exc
    con.execute("SET search_path = 'store.main,memory.main'")
    version = int(meta(con).get("schema_version", "0"))
    if version > PROFILE_SCHEMA_VERSION:
        con.close()
        raise StoreVersionError(
            f"{path} has profile schema {version}, this osint reads up to "
            f"{PROFILE_SCHEMA_VERSION}: upgrade osint"
        )
    return con


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The store's `meta` table as a dict."""
    try:
        return dict(con.sql("SELECT key, value FROM store.meta").fetchall())
    except duckdb.CatalogException as exc:
        raise StoreError("the profile store has no meta table: publish it again") from exc
