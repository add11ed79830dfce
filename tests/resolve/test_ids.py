"""Stable profile ids: kept across rebuilds, merged-away ids live on as referents."""

from __future__ import annotations

import random
from collections import Counter

from osint.resolve.ids import assign_ids


def test_first_build_ids_are_stable_and_not_derived_from_names() -> None:
    first = assign_ids([["r1", "r2"], ["r3"]], {})
    again = assign_ids([["r1", "r2"], ["r3"]], {})
    assert first.profile_of == again.profile_of
    assert first.profile_of["r1"] == first.profile_of["r2"] != first.profile_of["r3"]
    assert all(p.startswith("prof-") for p in first.profile_of.values())


def test_added_record_joins_and_the_id_survives() -> None:
    before = assign_ids([["r1", "r2"], ["r3"]], {}).profile_of
    after = assign_ids([["r0", "r1", "r2"], ["r3"]], before)
    assert after.profile_of["r0"] == before["r1"]
    assert after.profile_of["r3"] == before["r3"]
    assert after.referents == {}


def test_merge_keeps_the_larger_id_and_the_other_becomes_a_referent() -> None:
    before = assign_ids([["r1", "r2"], ["r3"]], {}).profile_of
    after = assign_ids([["r1", "r2", "r3"]], before)
    survivor = before["r1"]
    assert set(after.profile_of.values()) == {survivor}
    assert after.referents == {before["r3"]: survivor}


def test_split_keeps_the_id_on_the_larger_part_and_mints_a_new_one() -> None:
    before = assign_ids([["r1", "r2", "r3"]], {}).profile_of
    after = assign_ids([["r1", "r2"], ["r3"]], before)
    assert after.profile_of["r1"] == before["r1"]
    assert after.profile_of["r3"] != before["r1"]
    assert after.referents == {}


def test_removed_records_do_not_steal_ids() -> None:
    before = assign_ids([["r1"], ["r2"]], {}).profile_of
    after = assign_ids([["r2"]], before)
    assert after.profile_of == {"r2": before["r2"]}


def test_new_id_never_reuses_a_retired_one() -> None:
    before = assign_ids([["r1"]], {}).profile_of
    retired = before["r1"]
    after = assign_ids([["r1"]], {}, used_ids=[retired])
    assert after.profile_of["r1"] != retired


def _reference(groups: list[list[str]], previous: dict[str, str]) -> dict[str, str]:
    """The rule as written in ids.py, record by record: each group keeps the old id it shares
    most records with, best overlap first (ties by old id, then group), each old id once."""
    groups = sorted(sorted(g) for g in groups)
    overlap: dict[tuple[int, str], int] = {}
    for g, group in enumerate(groups):
        for record in group:
            if record in previous:
                key = (g, previous[record])
                overlap[key] = overlap.get(key, 0) + 1
    kept: dict[int, str] = {}
    for (g, old), _n in sorted(overlap.items(), key=lambda c: (-c[1], c[0][1], c[0][0])):
        if g not in kept and old not in kept.values():
            kept[g] = old
    return {r: kept[g] for g, group in enumerate(groups) for r in group if g in kept}


def test_rebuilds_of_random_clusterings_follow_the_written_rule() -> None:
    """Splits, merges, additions and removals at random, against the plain greedy rule:
    kept ids as it says, every other group a new id never issued before, and each retired id
    a referent of the group holding most of its records."""
    rng = random.Random(11)  # noqa: S311 (reproducible clusterings)
    for _ in range(60):
        records = [f"r{i:03d}" for i in range(rng.randrange(1, 60))]
        before = assign_ids(_random_groups(rng, records), {}).profile_of
        present = [r for r in records if rng.random() < 0.85] + [f"s{i}" for i in range(3)]
        groups = _random_groups(rng, present)
        after = assign_ids(groups, before)
        expected = _reference(groups, before)
        assert {r: p for r, p in after.profile_of.items() if r in expected} == expected
        new_ids = {p for r, p in after.profile_of.items() if r not in expected}
        assert not new_ids & set(before.values())
        assert len(set(after.profile_of.values())) == len(groups)
        for old, heir in after.referents.items():
            assert old not in after.profile_of.values()
            shares = Counter(after.profile_of[r] for r, p in before.items()
                             if p == old and r in after.profile_of)  # fmt: skip
            assert shares[heir] == max(shares.values())


def _random_groups(rng: random.Random, records: list[str]) -> list[list[str]]:
    shuffled = rng.sample(records, len(records))
    groups: list[list[str]] = []
    while shuffled:
        size = rng.randrange(1, 5)
        groups.append(shuffled[:size])
        shuffled = shuffled[size:]
    return groups
