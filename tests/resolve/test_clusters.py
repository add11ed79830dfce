"""Clustering rules that overrule the model: judgements and exclusive identifiers."""

from __future__ import annotations

import random
from functools import partial

import numpy as np
import pyarrow as pa

from osint.resolve.clusters import Clusters
from osint.resolve.components import Edges, Exclusive, cluster_records


def test_negative_judgement_keeps_records_apart_even_through_a_chain() -> None:
    c = Clusters(["a", "b", "c"], {}, forbidden=[("a", "c")])
    assert c.union("a", "b")
    # b-c would put a and c together: refused.
    assert not c.union("b", "c")
    assert c.groups() == [["a", "b"], ["c"]]
    assert c.refused == 1


def test_different_uscc_numbers_never_merge_but_equal_ones_do() -> None:
    ids = {"a": ["uscc:91340100MA2MTU4X6A"], "b": ["uscc:913201005894335480"], "c": []}
    c = Clusters(["a", "b", "c"], ids, forbidden=[])
    assert c.union("a", "c")
    assert not c.union("c", "b")
    assert c.groups() == [["a", "c"], ["b"]]


def test_other_identifier_schemes_do_not_block_merges() -> None:
    ids = {"a": ["passport:X1"], "b": ["passport:Y2"]}
    c = Clusters(["a", "b"], ids, forbidden=[])
    assert c.union("a", "b")
    assert c.groups() == [["a", "b"]]


def test_component_clustering_matches_the_greedy_union_find_on_random_graphs() -> None:
    """The fast path (components, then `Clusters` only where a constraint sits) must cluster
    exactly as `Clusters` over every edge, refusals and applied rules included."""
    rng = random.Random(4)  # noqa: S311 (reproducible graphs)
    for _ in range(40):
        ids = [f"r{i:03d}" for i in range(rng.randrange(5, 120))]
        pick = partial(rng.choice, ids)
        forced = [(pick(), pick()) for _ in range(rng.randrange(3))]
        rules = [(pick(), pick(), f"uscc:{rng.randrange(3)}") for _ in range(rng.randrange(8))]
        model = [(pick(), pick()) for _ in range(rng.randrange(len(ids)))]
        forbidden = [(pick(), pick()) for _ in range(rng.randrange(3))]
        exclusive = {pick(): [f"{rng.choice(['uscc', 'imo'])}:{rng.randrange(3)}"]
                     for _ in range(rng.randrange(6))}  # fmt: skip
        reference = Clusters(ids, exclusive, forbidden)
        for a, b in forced:
            reference.union(a, b)
        applied = [(a, b, e) for a, b, e in rules if reference.union(a, b)]
        for a, b in model:
            reference.union(a, b)
        at = {r: i for i, r in enumerate(ids)}

        def edges(pairs: list[tuple[str, str]], at: dict[str, int] = at) -> Edges:
            return Edges(np.array([at[a] for a, _ in pairs], np.int64),
                         np.array([at[b] for _, b in pairs], np.int64))  # fmt: skip

        held = [(r, i) for r, idents in exclusive.items() for i in idents]
        fast = cluster_records(
            pa.array(ids),
            edges(forced),
            edges([(a, b) for a, b, _ in rules]),
            edges(model),
            edges(forbidden),
            Exclusive(np.array([at[r] for r, _ in held], np.int64),
                      pa.array([i.split(":")[0] for _, i in held], pa.string()),
                      pa.array([i.split(":")[1] for _, i in held], pa.string())),
        )  # fmt: skip
        groups: dict[int, list[str]] = {}
        for record, label in zip(ids, fast.group_of.tolist(), strict=True):
            groups.setdefault(label, []).append(record)
        assert sorted(groups.values()) == reference.groups()
        assert all(ids[label] == members[0] for label, members in groups.items())
        assert [r for r, ok in zip(rules, fast.rules_held.tolist(), strict=True) if ok] == applied
        assert fast.refused == reference.refused
