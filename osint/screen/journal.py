"""Append-only JSON lines files that several processes write at once (audit, exclusions).

Each append takes an exclusive `flock` on the file, writes whole lines with `write` calls
under the lock, optionally fsyncs, and releases: an HTTP server and CLI runs can append to the
same file at once and every line stays whole (docs/decisions/0004-screening.md).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from osint.errors import StoreError
from osint.jsonlines import json_line


def append(path: Path, entries: Iterable[dict[str, Any]], sync: bool = True) -> None:
    """Append entries (one JSON object per line) under an exclusive lock; `sync` also waits
    for the disk (fsync), otherwise the kernel writes them out a little later."""
    data = b"".join(json_line(e, sort_keys=True) for e in entries)
    if not data:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    except OSError as exc:
        raise StoreError(
            f"cannot append to {path} ({exc.strerror}): check the data directory"
        ) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def sync(path: Path) -> None:
    """Wait until everything appended to `path` is on disk."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path) -> Iterator[dict[str, Any]]:
    """Every entry of the file (none when it does not exist); a torn last line is skipped,
    a line that is not a JSON object anywhere else stops the reading with its line number."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
        try:
            for number, line in enumerate(fh, start=1):
                if not line.endswith("\n"):
                    break
                try:
                    entry = json.loads(line)
                except ValueError as exc:
                    raise StoreError(
                        f"{path}:{number}: not a JSON line ({exc}): the file was edited "
                        "by hand or damaged; restore it from a backup"
                    ) from exc
                if not isinstance(entry, dict):
                    raise StoreError(f"{path}:{number}: not a JSON object")
                yield entry
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
