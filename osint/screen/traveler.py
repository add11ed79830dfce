"""Screening one traveler on an open profile-store connection (the function the demo uses).

It loads the screening index for each call: fine for a few queries on a small store.

:class:`osint.screen.Screener` wraps this with exclusions, audit and store refresh.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from osint.screen.index import ScreenIndex
from osint.screen.matcher import match_party
from osint.screen.queries import Traveler, fingerprint, traveler_party
from osint.screen.results import ALGORITHM, Result
from osint.screen.screener import load_model
from osint.store import meta


def screen_traveler(
    con: duckdb.DuckDBPyConnection,
    q: Traveler,
    threshold: float,
    limit: int,
    model: Path | None = None,
) -> Result:
    """Score one traveler against the profiles; hits at or above threshold are matches.
    Scores with the store's own model (`model`: the file to use when the store has none)."""
    party = traveler_party(q)
    fp = fingerprint(party)
    scoring, _ = load_model(meta(con), "the profile store", model)
    hits = match_party(ScreenIndex.load(con), scoring, party, threshold, limit)
    for hit in hits:
        hit.fingerprint = fp
    return Result(q.id, ALGORITHM, hits, "traveler", fingerprints={"traveler": fp})
