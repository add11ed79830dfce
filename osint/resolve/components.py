"""Clustering a million records: connected components first, constraints where they bite.

The greedy union-find of `clusters.Clusters` (evidence strongest first, refusing merges that
a negative judgement or two different exclusive identifiers forbid) gives, for a connected
component without any such constraint inside it, exactly the component itself: nothing is
ever refused there, so the order of the edges does not matter. Components are found on
integer arrays (numpy), and only the few components holding a forbidden pair or two
different USCCs/IMOs of one scheme go through `Clusters` edge by edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from osint.resolve.clusters import EXCLUSIVE_SCHEMES, Clusters

IntArray = np.ndarray[Any, np.dtype[np.int64]]


def components(n: int, a: IntArray, b: IntArray) -> IntArray:
    """For n nodes and edges (a[k], b[k]): each node's label, the smallest node index in its
    connected component (hooking roots to the smaller label, then pointer jumping)."""
    labels: IntArray = np.arange(n, dtype=np.int64)
    if a.size == 0:
        return labels
    while True:
        la, lb = labels[a], labels[b]
        if np.array_equal(la, lb):
            return labels
        low = np.minimum(la, lb)
        np.minimum.at(labels, la, low)
        np.minimum.at(labels, lb, low)
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped


@dataclass(slots=True)
class Clustering:
    """`group_of[i]`: the index of the smallest record of record i's cluster."""

    group_of: IntArray
    applied: list[tuple[str, str, str]]  # the rule edges that hold in the result
    refused: int  # merges refused by judgements or exclusive identifiers


def cluster_records(
    record_ids: Sequence[str],
    forced: Sequence[tuple[str, str]],
    rules: Sequence[tuple[str, str, str]],
    model_a: Sequence[str],
    model_b: Sequence[str],
    forbidden: Sequence[tuple[str, str]],
    exclusive: Mapping[str, Sequence[str]],
) -> Clustering:
    """Cluster sorted `record_ids` with the evidence in order: analysts' positive judgements,
    strong-identifier rules, model pairs (strongest first); `forbidden` pairs and records
    with different `exclusive` identifiers (USCC, IMO) are never put together."""
    index = {r: i for i, r in enumerate(record_ids)}
    forced = [(a, b) for a, b in forced if a in index and b in index]
    n_forced, n_rules = len(forced), len(rules)
    ends_a = [a for a, _ in forced] + [a for a, _, _ in rules] + list(model_a)
    ends_b = [b for _, b in forced] + [b for _, b, _ in rules] + list(model_b)
    ea = np.fromiter(map(index.__getitem__, ends_a), np.int64, len(ends_a))
    eb = np.fromiter(map(index.__getitem__, ends_b), np.int64, len(ends_b))
    labels = components(len(record_ids), ea, eb)
    constrained = _constrained(labels, index, forbidden, exclusive)
    applied_mask = np.ones(n_rules, dtype=bool)
    refused = 0
    if constrained:
        members = np.flatnonzero(np.isin(labels, list(constrained)))
        ids = [record_ids[i] for i in members.tolist()]
        clusters = Clusters(ids, {r: exclusive.get(r, ()) for r in ids}, forbidden)
        inside = np.isin(labels[ea], list(constrained))
        for k in np.flatnonzero(inside):
            together = clusters.union(ends_a[k], ends_b[k])
            if n_forced <= k < n_forced + n_rules and not together:
                applied_mask[k - n_forced] = False
        refused = clusters.refused
        for group in clusters.groups():
            rows = [index[r] for r in group]
            labels[rows] = min(rows)
    applied = [rule for rule, ok in zip(rules, applied_mask.tolist(), strict=True) if ok]
    return Clustering(labels, applied, refused)


def _constrained(
    labels: IntArray,
    index: Mapping[str, int],
    forbidden: Sequence[tuple[str, str]],
    exclusive: Mapping[str, Sequence[str]],
) -> set[int]:
    """Labels of the components holding a forbidden pair or two exclusive identifiers of
    one scheme that differ."""
    out: set[int] = set()
    for a, b in forbidden:
        if a in index and b in index and labels[index[a]] == labels[index[b]]:
            out.add(int(labels[index[a]]))
    values: dict[tuple[int, str], set[str]] = {}
    for record, idents in exclusive.items():
        at = index.get(record)
        if at is None:
            continue
        label = int(labels[at])
        for ident in idents:
            scheme, _, value = ident.partition(":")
            if scheme in EXCLUSIVE_SCHEMES:
                values.setdefault((label, scheme), set()).add(value)
    out.update(label for (label, _s), vals in values.items() if len(vals) > 1)
    return out
