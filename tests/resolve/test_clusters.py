"""Clustering rules that overrule the model: judgements and exclusive identifiers."""

from __future__ import annotations

from osint.resolve.clusters import Clusters


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
