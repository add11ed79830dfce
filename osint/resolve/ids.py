"""Stable profile ids across rebuilds, and referents for ids that were merged away.

A rebuilt cluster keeps the id of the previous profile it shares most records with (each old
id goes to at most one new cluster: the one holding most of its records). A previous id that
no cluster keeps becomes a referent of the cluster that took most of its records, so
screening decisions stored against it still resolve. New clusters get an id derived from
their smallest record id, which is stable and never names a person.

The work is done on arrays (a group label per record, Arrow strings for ids) because a
million records make seven hundred thousand groups: one Python object per group costs
seconds. Only the contested old ids (an old id whose records went to several clusters, or a
cluster holding records of several old ids) go through Python, greedily, best overlap first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from osint.records import stable_id

IntArray = np.ndarray[Any, np.dtype[np.int64]]
PREFIX = "prof"


@dataclass(slots=True)
class Previous:
    """The last build's profile of each record still present: record `at[k]` (a position
    in the sorted record ids) was in profile `profile_id[k]`."""

    at: IntArray
    profile_id: pa.Array


@dataclass(slots=True)
class Assignment:
    """Profile ids for the new clusters, plus old ids that now refer to another profile."""

    record_ids: pa.Array
    profile_ids: pa.Array  # aligned with record_ids
    referents: dict[str, str]  # retired profile_id -> surviving profile_id
    _mapping: dict[str, str] | None = field(default=None, repr=False)

    @property
    def profile_of(self) -> dict[str, str]:
        """record_id -> profile_id as a dict (for small results: a million entries cost)."""
        if self._mapping is None:
            self._mapping = dict(
                zip(self.record_ids.to_pylist(), self.profile_ids.to_pylist(), strict=True)
            )
        return self._mapping


def mint_ids(prefix: str, values: pa.Array, used: pa.Array) -> tuple[pa.Array, bool]:
    """`records.stable_id(prefix, v)` for every v, computed by DuckDB (a Python loop over
    seven hundred thousand values takes most of a second), and whether any of them is in
    `used` or appears twice."""
    con = duckdb.connect()
    try:
        con.register("_values", pa.table({"v": values, "k": np.arange(len(values))}))
        con.register("_used", pa.table({"id": used}))
        minted = con.sql(
            f"SELECT '{prefix}-' || substr(sha256(v), 1, 20) AS id FROM _values ORDER BY k"
        ).to_arrow_table()
        con.register("_minted", minted)
        clash = "count(*) > count(DISTINCT id)"
        if len(used):
            clash += " OR EXISTS (SELECT 1 FROM _minted WHERE id IN (SELECT id FROM _used))"
        found = con.sql(f"SELECT {clash} FROM _minted").fetchall()
        return minted["id"].combine_chunks(), bool(found[0][0])
    finally:
        con.close()


def assign_ids(
    groups: Iterable[list[str]],
    previous: Mapping[str, str],
    used_ids: Iterable[str] = (),
) -> Assignment:
    """`assign_group_ids` for groups given as lists of record ids, and the previous build as
    record_id -> profile_id."""
    order = sorted((r, g) for g, group in enumerate(groups) for r in group)
    record_ids = [r for r, _ in order]
    first: dict[int, int] = {}
    for place, (_r, g) in enumerate(order):
        first.setdefault(g, place)
    group_of = np.array([first[g] for _r, g in order], dtype=np.int64)
    at = [i for i, r in enumerate(record_ids) if r in previous]
    before = Previous(
        np.array(at, dtype=np.int64), pa.array([previous[record_ids[i]] for i in at], pa.string())
    )
    used = sorted(set(used_ids) | set(previous.values()))
    return assign_group_ids(pa.array(record_ids, pa.string()), group_of, before, used)


def assign_group_ids(
    record_ids: pa.Array,
    group_of: IntArray,
    previous: Previous,
    used_ids: pa.Array | Iterable[str] = (),
) -> Assignment:
    """Give each group a profile id, keeping previous ids where possible.

    Record i (of the sorted `record_ids`) is in the group labelled `group_of[i]`, the
    position of the group's smallest record id. `used_ids` are ids ever issued (every
    previous profile and referent), which a new id must not collide with.
    """
    is_label = group_of == np.arange(group_of.size)
    labels = np.flatnonzero(is_label)
    slot_of = (np.cumsum(is_label) - 1)[group_of]
    encoded = pc.dictionary_encode(previous.profile_id)
    olds: pa.Array = encoded.dictionary
    code = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    prev_slot = slot_of[previous.at]
    kept_slot, kept_code = _keep_old_ids(prev_slot, code, olds)
    keeps = np.zeros(labels.size, dtype=bool)
    keeps[kept_slot] = True
    order = np.argsort(kept_slot, kind="stable")
    kept_ids = olds.take(pa.array(kept_code[order]))
    used = used_ids if isinstance(used_ids, pa.Array) else pa.array(list(used_ids), pa.string())
    fresh = np.flatnonzero(~keeps)
    minted, clash = mint_ids(PREFIX, record_ids.take(pa.array(labels[fresh])), used)
    if clash:
        minted = _salted(record_ids, labels[fresh], minted, used)
    group_ids = pc.replace_with_mask(
        pc.replace_with_mask(pa.nulls(labels.size, pa.string()), pa.array(~keeps), minted),
        pa.array(keeps),
        kept_ids,
    )
    profile_ids = group_ids.take(pa.array(slot_of))
    retired = np.ones(len(olds), dtype=bool)
    retired[kept_code] = False
    referents = _referents(code, prev_slot, retired, olds, group_ids)
    return Assignment(record_ids, profile_ids, referents)


def _pair_counts(a: IntArray, b: IntArray, b_size: int) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct (a, b) pairs and how often each occurs, sorted by (a, b)."""
    keys, counts = np.unique(a * max(b_size, 1) + b, return_counts=True)
    return keys // max(b_size, 1), keys % max(b_size, 1), counts.astype(np.int64)


