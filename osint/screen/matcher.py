"""Candidate retrieval from the store's indexed keys, then scoring with the model.

Retrieval asks the screening index (the store's `screen_name_keys`, in memory) for profiles
of the right kind sharing a name word or a word's sound (words weighted by rarity; a word
found in more than `COMMON_CAP` profiles counts only with another common word; when no
profile has every word, words one letter off and words run together are looked for too:
`near_keys`), and `screen_keys` for profiles sharing an
identifier, phone, email, domain or wallet (an exact identifier hit always makes a
candidate). At most `CANDIDATES` profiles (plus exact hits) are scored.
"""

from __future__ import annotations

from typing import Any

from rigour.text.distance import jaro_winkler

from osint.screen.features import Party, comparable, name_similarity, phonetic
from osint.screen.index import ScreenIndex
from osint.screen.model import Model
from osint.screen.results import Hit
from osint.screen.scoring import Scoring, explain, prepare

COMMON_CAP = 1_000
CANDIDATES = 15
# Rows past the cut looked at when rows of the same weight straddle it (`_break_ties`).
TIED = 15
# A candidate whose shared words weigh less than this share of the best one's is not scored.
RELATIVE = 0.2
# Below this spelling similarity a candidate cannot reach half the threshold: not scored.
QUICK_NAME = 0.72
# What the store's words one letter from a query word weigh, together (`near_keys`): half a
# word, as a sound key; also each of the two words a joined-up word is made of.
NEAR_FACTOR = 0.5
JOINED_LIMIT = 10  # joined-up words: at most this many ways to split one


def retrieval_keys(party: Party) -> list[str]:
    tokens = [t for t in party.name_norm.split() if len(t) >= 2]
    sounds = [f"#{k}" for k in (phonetic(t) for t in tokens) if k]
    return list(dict.fromkeys(tokens + sounds))


def joined_words(index: ScreenIndex, token: str) -> list[str]:
    """The store's two words a word the store lacks may be made of, its space left out or
    typed as a letter ("borissutota", "boristsutota": "boris", "sutota")."""
    splits: list[tuple[str, str]] = []
    for i in range(2, len(token) - 1):
        left = token[:i]
        if not index.key_count(left):
            continue
        for right in (token[i:], token[i + 1 :]):
            if len(right) >= 2 and index.key_count(right):
                splits.append((left, right))
    return list(dict.fromkeys(w for split in splits[:JOINED_LIMIT] for w in split))


def near_keys(
    index: ScreenIndex, party: Party, keys: list[str], cap: int = COMMON_CAP
) -> list[tuple[str, float]]:
    """(word, weight factor) for words of the store near the party's words, not already
    among its keys: the words one letter from each word that is not a common one (in more
    than `cap` profiles) (a typo: "Mamata" written "Iamata", or "Tiello" for "Viello", a
    listed word too), and the two words a word the store lacks may be made of
    (`joined_words`).

    The words found one letter from one query word are alternatives for it, none likelier
    than another: each weighs NEAR_FACTOR over the profiles of all of them (as one word found
    in that many profiles would, half-weighted like a sound), so that the query's other
    words rank the profiles, not the rarity of each alternative. When the query word is in
    the store too, in fewer profiles than its neighbours together, over its own profiles
    instead: its neighbours must not weigh so little next to it that retrieval's relative
    cut drops them (it is the query's word, maybe misspelled). Each of two joined words
    weighs NEAR_FACTOR over its own profiles."""
    near: dict[str, float] = {}
    for token in party.name_norm.split():
        own = index.key_count(token)
        if own > cap:
            continue  # a common word is spelled as many write it: its neighbours are noise
        words = [
            w for w in index.near_spellings(token, party.kinds) if w not in keys and w not in near
        ]
        total = sum(index.key_count(w) for w in words)
        per_profile = NEAR_FACTOR / (min(total, own) if own else total) if words else 0.0
        near.update((w, per_profile * index.key_count(w)) for w in words)
        if own == 0:
            for word in joined_words(index, token):
                if word not in keys and word not in near:
                    near[word] = NEAR_FACTOR
    return list(near.items())


def _found_whole(whole: float | None, weights: list[float]) -> bool:
    """Whether the best row has every key of the query (`whole`: their weight together,
    None when some key is in no profile): its name is found."""
    return whole is not None and bool(weights) and weights[0] >= whole - 1e-9


def _break_ties(
    index: ScreenIndex,
    party: Party,
    whole: float | None,
    rows: list[int],
    weights: list[float],
    limit: int,
) -> list[int]:
    """The first `limit` rows; when rows of the same weight straddle the cut (twenty
    "... Haanti" sharing the query's words alike), the tied ones go by spelling closeness
    to the query's name, then by sharing its year of birth, instead of by row."""
    if len(rows) <= limit or weights[limit - 1] != weights[limit]:
        return rows[:limit]
    if _found_whole(whole, weights):
        return rows[:limit]
    tie = weights[limit - 1]
    first = weights.index(tie)
    last = len(weights) - weights[::-1].index(tie)
    tied = rows[first:last]
    year = (party.dob or "")[:4]
    closeness = [
        (
            name_similarity(party.name_norm, p["names_norm"] or []),
            bool(year) and any(d[:4] == year for d in p["dobs"] or []),
        )
        for p in index.profiles(tied)
    ]
    ranked = sorted(
        range(len(tied)), key=lambda i: (-closeness[i][0], not closeness[i][1], tied[i])
    )
    return rows[:first] + [tied[i] for i in ranked][: limit - first]


def candidates(
    index: ScreenIndex, party: Party, limit: int = CANDIDATES, cap: int = COMMON_CAP
) -> list[dict[str, Any]]:
    """Candidate profile rows for one party: exact key hits first, then name keys."""
    exact = index.exact_candidates(party.keys)
    keys = retrieval_keys(party)
    whole = index.key_weight(keys)
    named: list[int] = []
    weights: list[float] = []
    if whole is not None:
        named, weights = index.ranked_names(keys, party.kinds, cap, limit + TIED, RELATIVE)
    if not _found_whole(whole, weights):
        # No profile of the party's kind has every word of its name: look near its words.
        near = near_keys(index, party, keys, cap)
        if near or whole is None:
            named, weights = index.ranked_names(
                keys, party.kinds, cap, limit + TIED, RELATIVE, near
            )
    named = _break_ties(index, party, whole, named, weights, limit)
    rows = list(dict.fromkeys(exact + named))[: limit + len(exact)]
    return [
        p
        for p in index.profiles(rows)
        if p["kind"] in party.kinds or set(p["keys"] or []) & set(party.keys)
    ]


def score(prepared: Scoring, profile: dict[str, Any], threshold: float) -> Hit | None:
    """Score one candidate with the model; every comparison and adjustment explains itself.
    None when it cannot reach the prepared floor."""
    party = prepared.party
    total, explanations = explain(prepared, profile)
    if not explanations:
        return None
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


def match_party(
    index: ScreenIndex, model: Model, party: Party, threshold: float, limit: int
) -> list[Hit]:
    """Hits for one party, best first, down to half the threshold."""
    party.common = frozenset(w for w in party.name_norm.split() if index.key_count(w) > COMMON_CAP)
    floor = threshold / 2
    prepared = prepare(model, party, floor)
    scored = (
        score(prepared, row, threshold)
        for row in candidates(index, party)
        if worth_scoring(party, row)
    )
    hits = [h for h in scored if h is not None]
    hits.sort(key=lambda h: (-h.score, h.profile_id))
    return [h for h in hits if h.score >= floor][:limit]
