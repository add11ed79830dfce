"""The screening index: the store's screening tables, loaded into memory once per version.

A DuckDB statement costs a few milliseconds here even on an indexed lookup, and a screening
call needs several; so the Screener reads the published store's `screen_*` tables once
(per publication) into compact arrays and answers from memory:

* name keys (words and `#`+metaphone) -> a slice of a sorted int32 array of profile rows;
* exact keys (identifiers, phones, emails, domains, wallets) -> profile rows;
* the scoring payload of every profile, one JSON string per row;
* the links that touch a flagged profile (for the `linked_to_flagged` indicator).

About 300 bytes a profile (measured in docs/benchmarks.md); loading 1M profiles takes a few
seconds, during which the previous version keeps answering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import orjson

from osint.normalize import normalize_name

KIND_CODES = {"person": 0, "organization": 1, "vessel": 2}
DECODED_CACHE = 5_000


def _intersect(
    a: np.ndarray[Any, np.dtype[np.int32]], b: np.ndarray[Any, np.dtype[np.int32]]
) -> np.ndarray[Any, np.dtype[np.int32]]:
    """Rows in both sorted arrays: binary search of the shorter in the longer."""
    if a.size > b.size:
        a, b = b, a
    if a.size == 0:
        return a
    at = np.searchsorted(b, a)
    at[at == b.size] = b.size - 1
    found: np.ndarray[Any, np.dtype[np.int32]] = a[b[at] == a]
    return found


def _weight(key: str, count: int) -> float:
    """A name key's weight for retrieval: rare words count most; a sound key half a word."""
    return (0.5 if key.startswith("#") else 1.0) / count


# A query word is looked for one letter off (`Spellings`, `near_spellings`) when it has at
# least this many letters (shorter words have too many neighbours), among at most
# `NEAR_LIMIT` neighbours, the most frequent first.
NEAR_MIN = 4
NEAR_LIMIT = 10


