"""Scoring features: small functions whose docstring is the explanation an officer reads.

Each feature takes the query (a :class:`Party`) and a candidate profile row and returns
(contribution, query value, profile value), or None when it has nothing to say (a field
missing on either side). The score is the sum of contributions, clipped to 0..1. A feature
without a docstring is refused when it is registered: it could not explain itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rigour.text.distance import jaro_winkler

from osint.store.screening_views import phonetic as _phonetic


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    return _phonetic(token)


FeatureOut = tuple[float, str | None, str | None] | None


@dataclass(slots=True)
class Party:
    """One name to screen: a traveler, or a shipper, consignee or notify party of a cargo line."""

    role: str
    name: str
    name_norm: str
    kinds: tuple[str, ...]
    dob: str | None = None
    countries: tuple[str, ...] = ()
    address_norm: str | None = None
    keys: tuple[str, ...] = ()
    fp: str = ""  # the fingerprint, once computed (osint.screen.queries.fingerprint)


Feature = Callable[[Party, dict[str, Any]], FeatureOut]
FEATURES: dict[str, Feature] = {}


def feature(name: str) -> Callable[[Feature], Feature]:
    """Register a scoring feature; its docstring's first line is its explanation."""

    def register(func: Feature) -> Feature:
        if not (func.__doc__ or "").strip():
            raise TypeError(
                f"screening feature {name!r} has no docstring: it cannot explain itself"
            )
        FEATURES[name] = func
        return func

    return register


def describe(name: str) -> str:
    """The one-line explanation of a feature."""
    doc = FEATURES[name].__doc__ or ""
    return doc.strip().splitlines()[0]


# Words that say nothing about who a party is; dropped from both names before comparing.
FILLER = frozenset({"and", "of", "the", "for", "pte", "de", "del", "la", "al", "el", "bin", "ibn"})
TOKEN_FLOOR = 0.87  # a word closer than this to a word of the other name "corresponds"


def _word_sim(x: str, y: str) -> float:
    if len(x) == 1 or len(y) == 1:  # an initial stands for any word it begins
        return 0.9 if x[0] == y[0] else 0.0
    return jaro_winkler(x, y)


def _covered(q: list[str], p: list[str]) -> float:
    """Every query word corresponds to its own profile word; profile words left over (a
    patronymic, a middle name) cost a little each. 0 when a query word has no counterpart."""
    free = list(p)
    total = 0.0
    for x in sorted(q, key=len, reverse=True):
        best, at = 0.0, -1
        for i, y in enumerate(free):
            sim = _word_sim(x, y)
            if sim > best:
                best, at = sim, i
        if best < TOKEN_FLOOR:
            return 0.0
        total += best
        free.pop(at)
    return total / len(q) * (1.0 - 0.03 * len(free))


def comparable(name: str) -> list[str]:
    """Words of a normalized name without filler words (kept when nothing else is left)."""
    words = name.split()
    kept = [w for w in words if w not in FILLER]
    return kept or words


def name_similarity(query: str, names: list[str]) -> tuple[float, str | None]:
    """Best similarity (0..1) of a normalized query name to any profile name, any word order."""
    best, best_name = 0.0, None
    q_tokens = comparable(query)
    if not q_tokens:
        return 0.0, None
    q_join = " ".join(q_tokens)
    q_sorted = " ".join(sorted(q_tokens))
    q_set = set(q_tokens)
    for name in names:
        tokens = comparable(name)
        if not tokens:
            continue
        sim = max(
            jaro_winkler(q_join, " ".join(tokens)), jaro_winkler(q_sorted, " ".join(sorted(tokens)))
        )
        if len(q_tokens) >= 2 and len(tokens) >= 2:
            # Each query word has its own counterpart (swaps, typos; a patronymic may be left
            # out).
            if len(tokens) - len(q_tokens) <= 2:
                sim = max(sim, _covered(q_tokens, tokens))
            # All of the query's words inside a longer listed name (middle names left out).
            if q_set <= set(tokens):
                sim = max(sim, 1.0 if len(q_set) >= 3 else 0.97)
            elif set(tokens) <= q_set:
                sim = max(sim, 0.97)
        if sim > best:
            best, best_name = sim, name
    return best, best_name


