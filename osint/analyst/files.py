"""Writing an output file the user named, with a one-line error when it cannot be written."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from osint.errors import OsintError
from osint.store.work import sql_string


class OutputError(OsintError):
    """An output path the user gave cannot be written."""


def check_writable(path: Path) -> None:
    """Fail early, before any work, when `path` cannot be created or overwritten."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory; name a file instead")
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(f"cannot write {path}: permission denied; choose a writable path")


def write_text(path: Path, text: str) -> None:
    check_writable(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path} ({exc.strerror}): choose a writable path") from exc


def copy_parquet(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> None:
    """The rows of `sql` as a Parquet file at `path` (DuckDB's own writer)."""
    check_writable(path)
    try:
        con.execute(f"COPY ({sql}) TO {sql_string(path)} (FORMAT parquet)")
    except duckdb.IOException as exc:
        raise OutputError(
            f"cannot write {path} ({str(exc).splitlines()[0]}): choose a writable path"
        ) from exc
