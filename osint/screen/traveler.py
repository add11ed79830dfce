"""Screening travelers against the published profile store.

Candidates come from indexed keys in the store (name tokens, identifiers, phones, emails);
each candidate is scored by small features whose docstrings are the explanation shown to an
officer. Algorithm name and version travel with every result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
from rigour.text.distance import jaro_winkler

from osint.normalize import normalize_email, normalize_name, to_e164, to_iso2

ALGORITHM = "osint.traveler.v1"


@dataclass(slots=True)
class Traveler:
    """One screening query (the traveler half of the screening contract)."""

    id: str
    name: str
    dob: str | None = None
    nationality: str | None = None
    passport_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass(slots=True)
class Explanation:
    feature: str
    description: str
    query_value: str | None
    profile_value: str | None
    contribution: float


@dataclass(slots=True)
class Hit:
    profile_id: str
    name: str
    kind: str
    score: float
    match: bool
    role: str
    risk_flags: list[str]
    explanations: list[Explanation] = field(default_factory=list)


@dataclass(slots=True)
class Result:
    query_id: str
    algorithm: str
    hits: list[Hit]


Feature = Callable[[Traveler, dict[str, Any]], tuple[float, str | None, str | None] | None]


def _tokens_sorted(name: str) -> str:
    return " ".join(sorted(name.split()))


def name_similarity(query: str, names: list[str]) -> tuple[float, str | None]:
    """Best similarity of the query name to any profile name, in any word order."""
    best, best_name = 0.0, None
    q_sorted = _tokens_sorted(query)
    q_tokens = set(query.split())
    for name in names:
        sim = max(jaro_winkler(query, name), jaro_winkler(q_sorted, _tokens_sorted(name)))
        tokens = set(name.split())
        # All of the query's words inside a longer listed name (middle names left out).
        if len(q_tokens) >= 2 and q_tokens <= tokens:
            sim = max(sim, 0.97)
        if sim > best:
            best, best_name = sim, name
    return best, best_name


def feature_name(q: Traveler, p: dict[str, Any]) -> tuple[float, str | None, str | None]:
    """Name: how closely the traveler's name matches a listed name or alias."""
    query = normalize_name(q.name)
    sim, matched = name_similarity(query, p["names_norm"] or [])
    contribution = 0.45 + (sim - 0.85) / 0.15 * 0.3 if sim >= 0.85 else sim * 0.3
    return round(contribution, 3), q.name, matched


def feature_dob(q: Traveler, p: dict[str, Any]) -> tuple[float, str | None, str | None] | None:
    """Date of birth: the same date counts for, a different year counts against."""
    if not q.dob or not p["dobs"]:
        return None
    dobs: list[str] = p["dobs"]
    for dob in dobs:
        if len(dob) == 10 and dob == q.dob:
            return 0.2, q.dob, dob
    for dob in dobs:
        if dob[:4] == q.dob[:4]:
            return 0.1, q.dob, dob
    return -0.35, q.dob, ", ".join(dobs)


def feature_nationality(
    q: Traveler, p: dict[str, Any]
) -> tuple[float, str | None, str | None] | None:
    """Nationality: a listed nationality (or passport country) equal to the traveler's."""
    code = to_iso2(q.nationality) if q.nationality else None
    listed = sorted(p["nationality"] or [])
    if not code or not listed:
        return None
    return (0.05 if code in listed else -0.1), code, ", ".join(listed)


def feature_keys(q: Traveler, p: dict[str, Any]) -> tuple[float, str | None, str | None] | None:
    """Identifiers and contacts: a passport number, phone or email the profile also has."""
    wanted = _query_keys(q)
    shared = sorted(set(wanted) & set(p["keys"] or []))
    if not shared:
        return None
    return 0.5, ", ".join(shared), ", ".join(shared)


FEATURES: dict[str, Feature] = {
    "name": feature_name,
    "dob": feature_dob,
    "nationality": feature_nationality,
    "identifiers": feature_keys,
}


def _query_keys(q: Traveler) -> list[str]:
    keys = []
    if q.passport_number:
        clean = "".join(ch for ch in q.passport_number.upper() if ch.isalnum())
        keys.append(f"passport:{clean}")
    if q.phone and (phone := to_e164(q.phone, to_iso2(q.nationality or "") or None)):
        keys.append(phone)
    if q.email and (email := normalize_email(q.email)):
        keys.append(email)
    return keys


_CANDIDATES_SQL = """
WITH cand AS (
    SELECT profile_id FROM profile_name_tokens WHERE token IN (SELECT unnest(?::VARCHAR[]))
    UNION SELECT profile_id FROM profile_keys WHERE value IN (SELECT unnest(?::VARCHAR[]))
)
SELECT p.profile_id, p.name, p.kind, p.names_norm, p.dobs, p.nationality, p.countries,
       p.risk_flags, list(k.value) FILTER (k.value IS NOT NULL) AS keys
FROM profiles p
JOIN cand USING (profile_id)
LEFT JOIN profile_keys k USING (profile_id)
WHERE p.kind = 'person'
GROUP BY ALL
"""


def screen_traveler(
    con: duckdb.DuckDBPyConnection, q: Traveler, threshold: float, limit: int
) -> Result:
    """Score one traveler against the profiles; hits above threshold are matches."""
    tokens = [t for t in normalize_name(q.name).split() if len(t) >= 2]
    rel = con.execute(_CANDIDATES_SQL, [tokens, _query_keys(q)])
    columns = [d[0] for d in rel.description]
    hits = []
    for row in rel.fetchall():
        profile = dict(zip(columns, row, strict=True))
        explanations = []
        for name, feature in FEATURES.items():
            out = feature(q, profile)
            if out is None:
                continue
            contribution, query_value, profile_value = out
            description = (feature.__doc__ or name).strip()
            explanations.append(
                Explanation(name, description, query_value, profile_value, contribution)
            )
        score = round(min(1.0, max(0.0, sum(e.contribution for e in explanations))), 3)
        hits.append(
            Hit(
                profile_id=profile["profile_id"],
                name=profile["name"],
                kind=profile["kind"],
                score=score,
                match=score >= threshold,
                role="traveler",
                risk_flags=list(profile["risk_flags"] or []),
                explanations=explanations,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.profile_id))
    return Result(q.id, ALGORITHM, [h for h in hits[:limit] if h.score >= threshold / 2])