def kind_mask(kinds: Sequence[str]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Indexed by a row's kind code: whether the kind is one of `kinds`."""
    mask = np.zeros(len(KIND_CODES) + 1, dtype=bool)
    mask[[KIND_CODES.get(k, 3) for k in kinds]] = True
    return mask


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two different words are one letter apart: one changed, added or left out,
    or two neighbouring letters swapped (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def _deletions(word: str) -> set[str]:
    """The word and every form of it with one letter left out."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


@dataclass(slots=True)
class Spellings:
    """The store's name words by their one-letter deletions, to find the words one letter
    from a query word. Two words one edit apart share a form with one letter left out (or
    one is such a form of the other): the deletion neighbourhoods of the SymSpell algorithm
    (Wolf Garbe, 2012), kept as sorted hashes (12 bytes a form). Forms whose hashes collide
    are told apart by `one_edit_apart`. The hashes are Python's `hash`, salted per process:
    the index is built in the process that uses it (forked workers inherit it with the
    salt) and is never written or sent elsewhere."""

    words: tuple[str, ...]
    hashes: np.ndarray[Any, np.dtype[np.int64]]
    ids: np.ndarray[Any, np.dtype[np.int32]]

    @classmethod
    def build(cls, words: Sequence[str]) -> Spellings:
        hashes: list[int] = []
        ids: list[int] = []
        for i, word in enumerate(words):
            forms = _deletions(word)
            hashes.extend(hash(f) for f in forms)
            ids.extend([i] * len(forms))
        h = np.array(hashes, dtype=np.int64)
        order = np.argsort(h, kind="stable")
        return cls(tuple(words), h[order], np.array(ids, dtype=np.int32)[order])

    def near(self, word: str) -> list[str]:
        """The words one letter from `word` (not `word` itself), in the order of `words`."""
        probes = np.array([hash(f) for f in _deletions(word)], dtype=np.int64)
        lo = np.searchsorted(self.hashes, probes, side="left")
        hi = np.searchsorted(self.hashes, probes, side="right")
        found = {int(i) for a, b in zip(lo, hi, strict=True) for i in self.ids[a:b]}
        return [self.words[i] for i in sorted(found) if one_edit_apart(word, self.words[i])]


@dataclass(slots=True)
class FlaggedLink:
    profile_id: str
    relation: str
    target_name: str
    target_profile_id: str | None
    profile_name: str
    profile_flags: list[str]
    target_display: str | None
    target_flags: list[str]


@dataclass(slots=True)
class ScreenIndex:
    """Everything screening needs from one version of the store."""

    data_version: str
    slices: dict[str, tuple[int, int]]
    rows: np.ndarray[Any, np.dtype[np.int32]]
    kinds: np.ndarray[Any, np.dtype[np.int8]]
    # An exact key -> its row, or its rows when several profiles share it (a dict of ints
    # holds no objects the garbage collector walks: a full collection stays cheap).
    exact: dict[str, int | tuple[int, ...]]
    # A tuple, not a list: a tuple of strings is soon left alone by the garbage collector,
    # a list of a million strings is walked by every full collection (0.15 s here).
    payload: tuple[str, ...]
    links_by_profile: dict[str, list[FlaggedLink]] = field(default_factory=dict)
    links_by_target_name: dict[str, list[FlaggedLink]] = field(default_factory=dict)
    # Decoded payloads of recently scored profiles (the same ones recur across a manifest:
    # a forwarder, a generic word's profiles); emptied when full.
    decoded: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Common keys' rows as bitmaps (one bit per row, built on first use): weighing a pool of
    # a thousand rows by a common key is then one lookup per row, not a binary search in a
    # slice of tens of thousands (a tenth of a query's time at a million profiles).
    bitmaps: dict[str, np.ndarray[Any, np.dtype[np.uint8]]] = field(default_factory=dict)
    # The name words by their one-letter deletions (`near_spellings`; built by `load`).
    spellings: Spellings | None = None

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, data_version: str = "") -> ScreenIndex:
        # The screen_* tables were written in key (or row) order; DuckDB returns a plain scan
        # in insertion order (preserve_insertion_order, on by default), which spares sorting
        # millions of rows on every load.
        con.execute("SET preserve_insertion_order = true")
        stats = con.sql("SELECT key, profiles FROM screen_key_stats").fetchall()
        slices: dict[str, tuple[int, int]] = {}
        offset = 0
        for key, count in stats:
            slices[key] = (offset, offset + count)
            offset += count
        # Numeric columns through DuckDB's own numpy arrays: pyarrow's `to_numpy` imports
        # pandas (half a second of every `osint screen` start) for nothing here.
        rows = np.asarray(
            con.sql("SELECT row FROM screen_name_keys").fetchnumpy()["row"], dtype=np.int32
        )
        # One JSON document per profile: a Python str each (about a third of the memory of
        # Python dicts), decoded only for the few candidates a query scores.
        # (Through Arrow: a third faster than fetchall at 1M profiles.)
        payload: tuple[str, ...] = tuple(
            con.sql(
                "SELECT to_json({profile_id: profile_id, kind: kind, name: name, "
                "names_norm: names_norm, dobs: dobs, nationality: nationality, "
                "countries: countries, addresses: addresses, risk_flags: risk_flags, "
                "keys: keys})::VARCHAR FROM screen_profiles"
            )
            .to_arrow_table()
            .column(0)
            .to_pylist()
        )
        codes = " ".join(f"WHEN '{k}' THEN {c}" for k, c in KIND_CODES.items())
        kinds = np.asarray(
            con.sql(
                f"SELECT (CASE kind {codes} ELSE 3 END)::TINYINT AS kind FROM screen_profiles"
            ).fetchnumpy()["kind"],
            dtype=np.int8,
        )
        exact: dict[str, int | tuple[int, ...]] = {}
        for value, row in con.sql("SELECT value, row FROM screen_keys").fetchall():
            seen = exact.get(value)
            if seen is None:
                exact[value] = int(row)
            else:
                exact[value] = (*(seen if isinstance(seen, tuple) else (seen,)), int(row))
        index = cls(data_version, slices, rows, kinds, exact, payload)
        index._load_links(con)
        # Built now, not at the first misspelled word: 0.2 s at a million profiles, and
        # forked batch workers share it.
        index.spellings = index._build_spellings()
        return index

    def _load_links(self, con: duckdb.DuckDBPyConnection) -> None:
        rel = con.sql(
            """
            SELECT l.profile_id, l.relation, l.target_name, l.target_profile_id,
                   src.name, src.risk_flags, tgt.name, coalesce(tgt.risk_flags, [])
            FROM profile_links l
            JOIN profiles src ON src.profile_id = l.profile_id
            LEFT JOIN profiles tgt ON tgt.profile_id = l.target_profile_id
            WHERE len(src.risk_flags) > 0 OR len(coalesce(tgt.risk_flags, [])) > 0
            """
        )
        for row in rel.fetchall():
            link = FlaggedLink(*row)
            self.links_by_profile.setdefault(link.profile_id, []).append(link)
            if link.target_profile_id:
                self.links_by_profile.setdefault(link.target_profile_id, []).append(link)
            elif link.profile_flags and link.target_name:
                norm = normalize_name(link.target_name)
                self.links_by_target_name.setdefault(norm, []).append(link)

    def key_weight(self, keys: Sequence[str]) -> float | None:
        """The weight of a row holding every one of `keys` (as `ranked_names` weighs);
        None when some key is in no profile."""
        counts = [self.key_count(k) for k in keys]
        if not all(counts):
            return None
        return sum(_weight(k, n) for k, n in zip(keys, counts, strict=True))

    def near_spellings(self, word: str, kinds: Sequence[str] | None = None) -> list[str]:
        """Name words of the store one letter from `word` (a typo, another
        transliteration), at most NEAR_LIMIT: the most frequent first, as spelling
        correction ranks them (the likelier a word, the likelier it was meant). With
        `kinds`, only words in a profile of one of those kinds (a company's word takes no
        place among a traveler's)."""
        if len(word) < NEAR_MIN:
            return []
        if self.spellings is None:
            self.spellings = self._build_spellings()
        near = self.spellings.near(word)
        if kinds is not None:
            mask = kind_mask(kinds)
            near = [w for w in near if mask[self.kinds[self.rows[slice(*self.slices[w])]]].any()]
        near.sort(key=lambda w: (-self.key_count(w), w))
        return near[:NEAR_LIMIT]

    def _build_spellings(self) -> Spellings:
        return Spellings.build(
            [k for k in self.slices if len(k) >= NEAR_MIN - 1 and not k.startswith("#")]
        )

    def key_count(self, key: str) -> int:
        span = self.slices.get(key)
        return span[1] - span[0] if span else 0

    def ranked_names(
        self,
        keys: Sequence[str],
        kinds: Sequence[str],
        cap: int,
        limit: int,
        relative: float = 0.0,
        near: Sequence[tuple[str, float]] = (),
    ) -> tuple[list[int], list[float]]:
        """Rows sharing name keys, best first, with their weights.

        Each key weighs 1/its frequency (a sound key half that). A key in more than `cap`
        profiles (a common word) does not bring rows alone: when the rare keys give fewer
        than `limit` rows, rows sharing two common keys are added (both slices are sorted,
        so the intersection is cheap). A row weighs the sum of every query key it has,
        common ones included (among the hundreds of profiles sharing a rare word, the one
        that also shares the common words comes first). Rows weighing less than `relative`
        times the best go. `near`: (word, factor) for words near the query's
        (`matcher.near_keys`): such a word weighs factor/its frequency; it brings rows as a
        rare key does, but whether common keys are paired depends on the query's own rare
        keys only (rows near a misspelled word must not keep out rows sharing two of the
        query's common words).
        """
        rare: list[tuple[str, int, int, float]] = []
        common: list[tuple[str, int, int, float]] = []
        own_rows = 0
        for i, (key, factor) in enumerate([(k, _weight(k, 1)) for k in keys] + list(near)):
            span = self.slices.get(key)
            if span is not None:
                (rare if span[1] - span[0] <= cap else common).append((key, *span, factor))
                if i < len(keys) and span[1] - span[0] <= cap:
                    own_rows += span[1] - span[0]
        parts = [self.rows[a:b] for _, a, b, _f in rare]
        weights = [np.full(b - a, f / (b - a)) for _, a, b, f in rare]
        words = [c for c in common if not c[0].startswith("#")]
        pairable = words if len(words) >= 2 else common
        if own_rows < limit and len(pairable) >= 2:
            pairable.sort(key=lambda c: c[2] - c[1])
            for i, (_, a1, b1, _f1) in enumerate(pairable[:3]):
                for _, a2, b2, _f2 in pairable[i + 1 : 3]:
                    both = _intersect(self.rows[a1:b1], self.rows[a2:b2])
                    parts.append(both)
                    weights.append(np.zeros(both.size))  # weighed below, with every common key
        if not parts:
            return [], []
        rows = np.concatenate(parts)
        w = np.concatenate(weights)
        keep = kind_mask(kinds)[self.kinds[rows]]
        rows, w = rows[keep], w[keep]
        if rows.size == 0:
            return [], []
        rows, inverse = np.unique(rows, return_inverse=True)
        sums = np.bincount(inverse, weights=w)
        for key, a, b, factor in common:
            bits = self._bitmap(key, a, b)
            sums += ((bits[rows >> 3] >> (rows & 7)) & 1) * (factor / (b - a))
        # Rounded: rows with the same keys tie exactly whatever the order of the additions
        # (ties go to the lower row), while different keys still differ (by 1e-9 or more).
        sums = np.round(sums, 12)
        # Far weaker evidence than the best candidate's (only common words in common): skip.
        strong = sums >= relative * sums.max()
        rows, sums = rows[strong], sums[strong]
        # Best first, ties to the lower row (a partial sort would cut ties arbitrarily).
        order = np.lexsort((rows, -sums))[:limit]
        return rows[order].tolist(), sums[order].tolist()

    def _bitmap(self, key: str, a: int, b: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
        bits = self.bitmaps.get(key)
        if bits is None:
            present = np.zeros(self.kinds.size + 8, dtype=bool)
            present[self.rows[a:b]] = True
            bits = self.bitmaps[key] = np.packbits(present, bitorder="little")
        return bits

    def exact_candidates(self, keys: Sequence[str]) -> list[int]:
        rows: list[int] = []
        for key in keys:
            found = self.exact.get(key)
            if isinstance(found, int):
                rows.append(found)
            elif found is not None:
                rows.extend(found)
        return rows

    def profiles(self, rows: Sequence[int]) -> list[dict[str, Any]]:
        """The scoring payload of each row (decoded once while it stays in the cache). The
        dicts are shared: callers may add derived values under keys starting with `_`."""
        out = []
        cache = self.decoded
        for row in rows:
            profile = cache.get(row)
            if profile is None:
                if len(cache) >= DECODED_CACHE:
                    cache.clear()
                profile = cache[row] = orjson.loads(self.payload[row])
            out.append(profile)
        return out
