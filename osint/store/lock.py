"""The work store's writer lock: one pipeline run writes at a time.

A plain `fcntl.flock` on `<data_dir>/work.lock`, released by the kernel when the process
dies, so a killed run never leaves a stale lock behind. The file records who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from osint.errors import StoreError, StoreLockedError


class WriterLock:
    """Hold the writer lock on a data directory for the life of a `with` block."""

    def __init__(self, data_dir: Path, command: str) -> None:
        self.path = data_dir / "work.lock"
        self.command = command
        self._fh: IO[str] | None = None

    def __enter__(self) -> WriterLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise StoreError(
                f"data directory {self.path.parent} is not writable ({exc.strerror}): "
                "pass --data-dir DIR or set OSINT_DATA_DIR to a writable directory"
            ) from exc
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            who = ""
            try:
                info = json.loads(holder)
                who = f" (pid {info['pid']}, `{info['command']}` since {info['since']})"
            except (ValueError, KeyError, TypeError):
                pass
            raise StoreLockedError(
                f"work store in {self.path.parent} is locked by another osint run{who}: "
                "wait for it to finish, or use another --data-dir"
            ) from exc
        fh.seek(0)
        fh.truncate()
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        fh.write(json.dumps({"pid": os.getpid(), "command": self.command, "since": since}))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fh is not None:
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


def command_line() -> str:
    """A short description of this process for the lock file."""
    return " ".join(["osint", *sys.argv[1:]])[:200]
