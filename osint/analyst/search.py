"""`osint search`: fuzzy search over the names, aliases and identifiers of published profiles.

Ranking: an exact hit on a phone, email, domain, wallet or identifier first (score 1.0), then
name similarity (Jaro-Winkler from rigour over the normalized names, word order ignored).
The query is normalized with the same functions extraction uses, so a phone typed as
written ("+86 139 7123 4567", "0086-139...") or a wallet with or without its chain prefix
finds its profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import duckdb
from rigour.text.distance import jaro_winkler

from osint.normalize import normalize_email, normalize_name, registered_domain, to_e164, to_iso2

#: Name candidates below this similarity are not shown.
MIN_NAME_SCORE = 0.8
_COMPACT = re.compile(r"[\s\-./]")


@dataclass(slots=True)
class SearchFilters:
    """Filters on the profile (all must hold); empty means no filter."""

    kinds: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    chemicals: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _compact(value: str) -> str:
    return _COMPACT.sub("", value).upper()


def key_candidates(text: str) -> dict[str, str]:
    """Normalized forms of the query that may equal a stored key value -> what they are."""
    text = text.strip()
    found: dict[str, str] = {}
    if not text:
        return found
    found[text] = "value"
    if sum(ch.isdigit() for ch in text) >= 6:
        phone = to_e164(text)
        if phone:
            found[phone] = "phone"
    if "@" in text:
        email = normalize_email(text)
        if email:
            found[email] = "email"
    elif "." in text and " " not in text:
        domain = registered_domain(text)
        if domain:
            found[domain] = "domain"
    return found


def _filter_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.kinds:
        clauses.append("p.kind IN (SELECT unnest(?::VARCHAR[]))")
        params.append(filters.kinds)
    if filters.countries:
        iso = [to_iso2(c) or c.upper() for c in filters.countries]
        clauses.append("len(list_intersect(list_concat(p.countries, p.nationality), ?)) > 0")
        params.append(iso)
    for column, values in (
        ("chemicals", [c.lower() for c in filters.chemicals]),
        ("sources", filters.sources),
        ("risk_flags", filters.flags),
    ):
        if values:
            clauses.append(f"len(list_intersect(p.{column}, ?::VARCHAR[])) > 0")
            params.append(values)
    return (" AND ".join(clauses) or "TRUE"), params


def _key_hits(
    con: duckdb.DuckDBPyConnection, text: str, where: str, params: list[Any]
) -> dict[str, tuple[float, str]]:
    candidates = key_candidates(text)
    compact = _compact(text)
    if not candidates:
        return {}
    rows = con.execute(
        f"""
        SELECT k.profile_id, k.key_type, k.value FROM profile_keys k
        JOIN profiles p USING (profile_id)
        WHERE ({where}) AND (
            k.value IN (SELECT unnest(?::VARCHAR[]))
            OR (length(?) >= 4 AND upper(regexp_replace(
                    substr(k.value, strpos(k.value, ':') + 1), '[\\s\\-./]', '', 'g')) = ?)
        )
        """,
        [*params, list(candidates), compact, compact],
    ).fetchall()
    hits: dict[str, tuple[float, str]] = {}
    for profile_id, key_type, value in rows:
        hits.setdefault(profile_id, (1.0, f"{key_type} {value}"))
    return hits


def _name_score(query_norm: str, names: list[str]) -> tuple[float, str]:
    q_sorted = " ".join(sorted(query_norm.split()))
    best = (0.0, "")
    q_tokens = set(query_norm.split())
    for name in names:
        tokens = name.split()
        score = max(
            jaro_winkler(query_norm, name), jaro_winkler(q_sorted, " ".join(sorted(tokens)))
        )
        if q_tokens and q_tokens <= set(tokens):
            score = max(score, 0.9 + 0.1 * len(q_tokens) / len(tokens))
        if score > best[0]:
            best = (score, name)
    return best


def _name_hits(
    con: duckdb.DuckDBPyConnection, text: str, where: str, params: list[Any]
) -> dict[str, tuple[float, str]]:
    query_norm = normalize_name(text)
    if not query_norm:
        return {}
    tokens = [t for t in query_norm.split() if len(t) >= 2]
    rows = con.execute(
        f"""
        SELECT p.profile_id, p.names_norm FROM profiles p
        WHERE ({where}) AND p.profile_id IN (
            SELECT profile_id FROM profile_name_tokens WHERE token IN (SELECT unnest(?))
            UNION SELECT profile_id FROM profile_names
            WHERE jaro_winkler_similarity(name_norm, ?) >= ?
        )
        """,
        [*params, tokens, query_norm, MIN_NAME_SCORE - 0.05],
    ).fetchall()
    hits: dict[str, tuple[float, str]] = {}
    for profile_id, names in rows:
        score, name = _name_score(query_norm, list(names or []))
        if score >= MIN_NAME_SCORE:
            hits[profile_id] = (round(score, 3), f"name {name}")
    return hits


def search(
    con: duckdb.DuckDBPyConnection, text: str, filters: SearchFilters, limit: int = 20
) -> list[dict[str, Any]]:
    """Profiles matching `text` (or, for an empty text, every profile the filters allow)."""
    where, params = _filter_sql(filters)
    # (score, what matched, 0 for an exact identifier hit / 1 for a name): keys rank first.
    hits = {pid: (s, m, 1) for pid, (s, m) in _name_hits(con, text, where, params).items()}
    hits.update({pid: (s, m, 0) for pid, (s, m) in _key_hits(con, text, where, params).items()})
    if not text.strip():
        ids = con.execute(
            f"SELECT profile_id FROM profiles p WHERE {where} ORDER BY name LIMIT ?",
            [*params, limit],
        ).fetchall()
        hits = {row[0]: (1.0, "filters", 1) for row in ids}
    if not hits:
        return []
    ranked = sorted(hits.items(), key=lambda kv: (kv[1][2], -kv[1][0], kv[0]))[:limit]
    details = {
        row[0]: row
        for row in con.execute(
            "SELECT profile_id, name, kind, countries, risk_flags, sources FROM profiles "
            "WHERE profile_id IN (SELECT unnest(?::VARCHAR[]))",
            [[pid for pid, _ in ranked]],
        ).fetchall()
    }
    results = []
    for profile_id, (score, matched, _rank) in ranked:
        _, name, kind, countries, flags, sources = details[profile_id]
        results.append(
            {
                "profile_id": profile_id,
                "name": name,
                "kind": kind,
                "score": score,
                "matched": matched,
                "countries": countries,
                "risk_flags": flags,
                "sources": sources,
            }
        )
    return results