def _name_sim(q: Party, p: dict[str, Any]) -> tuple[float, str | None]:
    """name_similarity of the query and a profile, computed once per pair."""
    cached: tuple[float, str | None] | None = p.get("_name_sim")
    if cached is None:
        cached = name_similarity(q.name_norm, p["names_norm"] or [])
        p["_name_sim"] = cached
    return cached


@feature("name")
def feature_name(q: Party, p: dict[str, Any]) -> FeatureOut:
    """Name: how closely the name matches a listed name or alias, in any word order."""
    sim, matched = _name_sim(q, p)
    if sim >= 0.85:
        contribution = 0.45 + (sim - 0.85) / 0.15 * 0.3
    else:
        contribution = sim * 0.3
    if q.kinds == ("person",) and len(q.name_norm.split()) == 1 and contribution > 0.45:
        contribution = 0.45  # one word alone ("Smith") is not a person's name
    return round(contribution, 3), q.name, matched


@feature("name_sound")
def feature_name_sound(q: Party, p: dict[str, Any]) -> FeatureOut:
    """Sound: every word of the name sounds like a word of a listed name (transliterations)."""
    keys = {k for k in (phonetic(t) for t in q.name_norm.split()) if k}
    listed = {phonetic(t) for n in (p["names_norm"] or []) for t in n.split()} - {""}
    if len(keys) < 2 or not listed or not keys <= listed:
        return None
    sim, _ = _name_sim(q, p)
    if sim >= 0.93:
        return None  # the spelling already says it; do not count the same evidence twice
    return 0.12, " ".join(sorted(keys)), " ".join(sorted(keys))


@feature("dob")
def feature_dob(q: Party, p: dict[str, Any]) -> FeatureOut:
    """Date of birth: the same date counts for, a different year counts against."""
    if not q.dob or not p.get("dobs"):
        return None
    dobs: list[str] = p["dobs"]
    for dob in dobs:
        if len(dob) == 10 and dob == q.dob:
            return 0.2, q.dob, dob
    for dob in dobs:
        if dob[:4] == q.dob[:4]:
            return 0.1, q.dob, dob
    return -0.35, q.dob, ", ".join(dobs)


@feature("country")
def feature_country(q: Party, p: dict[str, Any]) -> FeatureOut:
    """Country: a listed nationality or country equal to the query's (or none in common)."""
    listed = sorted(set(p.get("nationality") or []) | set(p.get("countries") or []))
    if not q.countries or not listed:
        return None
    common = sorted(set(q.countries) & set(listed))
    if common:
        return 0.05, ", ".join(common), ", ".join(common)
    return -0.1, ", ".join(q.countries), ", ".join(listed)


@feature("address")
def feature_address(q: Party, p: dict[str, Any]) -> FeatureOut:
    """Address: the same or a closely spelled address as one the profile lists."""
    if not q.address_norm or not p.get("addresses_norm"):
        return None
    best, best_addr = 0.0, None
    for addr in p["addresses_norm"]:
        sim = jaro_winkler(q.address_norm, addr)
        if sim > best:
            best, best_addr = sim, addr
    if best < 0.9:
        return None
    return 0.1, q.address_norm, best_addr


@feature("identifiers")
def feature_identifiers(q: Party, p: dict[str, Any]) -> FeatureOut:
    """Identifiers and contacts: a passport, IMO, phone, email or wallet the profile also has."""
    shared = sorted(set(q.keys) & set(p.get("keys") or []))
    if not shared:
        return None
    return 0.5, ", ".join(shared), ", ".join(shared)
