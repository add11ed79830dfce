"""Stable profile ids across rebuilds, and referents for ids that were merged away.

A rebuilt cluster keeps the id of the previous profile it shares most records with (each old
id goes to at most one new cluster: the one holding most of its records). A previous id that
no cluster keeps becomes a referent of the cluster that took most of its records, so
screening decisions stored against it still resolve. New clusters get an id derived from
their smallest record id, which is stable and never names a person.

The work is done on arrays (a group label per record) because a million records make seven
hundred thousand groups: one Python object per group costs seconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from osint.records import stable_id


@dataclass(slots=True)
class Assignment:
    """Profile ids for the new clusters, plus old ids that now refer to another profile."""

    profile_of: dict[str, str]  # record_id -> profile_id
    referents: dict[str, str]  # retired profile_id -> surviving profile_id


def assign_ids(
    groups: Iterable[list[str]],
    previous: Mapping[str, str],
    used_ids: Iterable[str] = (),
) -> Assignment:
    """Give each group (sorted record ids) a profile id, keeping previous ids where possible.

    `previous` maps record_id -> profile_id from the last build; `used_ids` are ids ever
    issued (previous profiles and referents), which a new id must not collide with.
    """
    record_ids: list[str] = []
    group_of: list[int] = []
    for group in groups:
        first = len(record_ids)
        record_ids += group
        group_of += [first] * len(group)
    return assign_group_ids(record_ids, group_of, previous, used_ids)


def assign_group_ids(
    record_ids: Sequence[str],
    group_of: Sequence[int],
    previous: Mapping[str, str],
    used_ids: Iterable[str] = (),
) -> Assignment:
    """`assign_ids` on arrays: record i is in the group labelled `group_of[i]`, the index of
    the group's smallest record id (groups are ranked by that record for ties)."""
    taken = set(used_ids) | set(previous.values())
    overlap: Counter[tuple[int, str]] = Counter()
    if previous:
        get = previous.get
        overlap.update(
            (g, old) for g, old in zip(group_of, map(get, record_ids), strict=True) if old
        )
    # Candidate (overlap, old id, group), best first; ties broken by id for stability.
    candidates = sorted(overlap.items(), key=lambda c: (-c[1], c[0][1], c[0][0]))
    group_id: dict[int, str] = {}
    kept: set[str] = set()
    for (label, old), _count in candidates:
        if label in group_id or old in kept:
            continue
        group_id[label] = old
        kept.add(old)
    for label in sorted(set(group_of) - group_id.keys()):
        first = record_ids[label]
        new_id = stable_id("prof", first)
        salt = 0
        while new_id in taken or new_id in kept:
            salt += 1
            new_id = stable_id("prof", first, str(salt))
        group_id[label] = new_id
        kept.add(new_id)
    profile_of = dict(zip(record_ids, map(group_id.__getitem__, group_of), strict=True))
    referents: dict[str, str] = {}
    retired = {old for old in previous.values() if old not in kept}
    if retired:
        heirs: dict[str, Counter[str]] = {}
        for record, old in previous.items():
            if old in retired and record in profile_of:
                heirs.setdefault(old, Counter())[profile_of[record]] += 1
        for old in sorted(heirs):
            referents[old] = sorted(heirs[old].items(), key=lambda h: (-h[1], h[0]))[0][0]
    return Assignment(profile_of, referents)
