"""Candidate retrieval from the store's indexed keys, then scoring with the features.

Retrieval asks the screening index (the store's `screen_name_keys`, in memory) for profiles
of the right kind sharing a name word or a word's sound (words weighted by rarity; a word
found in more than `COMMON_CAP` profiles counts only with another common
word), and `screen_keys`
for profiles sharing an identifier, phone, email, domain or wallet (an exact identifier hit
always makes a candidate). At most `CANDIDATES` profiles (plus exact hits) are scored.
"""

from __future__ import annotations

from typing import Any

from rigour.text.distance import jaro_winkler

from osint.normalize import normalize_name
from osint.screen.features import FEATURES, Party, comparable, describe, phonetic
from osint.screen.index import ScreenIndex
from osint.screen.results import Explanation, Hit

COMMON_CAP = 1_000
CANDIDATES = 15
# A candidate whose shared words weigh less than this share of the best one's is not scored.
RELATIVE = 0.2
# Below this spelling similarity a candidate cannot reach half the threshold: not scored.
QUICK_NAME = 0.72


def retrieval_keys(party: Party) -> list[str]:
    tokens = [t for t in party.name_norm.split() if len(t) >= 2]
    sounds = [f"#{k}" for k in (phonetic(t) for t in tokens) if k]
    return list(dict.fromkeys(tokens + sounds))


def candidates(
    index: ScreenIndex, party: Party, limit: int = CANDIDATES, cap: int = COMMON_CAP
) -> list[dict[str, Any]]:
    """Candidate profile rows for one party: exact key hits first, then name keys."""
    exact = index.exact_candidates(party.keys)
    named = index.name_candidates(retrieval_keys(party), party.kinds, cap, limit, RELATIVE)
    rows = list(dict.fromkeys(exact + named))[: limit + len(exact)]
    return [
        p
        for p in index.profiles(rows)
        if p["kind"] in party.kinds or set(p["keys"] or []) & set(party.keys)
    ]


def score(party: Party, profile: dict[str, Any], threshold: float) -> Hit:
    """Score one candidate: every feature that has something to say explains its share."""
    profile.setdefault(
        "addresses_norm", [a for a in (normalize_name(x) for x in profile["addresses"] or []) if a]
    )
    explanations = []
    for name, func in FEATURES.items():
        out = func(party, profile)
        if out is None:
            continue
        contribution, query_value, profile_value = out
        explanations.append(
            Explanation(name, describe(name), query_value, profile_value, contribution)
        )
    total = round(min(1.0, max(0.0, sum(e.contribution for e in explanations))), 3)
    return Hit(
        profile_id=profile["profile_id"],
        name=profile["name"],
        kind=profile["kind"],
        score=total,
        match=total >= threshold,
        role=party.role,
        risk_flags=list(profile["risk_flags"] or []),
        explanations=explanations,
        query_name=party.name,
    )


def worth_scoring(party: Party, profile: dict[str, Any]) -> bool:
    """A cheap look before the full scoring: a shared key, all of the name's words but one in
    common (four letters or more), or a name whose spelling (as written or with its words
    sorted) is at least QUICK_NAME close to one of the profile's."""
    if party.keys and set(party.keys) & set(profile["keys"] or []):
        return True
    words = comparable(party.name_norm)
    long_words = {w for w in words if len(w) >= 4}
    needed = max(1, len(set(words)) - 1)
    q_join, q_sorted = " ".join(words), " ".join(sorted(words))
    for name in profile["names_norm"] or []:
        tokens = comparable(name)
        if len(long_words & set(tokens)) >= needed:
            return True  # all words (but one) in common, one of four letters or more
        if jaro_winkler(q_join, " ".join(tokens)) >= QUICK_NAME:
            return True
        if jaro_winkler(q_sorted, " ".join(sorted(tokens))) >= QUICK_NAME:
            return True
    return False


def match_party(index: ScreenIndex, party: Party, threshold: float, limit: int) -> list[Hit]:
    """Hits for one party, best first, down to half the threshold."""
    hits = [
        score(party, row, threshold)
        for row in candidates(index, party)
        if worth_scoring(party, row)
    ]
    hits.sort(key=lambda h: (-h.score, h.profile_id))
    return [h for h in hits if h.score >= threshold / 2][:limit]
