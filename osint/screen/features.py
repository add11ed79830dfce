"""Scoring features: small functions whose docstring is the explanation an officer reads.

Each feature takes the query (a :class:`Party`) and a candidate profile row and returns
(contribution, query value, profile value), or None when it has nothing to say (a field
missing on either side). The score is the sum of contributions, clipped to 0..1. A feature
without a docstring is refused when it is registered: it could not explain itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    tokens: tuple[str, ...] = field(default=())


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


def _soft_tokens(a: list[str], b: list[str]) -> float:
    """Mean best Jaro-Winkler of each word of `a` to the words of `b`."""
    return sum(max(jaro_winkler(x, y) for y in b) for x in a) / len(a)


def name_similarity(query: str, names: list[str]) -> tuple[float, str | None]:
    """Best similarity (0..1) of a normalized query name to any profile name, any word order."""
    best, best_name = 0.0, None
    q_tokens = query.split()
    if not q_tokens:
        return 0.0, None
    q_sorted = " ".join(sorted(q_tokens))
    q_set = set(q_tokens)
    for name in names:
        tokens = name.split()
        if not tokens:
            continue
        sim = max(jaro_winkler(query, name), jaro_winkler(q_sorted, " ".join(sorted(tokens))))
        if len(q_tokens) >= 2 and len(tokens) >= 2:
            # Every word close to a word of the other name, both ways: swaps and typos.
            both = min(_soft_tokens(q_tokens, tokens), _soft_tokens(tokens, q_tokens))
            sim = max(sim, both)
            # All of the query's words inside a longer listed name (middle names left out).
            if q_set <= set(tokens) or (set(tokens) <= q_set and len(tokens) >= 2):
                sim = max(sim, 0.97)
        if sim > best:
            best, best_name = sim, name
    return best, best_name


@feature("name")
def feature_name(q: Party, p: dict[str, Any]) -> FeatureOut:
    """Name: how closely the name matches a listed name or alias, in any word order."""
    sim, matched = name_similarity(q.name_norm, p["names_norm"] or [])
    if sim >= 0.85:
        contribution = 0.45 + (sim - 0.85) / 0.15 * 0.3
    else:
        contribution = sim * 0.3
    if len(q.name_norm.split()) == 1 and contribution > 0.45:
        contribution = 0.45  # one word alone ("Smith", "Trading") is not a name match
    return round(contribution, 3), q.name, matched


@feature("name_sound")
def feature_name_sound(q: Party, p: dict[str, Any]) -> FeatureOut:
    """Sound: every word of the name sounds like a word of a listed name (transliterations)."""
    keys = {k for k in (phonetic(t) for t in q.name_norm.split()) if k}
    listed = {phonetic(t) for n in (p["names_norm"] or []) for t in n.split()} - {""}
    if len(keys) < 2 or not listed or not keys <= listed:
        return None
    sim, _ = name_similarity(q.name_norm, p["names_norm"] or [])
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
