"""Screening one traveler on an open profile-store connection (the function the demo uses).

It loads the screening index for each call: fine for a few queries on a small store.

:class:`osint.screen.Screener` wraps this with exclusions, audit and store refresh.
"""

from __future__ import annotations

import duckdb

from osint.screen.index import ScreenIndex
from osint.screen.matcher import match_party
from osint.screen.queries import Traveler, fingerprint, traveler_party
from osint.screen.results import ALGORITHM, Result


def screen_traveler(
    con: duckdb.DuckDBPyConnection, q: Traveler, threshold: float, limit: int
) -> Result:
    """Score one traveler against the profiles; hits at or above threshold are matches."""
    party = traveler_party(q)
    fp = fingerprint(party)
    hits = match_party(ScreenIndex.load(con), party, threshold, limit)
    for hit in hits:
        hit.fingerprint = fp
    return Result(q.id, ALGORITHM, hits, "traveler", fingerprints={"traveler": fp})
