"""Stable profile ids: kept across rebuilds, merged-away ids live on as referents."""

from __future__ import annotations

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
