"""Opening the profile store for analysts and resolving a (possibly retired) profile id."""

from __future__ import annotations

from pathlib import Path

import duckdb

from osint.errors import OsintError, StoreError, StoreVersionError
from osint.store import meta, open_profile_store

#: The oldest profile schema these commands read (aliases, source_seen, link evidence: v2).
MIN_SCHEMA_VERSION = 2
_TABLES = ("profiles", "profile_records", "profile_keys", "profile_links", "referents")


class UnknownProfileError(OsintError):
    """A profile id that is neither a current nor a retired profile."""


def open_for_analysis(path: Path) -> duckdb.DuckDBPyConnection:
    """The profile store, read-only, checked to be a store these commands can read."""
    con = open_profile_store(path)
    try:
        version = int(meta(con).get("schema_version", "0"))
        if version < MIN_SCHEMA_VERSION:
            raise StoreVersionError(
                f"{path} has profile schema {version}, older than {MIN_SCHEMA_VERSION}: "
                "publish it again with `osint publish`"
            )
        present = {row[0] for row in con.sql("SHOW TABLES").fetchall()}
        missing = [t for t in _TABLES if t not in present]
        if missing:
            raise StoreError(
                f"the profile store {path} has no {', '.join(missing)} table: "
                "publish it again with `osint publish`"
            )
    except BaseException:
        con.close()
        raise
    return con


def resolve_profile_id(con: duckdb.DuckDBPyConnection, any_id: str) -> str:
    """The current profile id for a current or retired id; an unknown id is an error."""
    rows = con.execute(
        "SELECT profile_id FROM profiles WHERE profile_id = ? "
        "UNION ALL SELECT profile_id FROM referents WHERE referent_id = ?",
        [any_id, any_id],
    ).fetchall()
    if not rows:
        raise UnknownProfileError(
            f"no profile {any_id!r} in the profile store (current or retired): "
            f"find its id with `osint search NAME`"
        )
    return str(rows[0][0])
