"""Stable profile ids across rebuilds, and referents for ids that were merged away.

A rebuilt cluster keeps the id of the previous profile it shares most records with (each old
id goes to at most one new cluster: the one holding most of its records). A previous id that
no cluster keeps becomes a referent of the cluster that took most of its records, so
screening decisions stored against it still resolve. New clusters get an id derived from
their smallest record id, which is stable and never names a person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
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
    group_list = [list(g) for g in groups]
    taken = set(used_ids) | set(previous.values())
    # Candidate (overlap, old id, group index), best first; ties broken by id for stability.
    candidates: list[tuple[int, str, int]] = []
    for index, group in enumerate(group_list):
        overlap = Counter(previous[r] for r in group if r in previous)
        candidates += [(count, old, index) for old, count in overlap.items()]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    group_id: dict[int, str] = {}
    kept: set[str] = set()
    for _count, old, index in candidates:
        if index in group_id or old in kept:
            continue
        group_id[index] = old
        kept.add(old)
    for index, group in enumerate(group_list):
        if index not in group_id:
            new_id = stable_id("prof", group[0])
            salt = 0
            while new_id in taken or new_id in kept:
                salt += 1
                new_id = stable_id("prof", group[0], str(salt))
            group_id[index] = new_id
            kept.add(new_id)
    profile_of = {r: group_id[i] for i, g in enumerate(group_list) for r in g}
    referents: dict[str, str] = {}
    retired = {old for old in previous.values() if old not in kept}
    for old in sorted(retired):
        heirs = Counter(profile_of[r] for r, p in previous.items() if p == old and r in profile_of)
        if heirs:
            referents[old] = sorted(heirs.items(), key=lambda h: (-h[1], h[0]))[0][0]
    return Assignment(profile_of, referents)
