"""The screening audit log: one JSON line per screened query, outside the published store.

`<data_dir>/screening/audit.jsonl`. Each line: when, who, through what (cli, http, api), the
store file with its data, schema and model versions, the algorithm, the threshold, a SHA-256
of the query as received, and the results (profile ids, scores, match, role, indicators,
exclusions applied). Appends are locked (:mod:`osint.screen.journal`), so the HTTP server and
CLI runs can write at the same time.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from osint.errors import StoreError, UsageError
from osint.screen import journal
from osint.screen.queries import CargoLine, Traveler
from osint.screen.results import Result
from osint.store import utcnow

# The query's JSON as the first audits hashed it (standard-library spacing, sorted keys): the
# same query keeps the same hash across versions. One encoder, built once.
_QUERY_JSON = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False)


def query_hash(query: Traveler | CargoLine) -> str:
    fields = {f: getattr(query, f) for f in query.__slots__}
    body = _QUERY_JSON.encode(fields)
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()


# The audit is written before results are returned (a crashed process loses nothing); the
# disk is made to catch up (fsync) at most this often, by a background thread (an fsync here
# takes about 0.1 s: waiting for it held a one-process batch up a fifth of the time), and
# when the log is closed, which waits for the disk.
SYNC_EVERY = 0.5


class AuditLog:
    def __init__(self, path: Path, sync_every: float = SYNC_EVERY) -> None:
        self.path = path
        self.sync_every = sync_every
        self._synced = 0.0
        self._dirty = False
        self._syncing: threading.Thread | None = None
        self._failed: OSError | None = None

    def _sync(self) -> None:
        try:
            journal.sync(self.path)
        except OSError as exc:  # raised by the next write or close, in the caller's thread
            self._failed = exc

    def _raise_failed(self) -> None:
        if self._failed is not None:
            exc, self._failed = self._failed, None
            raise StoreError(
                f"cannot sync the audit log {self.path} ({exc}): check the disk"
            ) from exc

    def close(self) -> None:
        if self._syncing is not None:
            self._syncing.join()
            self._syncing = None
        self._raise_failed()
        if self._dirty:
            journal.sync(self.path)
            self._dirty = False

    def write(
        self,
        batch: Sequence[tuple[Traveler | CargoLine, Result, dict[str, str]]],
        who: str,
        interface: str,
        threshold: float,
    ) -> None:
        at = utcnow().isoformat(timespec="milliseconds") + "Z"
        entries: list[dict[str, Any]] = []
        for query, result, versions in batch:
            entries.append(
                {
                    "at": at,
                    "who": who,
                    "interface": interface,
                    **versions,
                    "threshold": threshold,
                    "query_id": result.query_id,
                    "query_kind": result.kind,
                    "query_sha256": query_hash(query),
                    "matched": result.matched,
                    "hits": [
                        {
                            "profile_id": h.profile_id,
                            "score": h.score,
                            "match": h.match,
                            "role": h.role,
                        }
                        for h in result.hits
                    ],
                    "indicators": [i.code for i in result.indicators],
                    "excluded": result.excluded,
                }
            )
        self._raise_failed()
        journal.append(self.path, entries, sync=False)
        self._dirty = True
        now = time.monotonic()
        idle = self._syncing is None or not self._syncing.is_alive()
        if idle and now - self._synced >= self.sync_every:
            # What is written now is on disk once this sync ends; later writes wait for the
            # next one (or close).
            self._synced, self._dirty = now, False
            self._syncing = threading.Thread(target=self._sync, name="audit-fsync", daemon=True)
            self._syncing.start()

    def entries(self) -> Iterator[dict[str, Any]]:
        return journal.read(self.path)


def _moment(value: str, option: str) -> str:
    """A time given as YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC; a trailing Z allowed), in
    the audit's own form, so that entries compare as strings (no parsing per line)."""
    text = value.strip().removesuffix("Z").replace(" ", "T")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment.isoformat(timespec="milliseconds") + "Z"
    raise UsageError(
        f"{option} {value!r} is not a time: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC)"
    )


def read_audit(
    path: Path,
    since: str | None = None,
    until: str | None = None,
    who: str | None = None,
    matched: bool | None = None,
) -> Iterator[dict[str, Any]]:
    """Audit entries, oldest first, filtered: from `since` (inclusive) to `until`
    (exclusive), by `who`, and by whether the query matched. Streams the file."""
    start = _moment(since, "--since") if since else None
    end = _moment(until, "--until") if until else None
    for entry in journal.read(path):
        at = str(entry.get("at", ""))
        if start is not None and at < start:
            continue
        if end is not None and at >= end:
            continue
        if who is not None and entry.get("who") != who:
            continue
        if matched is not None and bool(entry.get("matched")) != matched:
            continue
        yield entry
