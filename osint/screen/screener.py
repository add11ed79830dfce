"""`Screener`: the Python API screening systems use (and the CLI and HTTP server too).

It holds the published store open read-only and, before each call, checks whether `publish`
replaced the file (inode, mtime and size of the path): if so it opens the new version, so a
long-running process follows publications without a restart. Every call is audited, and
exclusions are applied, before results are returned.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import logging
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from osint.errors import OsintError, StoreError, StoreVersionError
from osint.screen.audit import AuditLog
from osint.screen.collection import RareCollections
from osint.screen.exclusions import Exclusion, Exclusions
from osint.screen.features import Party
from osint.screen.index import ScreenIndex
from osint.screen.indicators import CargoIndicators, linked_to_flagged
from osint.screen.matcher import match_party
from osint.screen.model import Model
from osint.screen.queries import CargoLine, Traveler, cargo_parties, fingerprint, traveler_party
from osint.screen.results import ALGORITHM, Hit, Result
from osint.store import meta, open_profile_store
from osint.store.screening_views import SCREENING_TABLES

# The oldest profile schema screening can read (version 2 added profile_links evidence).
MIN_SCHEMA_VERSION = 2
# Audit lines are appended in batches of this many queries during a batch run.
AUDIT_BATCH = 200
# Parties remembered per store version (least recently used dropped first): manifests repeat
# their forwarders, shippers and consignees across a long batch.
PARTY_CACHE = 100_000
# A new publication is noticed within this many seconds (one stat of the file per check).
CHECK_EVERY = 0.05

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScreeningPaths:
    """Where screening keeps what must survive a rebuild: outside the published store."""

    store: Path
    exclusions: Path
    audit: Path
    lexicon: Path
    # The resolution model to score with when the store carries none (published before
    # stores kept `model_settings`): the configured model file. None: refuse such a store.
    model: Path | None = None

    @classmethod
    def under(
        cls, data_dir: Path, store: Path, lexicon: Path, model: Path | None = None
    ) -> ScreeningPaths:
        return cls(
            store,
            data_dir / "screening" / "exclusions.jsonl",
            data_dir / "screening" / "audit.jsonl",
            lexicon,
            model,
        )


def load_model(info: dict[str, str], store: Path | str, model: Path | None) -> tuple[Model, str]:
    """The model the store was published with (its `meta.model_settings`), else the model
    file `model` (the configured one); (model, where it came from: "store" or the file)."""
    text = info.get("model_settings", "")
    if text.strip():
        return Model.from_json(text, f"{store} (meta.model_settings)"), "store"
    if model is None or not model.exists():
        raise StoreVersionError(
            f"{store} carries no resolution model (meta.model_settings) and no model "
            f"file is configured{f' ({model} is missing)' if model else ''}: "
            "publish it again with `osint publish`"
        )
    data = model.read_bytes()
    published = info.get("model_version", "")
    digest = hashlib.sha256(data).hexdigest()[:12]
    if published and not published.endswith(digest):
        log.warning(
            "%s was published with model %s but carries no copy of it; scoring with %s "
            "(sha %s): publish again to score with the store's own model",
            store,
            published,
            model,
            digest,
        )
    return Model.from_json(data.decode("utf-8"), str(model)), str(model)


@cache
def _unfreeze_at_exit() -> None:
    """Frozen objects are never collected, not even at exit (DuckDB's bindings then report
    leaks): unfreeze before the interpreter shuts down, also for a Screener never closed.
    Registered once per process."""
    atexit.register(gc.unfreeze)


def _stamp(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Screener:
    """Screen travelers and cargo lines against the published profile store.

    Example::

        with Screener(paths, threshold=0.75) as s:
            result = s.screen_traveler(Traveler("q1", "Bilal Mohsen Wehbe", dob="1967"))
    """

    def __init__(
        self,
        paths: ScreeningPaths,
        threshold: float = 0.75,
        limit: int = 5,
        who: str | None = None,
        interface: str = "api",
    ) -> None:
        self.paths = paths
        self.threshold = threshold
        self.limit = limit
        self.who = who or os.environ.get("USER") or "unknown"
        self.interface = interface
        self.exclusions = Exclusions(paths.exclusions)
        self.audit = AuditLog(paths.audit)
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._checked = 0.0
        self._meta: dict[str, str] = {}
        self._indicators: CargoIndicators | None = None
        self._index: ScreenIndex | None = None
        self._model: Model | None = None
        self._model_source = ""
        # Parties recur on manifests (the same forwarders, the same consignees): their hits
        # are kept per store version, keyed by what the party says (emptied when full).
        self._party_cache: OrderedDict[tuple[str, str, str, float], list[Hit]] = OrderedDict()
        self._excluded_cache: tuple[Any, set[tuple[str, str]]] | None = None
        self._refresh()

    # -- store ---------------------------------------------------------------------------
    def _open(self) -> None:
        con = open_profile_store(self.paths.store)
        info = meta(con)
        version = int(info.get("schema_version", "0"))
        if version < MIN_SCHEMA_VERSION:
            con.close()
            raise StoreVersionError(
                f"{self.paths.store} has profile schema {version}, screening needs "
                f"{MIN_SCHEMA_VERSION} or later: publish it again with `osint publish`"
            )
        present = {
            r[0]
            for r in con.sql(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'store'"
            ).fetchall()
        }
        missing = [t for t in SCREENING_TABLES if t not in present]
        if missing:
            con.close()
            raise StoreVersionError(
                f"{self.paths.store} has no screening indexes ({', '.join(missing)}): it was "
                "published by an older osint; publish it again with `osint publish`"
            )
        try:
            model, source = load_model(info, self.paths.store, self.paths.model)
        except OsintError:
            con.close()
            raise
        index = ScreenIndex.load(con, info.get("data_version", ""))
        if self._con is not None:
            self._con.close()
        self._con, self._meta, self._index = con, info, index
        self._model, self._model_source = model, source
        # A full garbage collection walks every object of the process (imports and the
        # index: 0.1 s here), and the scoring's small allocations trigger one every few
        # hundred queries. Objects alive now are long-lived: freeze them, so collections
        # skip them (reference counting still frees them); `close` unfreezes.
        gc.collect()
        gc.freeze()
        _unfreeze_at_exit()
        self._excluded_cache = None
        self._party_cache.clear()

    def _refresh(self) -> duckdb.DuckDBPyConnection:
        now = time.monotonic()
        if self._con is None or now - self._checked >= CHECK_EVERY:
            self._checked = now
            try:
                stamp = _stamp(self.paths.store)
            except FileNotFoundError:
                stamp = None
            if self._con is None or (stamp is not None and stamp != self._stamp):
                self._open()
                self._stamp = stamp
        if self._con is None:
            raise StoreError(
                f"the profile store {self.paths.store} is not open: run `osint publish`"
            )
        return self._con

    @property
    def index(self) -> ScreenIndex:
        if self._index is None:
            raise StoreError(f"the profile store {self.paths.store} is not open")
        return self._index

    @property
    def model(self) -> Model:
        if self._model is None:
            raise StoreError(f"the profile store {self.paths.store} is not open")
        return self._model

    def version(self) -> dict[str, str]:
        """Store and model versions of the snapshot in use (refreshed first)."""
        with self._lock:
            self._refresh()
            return {
                "algorithm": ALGORITHM,
                "store": str(self.paths.store),
                "schema_version": self._meta.get("schema_version", ""),
                "data_version": self._meta.get("data_version", ""),
                "built_at": self._meta.get("built_at", ""),
                "model_version": self._meta.get("model_version", ""),
                "model_source": self._model_source,
                "profiles": self._meta.get("profiles", ""),
                "osint_version": self._meta.get("osint_version", ""),
            }

    def close(self) -> None:
        with self._lock:
            gc.unfreeze()
            self.audit.close()
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Screener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- exclusions ------------------------------------------------------------------------
    def exclude(self, fingerprint: str, profile_id: str, author: str, reason: str) -> Exclusion:
        with self._lock:
            return self.exclusions.add(fingerprint, profile_id, author, reason)

    def withdraw_exclusion(self, exclusion_id: str, author: str, reason: str = "") -> Exclusion:
        """Withdraw an exclusion (by its exc-... id): the profile is reported again."""
        with self._lock:
            return self.exclusions.remove(exclusion_id, author, reason)

    def _excluded(self, con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
        key = (self._stamp, self.exclusions.version)
        if self._excluded_cache is None or self._excluded_cache[0] != key:
            self._excluded_cache = (key, self.exclusions.resolved(con))
        return self._excluded_cache[1]

    def _apply_exclusions(self, con: duckdb.DuckDBPyConnection, result: Result) -> Result:
        excluded = self._excluded(con)
        if not excluded:
            return result
        kept: list[Hit] = []
        for hit in result.hits:
            if (hit.fingerprint, hit.profile_id) in excluded:
                result.excluded.append(hit.profile_id)
            else:
                kept.append(hit)
        result.hits = kept
        return result

    # -- screening -------------------------------------------------------------------------
    def _hits(self, parties: list[Party], threshold: float) -> list[Hit]:
        best: dict[str, Hit] = {}
        for party in parties:
            fp = fingerprint(party)
            key = (fp, party.role, party.name, threshold)
            hits = self._party_cache.get(key)
            if hits is None:
                hits = match_party(self.index, self.model, party, threshold, self.limit)
                if len(self._party_cache) >= PARTY_CACHE:
                    self._party_cache.popitem(last=False)  # O(1) in an OrderedDict
                self._party_cache[key] = hits
            else:
                self._party_cache.move_to_end(key)
            for c in hits:  # copies: results are the caller's to change
                hit = Hit(
                    c.profile_id,
                    c.name,
                    c.kind,
                    c.score,
                    c.match,
                    c.role,
                    list(c.risk_flags),
                    list(c.explanations),
                    c.query_name,
                    fp,
                )
                old = best.get(hit.profile_id)
                if old is None or hit.score > old.score:
                    best[hit.profile_id] = hit
        return sorted(best.values(), key=lambda h: (-h.score, h.profile_id))

    def _traveler(self, con: duckdb.DuckDBPyConnection, q: Traveler, threshold: float) -> Result:
        party = traveler_party(q)
        result = Result(
            q.id,
            ALGORITHM,
            self._hits([party], threshold),
            "traveler",
            fingerprints={"traveler": fingerprint(party)},
        )
        result.hits = result.hits[: self.limit]
        return self._apply_exclusions(con, result)

    def _cargo(self, con: duckdb.DuckDBPyConnection, line: CargoLine, threshold: float) -> Result:
        if self._indicators is None:
            self._indicators = CargoIndicators(self.paths.lexicon)
        parties = cargo_parties(line)
        result = Result(
            line.id,
            ALGORITHM,
            self._hits(parties, threshold),
            "cargo",
            fingerprints={p.role: fingerprint(p) for p in parties},
        )
        result = self._apply_exclusions(con, result)
        ind = self._indicators
        result.indicators = [
            *ind.hs_code(line.hs_code),
            *ind.description(line.goods_description, line.hs_code),
            *linked_to_flagged(
                self.index,
                [h for h in result.hits if h.match],
                {p.role: p.name for p in parties if p.role != "vessel"},
            ),
        ]
        return result

    def _one(self, q: Traveler | CargoLine, threshold: float) -> tuple[Result, dict[str, str]]:
        with self._lock:
            con = self._refresh()
            if isinstance(q, Traveler):
                result = self._traveler(con, q, threshold)
            else:
                result = self._cargo(con, q, threshold)
            return result, self.version_unlocked()

    def _results(
        self, queries: Iterable[Traveler | CargoLine], threshold: float, workers: int
    ) -> Iterator[tuple[Traveler | CargoLine, Result, dict[str, str]]]:
        if workers <= 1:
            with RareCollections() as pause:
                for q in queries:
                    yield (q, *self._one(q, threshold))
                    pause.tick()
            return
        # Forked workers share the loaded index (copy on write); each opens its own DuckDB
        # connection. Results come back in input order; the parent writes the audit.
        with self._lock:
            con = self._refresh()
            self._excluded(con)
            if self._indicators is None:
                self._indicators = CargoIndicators(self.paths.lexicon)
        ctx = multiprocessing.get_context("fork")
        # The index is frozen (see _open): the children's collections do not touch, and so
        # do not copy, its pages.
        with (
            ctx.Pool(workers, initializer=_worker_init, initargs=(self,)) as pool,
            RareCollections() as pause,
        ):
            # Chunks of 64 lines: the parent's share of a line (pickling, the pool's threads)
            # is 0.15 ms against 0.20 with 16 (12,000 lines at 1M, alternating runs).
            for out in pool.imap(_worker_screen, ((q, threshold) for q in queries), chunksize=64):
                yield out
                pause.tick()

    def _audited(
        self,
        queries: Iterable[Traveler | CargoLine],
        threshold: float | None,
        who: str | None,
        workers: int = 1,
    ) -> Iterator[Result]:
        limit = threshold if threshold is not None else self.threshold
        batch: list[tuple[Traveler | CargoLine, Result, dict[str, str]]] = []
        try:
            for q, result, versions in self._results(queries, limit, workers):
                batch.append((q, result, versions))
                if len(batch) >= AUDIT_BATCH:
                    self.audit.write(batch, who or self.who, self.interface, limit)
                    batch = []
                yield result
        finally:
            # Also when the consumer stops early: what was screened is audited.
            self.audit.write(batch, who or self.who, self.interface, limit)

    def version_unlocked(self) -> dict[str, str]:
        return {
            "store": str(self.paths.store),
            "data_version": self._meta.get("data_version", ""),
            "model_version": self._meta.get("model_version", ""),
            "model_source": self._model_source,
            "schema_version": self._meta.get("schema_version", ""),
            "algorithm": ALGORITHM,
        }

    def _single(self, q: Traveler | CargoLine, threshold: float | None, who: str | None) -> Result:
        limit = threshold if threshold is not None else self.threshold
        result, versions = self._one(q, limit)
        self.audit.write([(q, result, versions)], who or self.who, self.interface, limit)
        return result

    def screen_traveler(
        self, q: Traveler, threshold: float | None = None, who: str | None = None
    ) -> Result:
        """Screen one traveler (audited)."""
        return self._single(q, threshold, who)

    def screen_cargo(
        self, line: CargoLine, threshold: float | None = None, who: str | None = None
    ) -> Result:
        """Screen one cargo line: every party, plus the line's indicators (audited)."""
        return self._single(line, threshold, who)

    def screen_many(
        self,
        queries: Iterable[Traveler | CargoLine],
        threshold: float | None = None,
        who: str | None = None,
        workers: int = 1,
    ) -> Iterator[Result]:
        """Screen a stream of queries lazily (a huge batch is never held in memory), in
        `workers` processes (forked: the index is shared, not loaded again)."""
        return self._audited(queries, threshold, who, workers)

    def _after_fork(self) -> RareCollections:
        """In a forked worker: leave the parent's DuckDB connection alone, open our own;
        the worker's collections are paused (it only screens) and run every so often."""
        self._lock = threading.RLock()
        self._con = open_profile_store(self.paths.store)
        return RareCollections().__enter__()


# The Screener of a forked worker process and its paused collections (set once by the
# pool's initializer, in the child).
_WORKER: list[tuple[Screener, RareCollections]] = []


def _worker_init(screener: Screener) -> None:
    _WORKER.append((screener, screener._after_fork()))


def _worker_screen(
    item: tuple[Traveler | CargoLine, float],
) -> tuple[Traveler | CargoLine, Result, dict[str, str]]:
    q, threshold = item
    screener, pause = _WORKER[0]
    out = (q, *screener._one(q, threshold))
    pause.tick()
    return out