def _keep_old_ids(slot: IntArray, code: IntArray, olds: pa.Array) -> tuple[IntArray, IntArray]:
    """Which group keeps which old id: (group slots, codes of the old ids in `olds`).

    Candidates are (group, old id) with the number of records they share. An old id that
    only one group has, in a group holding no other old id, is kept there; the rest go
    greedily, most shared records first, ties by old id then group."""
    if slot.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    c_slot, c_code, count = _pair_counts(slot, code, len(olds))
    sole = (np.bincount(c_slot)[c_slot] == 1) & (np.bincount(c_code)[c_code] == 1)
    kept_slot, kept_code = list(c_slot[sole].tolist()), list(c_code[sole].tolist())
    contested = np.flatnonzero(~sole)
    if contested.size:
        names = olds.take(pa.array(c_code[contested])).to_pylist()
        rows = zip(
            count[contested].tolist(), names, c_slot[contested].tolist(),
            c_code[contested].tolist(), strict=True,
        )  # fmt: skip
        taken_slots: set[int] = set()
        taken_codes: set[int] = set()
        for _n, _name, s, c in sorted(rows, key=lambda r: (-r[0], r[1], r[2])):
            if s in taken_slots or c in taken_codes:
                continue
            taken_slots.add(s)
            taken_codes.add(c)
            kept_slot.append(s)
            kept_code.append(c)
    return np.array(kept_slot, np.int64), np.array(kept_code, np.int64)


def _salted(record_ids: pa.Array, labels: IntArray, minted: pa.Array, used: pa.Array) -> pa.Array:
    """`minted` (the new ids of the groups labelled `labels`) with each id that was issued
    before, or that an earlier group already got, salted until it is new."""
    taken = set(used.to_pylist())
    out: list[str] = []
    for label, candidate in zip(labels.tolist(), minted.to_pylist(), strict=True):
        first = record_ids[label].as_py()
        salt = 0
        while candidate in taken:
            salt += 1
            candidate = stable_id(PREFIX, first, str(salt))
        taken.add(candidate)
        out.append(candidate)
    return pa.array(out, pa.string())


def _referents(
    code: IntArray,
    slot: IntArray,
    retired: np.ndarray[Any, Any],
    olds: pa.Array,
    group_ids: pa.Array,
) -> dict[str, str]:
    """Each previous id no group kept -> the profile that took most of its records (ties
    to the smaller id). `code[k]`, `slot[k]`: old id and new group of previous record k."""
    rows = np.flatnonzero(retired[code]) if code.size else np.zeros(0, np.int64)
    if rows.size == 0:
        return {}
    h_code, h_slot, count = _pair_counts(code[rows], slot[rows], len(group_ids))
    best: dict[str, tuple[int, str]] = {}
    for old, new, n in zip(
        olds.take(pa.array(h_code)).to_pylist(),
        group_ids.take(pa.array(h_slot)).to_pylist(),
        count.tolist(),
        strict=True,
    ):
        if old not in best or (-n, new) < best[old]:
            best[old] = (-n, new)
    return {old: best[old][1] for old in sorted(best)}
