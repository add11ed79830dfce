"""Clustering a million records: connected components first, constraints where they bite.

The greedy union-find of `clusters.Clusters` (evidence strongest first, refusing merges that
a negative judgement or two different exclusive identifiers forbid) gives, for a connected
component without any such constraint inside it, exactly the component itself: nothing is
ever refused there, so the order of the edges does not matter. Components are found on
integer arrays (numpy), and only the few components holding a forbidden pair or two
different USCCs/IMOs of one scheme go through `Clusters` edge by edge.

Records are numbered by their place in the sorted record ids, so a component's smallest
position is its smallest record id; evidence arrives as pairs of positions (`Edges`,
looked up by the caller with a join in DuckDB, never with a million-entry Python dict).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from osint.resolve.clusters import Clusters

IntArray = np.ndarray[Any, np.dtype[np.int64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


@dataclass(slots=True)
class Edges:
    """Record pairs as positions in the sorted record ids: (a[k], b[k])."""

    a: IntArray
    b: IntArray

    def __len__(self) -> int:
        return int(self.a.size)


@dataclass(slots=True)
class Exclusive:
    """Exclusive identifiers (USCC, IMO): row k says record `at[k]` has `scheme:value`."""

    at: IntArray
    scheme: pa.Array
    value: pa.Array


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
    """`group_of[i]`: the position of the smallest record of record i's cluster."""

    group_of: IntArray
    rules_held: BoolArray  # per rule edge: does it hold in the result
    refused: int  # merges refused by judgements or exclusive identifiers


def cluster_records(
    record_ids: pa.Array,
    forced: Edges,
    rules: Edges,
    model: Edges,
    forbidden: Edges,
    exclusive: Exclusive,
) -> Clustering:
    """Cluster the sorted `record_ids` with the evidence in order: analysts' positive
    judgements (`forced`), strong-identifier rules, model pairs (strongest first);
    `forbidden` pairs and records with different `exclusive` identifiers are never put
    together."""
    n_forced, n_rules = len(forced), len(rules)
    ea = np.concatenate([forced.a, rules.a, model.a]).astype(np.int64, copy=False)
    eb = np.concatenate([forced.b, rules.b, model.b]).astype(np.int64, copy=False)
    labels = components(len(record_ids), ea, eb)
    constrained = _constrained(labels, forbidden, exclusive)
    held = np.ones(n_rules, dtype=bool)
    refused = 0
    if constrained.size:
        members = np.flatnonzero(np.isin(labels, constrained))
        name = dict(zip(members.tolist(), record_ids.take(members).to_pylist(), strict=True))
        identifiers: dict[str, list[str]] = {}
        rows = np.flatnonzero(np.isin(labels[exclusive.at], constrained))
        for at, scheme, value in zip(
            exclusive.at[rows].tolist(),
            exclusive.scheme.take(rows).to_pylist(),
            exclusive.value.take(rows).to_pylist(),
            strict=True,
        ):
            identifiers.setdefault(name[at], []).append(f"{scheme}:{value}")
        apart = [
            (name[a], name[b])
            for a, b in zip(forbidden.a.tolist(), forbidden.b.tolist(), strict=True)
            if a in name and b in name
        ]
        clusters = Clusters(name.values(), identifiers, apart)
        for k in np.flatnonzero(np.isin(labels[ea], constrained)).tolist():
            together = clusters.union(name[int(ea[k])], name[int(eb[k])])
            if n_forced <= k < n_forced + n_rules and not together:
                held[k - n_forced] = False
        refused = clusters.refused
        position = {record: at for at, record in name.items()}
        for group in clusters.groups():
            places = [position[r] for r in group]
            labels[places] = min(places)
    return Clustering(labels, held, refused)


def _constrained(labels: IntArray, forbidden: Edges, exclusive: Exclusive) -> IntArray:
    """Labels of the components holding a forbidden pair or two exclusive identifiers of
    one scheme that differ."""
    apart = labels[forbidden.a][labels[forbidden.a] == labels[forbidden.b]]
    found = [apart]
    if exclusive.at.size:
        held = {"label": labels[exclusive.at], "scheme": exclusive.scheme, "value": exclusive.value}
        counts = (
            pa.table(held)
            .group_by(["label", "scheme"], use_threads=False)
            .aggregate([("value", "count_distinct")])
        )
        several = pc.greater(counts["value_count_distinct"], 1)
        found.append(counts["label"].filter(several).to_numpy())
    return np.unique(np.concatenate(found).astype(np.int64))
