"""Exclusions: "this query is not that profile", recorded by an analyst or a screening system.

Kept in `<data_dir>/screening/exclusions.jsonl`, outside the published store, so they survive
every rebuild. An exclusion names a query fingerprint and the profile id as the analyst saw
it; when that profile is later merged into another, the store's referents (`profile_lookup`)
carry the exclusion over to the surviving profile. Removing one appends a removal: nothing is
ever rewritten.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from osint.errors import OsintError, UsageError
from osint.screen import journal
from osint.store import utcnow


class NotFound(OsintError):
    """No active exclusion has that id."""


# Another process's additions are noticed within this many seconds.
CHECK_EVERY = 0.05


@dataclass(slots=True)
class Exclusion:
    exclusion_id: str
    fingerprint: str
    profile_id: str
    author: str
    reason: str
    created_at: str
    action: str = "exclude"  # or "remove"


class Exclusions:
    """The exclusions file, re-read whenever another process appended to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        self._active: dict[str, Exclusion] = {}

    def _load(self) -> dict[str, Exclusion]:
        now = time.monotonic()
        if self._stamp is not None and now - self._checked < CHECK_EVERY:
            return self._active
        self._checked = now
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = (0, 0)
        if stamp != self._stamp:
            active: dict[str, Exclusion] = {}
            for entry in journal.read(self.path):
                ex = Exclusion(**entry)
                if ex.action == "remove":
                    active.pop(ex.exclusion_id, None)
                else:
                    active[ex.exclusion_id] = ex
            self._active, self._stamp = active, stamp
        return self._active

    @property
    def version(self) -> tuple[tuple[int, int] | None, int]:
        """Changes whenever the file does (another process appended to it)."""
        active = self._load()
        return self._stamp, len(active)

    def add(self, fingerprint: str, profile_id: str, author: str, reason: str) -> Exclusion:
        if not fingerprint.startswith("fp-") or not profile_id:
            raise UsageError(
                f"exclusion needs a query fingerprint (fp-..., from a screening result) and a "
                f"profile id, got {fingerprint!r} and {profile_id!r}"
            )
        if not author.strip():
            raise UsageError("exclusion needs an author: give --author NAME")
        ex_id = "exc-" + hashlib.sha256(f"{fingerprint}|{profile_id}".encode()).hexdigest()[:16]
        ex = Exclusion(ex_id, fingerprint, profile_id, author, reason, utcnow().isoformat() + "Z")
        journal.append(self.path, [asdict(ex)])
        self._stamp = None  # read it again on next use
        return ex

    def remove(self, exclusion_id: str, author: str, reason: str = "") -> Exclusion:
        """Withdraw an active exclusion: appends a `remove` line (who, when, why); the
        original line stays, so the file is the whole history."""
        if not author.strip():
            raise UsageError("withdrawing an exclusion needs an author: give --author NAME")
        self._stamp = None  # another process may have appended since
        current = self._load().get(exclusion_id)
        if current is None:
            raise NotFound(
                f"no active exclusion {exclusion_id!r} (never recorded, or already "
                "withdrawn): see `osint screen exclusions`"
            )
        entry: dict[str, Any] = asdict(current)
        entry.update(
            action="remove",
            author=author,
            reason=reason or current.reason,
            created_at=utcnow().isoformat() + "Z",
        )
        journal.append(self.path, [entry])
        self._stamp = None
        return Exclusion(**entry)

    def active(self) -> list[Exclusion]:
        return sorted(self._load().values(), key=lambda e: e.created_at)

    def resolved(self, con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
        """(fingerprint, current profile id) pairs, following referents of merged profiles."""
        active = self._load()
        if not active:
            return set()
        ids = sorted({e.profile_id for e in active.values()})
        lookup = dict(
            con.execute(
                "SELECT any_id, profile_id FROM profile_lookup WHERE any_id = ANY($ids)",
                {"ids": ids},
            ).fetchall()
        )
        return {(e.fingerprint, lookup.get(e.profile_id, e.profile_id)) for e in active.values()}
