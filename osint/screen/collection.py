"""Garbage collection paused for a batch, with a full collection every so many queries.

A batch allocates many small containers per query (decoded profiles, hits, explanations),
and keeps many of them (the party cache): CPython's collector then runs young-generation
collections every few hundred allocations and full ones that walk the whole cache, about a
third of a batch's time at a million profiles (docs/benchmarks.md). Screening creates no
reference cycles of its own (its cached objects refer only downwards), so reference
counting frees almost everything; the collector is paused and run in full once every
`every` queries instead, which bounds what any cycle (from a library) could hold.
"""

from __future__ import annotations

import gc
from types import TracebackType

COLLECT_EVERY = 5_000


class RareCollections:
    """Context manager: the collector off inside, one full collection every `every` ticks.

    Example::

        with RareCollections() as pause:
            for q in queries:
                screen(q)
                pause.tick()
    """

    def __init__(self, every: int = COLLECT_EVERY) -> None:
        self.every = every
        self.count = 0
        self._enabled = False

    def __enter__(self) -> RareCollections:
        self._enabled = gc.isenabled()
        gc.disable()
        return self

    def tick(self) -> None:
        self.count += 1
        if self.count % self.every == 0:
            gc.collect()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._enabled:
            gc.enable()
