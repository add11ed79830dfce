"""A hit's score: the resolution model's comparisons, a screening prior, documented guards.

The query party becomes one record of the model's matching view (`name_norm`,
`name_tokens`, `dob`, `countries`, `address_norm`, `identifiers`, `phones`, ...); the
profile offers one record per value it lists (each name, each date of birth, each address)
and every comparison takes its best level over them (:mod:`osint.screen.model`).

score = probability(prior bits + the comparisons' match weights + adjustments), where
probability(w) = 2^w / (1 + 2^w). Every term is an explanation: its contribution is in bits
(log2 of a likelihood ratio), so an officer can see which evidence carried the score.

The prior (`SCREEN_PRIOR`) is set for screening, not taken from the model: the model's
`probability_two_random_records_match` answers "are two random records of the work store
one entity" (about 1/N). Screening asks whether this query names this listed profile; we
take 1 in 10,000 (-13.3 bits): an exact name alone (+16.6 bits in the trained model)
makes a match, an exact name with another date of birth (-3.8 bits) does not. See
docs/screening.md, "How a score is computed".

Screening guards the model does not have, each a small function whose docstring is the
explanation shown (:mod:`osint.screen.features`): word order (the query's words are also
compared in the order of the profile's name), sound (transliterations), and a one-word
person name that must not count as a full name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from osint.normalize import normalize_name
from osint.screen.features import ADJUSTMENTS, Party, aligned, describe
from osint.screen.model import Comparison, Level, Model, NamePlan, logit, probability, product
from osint.screen.results import Explanation

SCREEN_PRIOR = 1e-4
PRIOR_BITS = logit(SCREEN_PRIOR)
PRIOR_DESCRIPTION = (
    "Before any evidence: how likely a profile found for the query is the query's entity "
    "(1 in 10,000)"
)
NAME = "name"  # the model's name comparison: screening compares word orders for it

Record = dict[str, Any]


def _keys(keys: Any) -> dict[str, list[str]]:
    """A profile's (or query's) keys by matching-view column (the store keeps them in one
    list): emails have an @, phones start with +, wallets are CHAIN:address (upper-case
    chain), identifiers scheme:value (lower-case scheme), domains the rest."""
    out: dict[str, list[str]] = {
        "identifiers": [],
        "phones": [],
        "emails": [],
        "domains": [],
        "wallets": [],
    }
    for key in keys or ():
        if "@" in key:
            out["emails"].append(key)
        elif key.startswith("+"):
            out["phones"].append(key)
        elif ":" in key:
            scheme = key.split(":", 1)[0]
            out["wallets" if scheme.isupper() else "identifiers"].append(key)
        else:
            out["domains"].append(key)
    return out


def _arrays(values: dict[str, list[str]]) -> Record:
    return {k: (v or None) for k, v in values.items()}


def _name(name: str) -> Record:
    tokens = list(dict.fromkeys(name.split()))
    return {"name_norm": name or None, "name_tokens": tokens or None}


def _dob(dob: str) -> Record:
    return {"dob": dob, "dob_year": dob[:4]}


def query_record(party: Party) -> Record:
    """The query party as a record of the model's matching view."""
    record: Record = {
        **_name(party.name_norm),
        "names_norm": [party.name_norm] if party.name_norm else None,
        "dob": None,
        "dobs": None,
        "dob_year": None,
        "countries": list(party.countries) or None,
        "city_norm": None,
        "address_norm": party.address_norm or None,
        "chemicals": None,
        **_arrays(_keys(party.keys)),
    }
    if party.dob:
        record.update(_dob(party.dob), dobs=[party.dob])
    return record


# Columns whose values a profile lists several of: one alternative record per value.
_GROUPS = {
    "name_norm": "names",
    "name_tokens": "names",
    "dob": "dobs",
    "dob_year": "dobs",
    "address_norm": "addresses",
}


@lru_cache(maxsize=256)
def _split(columns: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """A comparison's columns: the groups with one record per value, the single columns."""
    used = list(dict.fromkeys(_GROUPS[c] for c in columns if c in _GROUPS))
    return used, [c for c in columns if c not in _GROUPS]


class ProfileRecords:
    """A profile's alternative records per comparison, each holding only the columns that
    comparison reads (built when first needed, kept with the cached profile)."""

    __slots__ = ("_addresses", "_cache", "_countries", "_keys", "_whole", "dobs", "names")

    def __init__(self, profile: dict[str, Any]) -> None:
        # Nothing here refers back to the profile dict, which refers to this object: no
        # reference cycle, so dropping a cached profile frees it at once (no collection).
        self.names: list[str] = [n for n in profile.get("names_norm") or [] if n]
        self.dobs: list[str] = [d for d in profile.get("dobs") or [] if d]
        self._addresses: list[str] = profile.get("addresses") or []
        self._countries = (profile.get("countries") or [], profile.get("nationality") or [])
        self._keys: list[str] = profile.get("keys") or []
        self._whole: Record | None = None
        self._cache: dict[tuple[str, ...], list[Record]] = {}

    @property
    def whole(self) -> Record:
        """The columns with one value per profile (lists: names, dates, countries, keys)."""
        if self._whole is None:
            countries = set(self._countries[0]) | set(self._countries[1])
            self._whole = {
                "names_norm": self.names or None,
                "dobs": self.dobs or None,
                "countries": sorted(countries) or None,
                "city_norm": None,
                "chemicals": None,
                **_arrays(_keys(self._keys)),
            }
        return self._whole

    def group(self, name: str) -> list[Record]:
        if name == "names":
            return [_name(n) for n in self.names] or [_name("")]
        if name == "dobs":
            return [_dob(d) for d in self.dobs] or [{"dob": None, "dob_year": None}]
        addresses = [a for a in (normalize_name(x) for x in self._addresses) if a]
        return [{"address_norm": a} for a in addresses] or [{"address_norm": None}]

    def alternatives(self, columns: tuple[str, ...]) -> list[Record]:
        cached = self._cache.get(columns)
        if cached is None:
            used, single = _split(columns)
            base: Record = {}
            if single:
                whole = (
                    self.whole if single != ["names_norm"] else {"names_norm": self.names or None}
                )
                base = {c: whole.get(c) for c in single}
            if used == ["names"] and list(base) == ["names_norm"]:
                # The name comparison (the one every candidate needs): one dict per name.
                names = base["names_norm"]
                cached = [
                    {
                        "names_norm": names,
                        "name_norm": n,
                        "name_tokens": list(dict.fromkeys(n.split())),
                    }
                    for n in self.names
                ] or [{"names_norm": None, "name_norm": None, "name_tokens": None}]
            elif len(used) == 1:
                cached = [{**base, **alt} for alt in self.group(used[0])]
            elif used:
                cached = product([[base], *(self.group(g) for g in used)])
            else:
                cached = [base]
            self._cache[columns] = cached
        return cached


def records_of(profile: dict[str, Any]) -> ProfileRecords:
    """The profile's alternative records, kept with the (cached) profile under `_records`."""
    records: ProfileRecords | None = profile.get("_records")
    if records is None:
        records = profile["_records"] = ProfileRecords(profile)
    return records


def _values(comparison: Comparison, record: Record, level: Level) -> str | None:
    """The value a comparison looked at, for the explanation (the column of its null level,
    such as the whole name or date, else the level's own column)."""
    for column in (*comparison.null_columns, *level.columns):
        value = record.get(column)
        if value is not None:
            return ", ".join(value) if isinstance(value, list) else str(value)
    return None


def _best_name(
    comparison: Comparison, query: Record, party: Party, profile: ProfileRecords
) -> tuple[Level, Record, Record] | None:
    """The name comparison's best level, the query's words also taken in the order of each
    profile name (word order: `aligned`). A profile name equal to the query's is tried
    first: when it reaches the comparison's strongest level, nothing else is."""
    best: tuple[Level, Record, Record] | None = None
    alternatives = profile.alternatives(comparison.columns)
    same = [r for r in alternatives if r.get("name_norm") == party.name_norm]
    for right in same + alternatives if same else alternatives:
        level = comparison.level(query, right)
        if level is not None and (best is None or level.weight > best[0].weight):
            best = (level, query, right)
            if level.weight >= comparison.best:
                return best  # no name can do better
        other = right.get("name_norm")
        reordered = aligned(party.name_norm, other) if other else None
        if reordered and reordered != party.name_norm:
            left = {**query, **_name(reordered)}
            level = comparison.level(left, right)
            if level is not None and (best is None or level.weight > best[0].weight):
                best = (level, left, right)
                if level.weight >= comparison.best:
                    return best
    return best


@lru_cache(maxsize=200_000)
def _sorted_words(name: str) -> tuple[str, ...]:
    return tuple(sorted(name.split()))


def _name_reaches(
    comparison: Comparison, query: Record, party: Party, profile: ProfileRecords, needed: float
) -> bool:
    """Whether any profile name (in the query's word order or the name's) reaches a name
    level of at least `needed` bits; cheaper than finding the level. Reordering the query's
    words changes only `name_norm` (word sets stay the same), and makes it equal to the
    profile name only when both have the same words: so the reordered query is tried only
    when it could reach an exact match, or a `name_norm` level strong enough."""
    others = comparison.near_name
    q_sorted = _sorted_words(party.name_norm)
    for right in profile.alternatives(comparison.columns):
        if comparison.reaches(query, right, needed):
            return True
        other = right.get("name_norm")
        if not other or (others < needed and _sorted_words(other) != q_sorted):
            continue
        reordered = aligned(party.name_norm, other)
        if reordered and reordered != party.name_norm:
            if comparison.reaches({**query, **_name(reordered)}, right, needed):
                return True
    return False


def may_reach(plan: NamePlan, party: Party, names: list[str]) -> bool:
    """False when no profile name can reach the levels `plan` describes (their word sets
    differ from the query's too much): then `_name_reaches` is False too, and cheaper to
    know. The names are the profile's `names_norm`, read as they are, without building its
    records."""
    q_sorted = _sorted_words(party.name_norm)
    q_set = set(q_sorted)
    jaccard = plan.jaccard
    for name in names:
        if not name:
            continue
        words = _sorted_words(name)
        if plan.same_words and words == q_sorted:
            return True
        if jaccard is not None:
            p_set = set(words)
            union = len(q_set | p_set)
            if union > 0 and len(q_set & p_set) / union >= jaccard:
                return True
    return False


def _compare(
    comparison: Comparison, query: Record, party: Party, records: ProfileRecords
) -> tuple[Level, Record, Record] | None:
    if comparison.name == NAME:
        return _best_name(comparison, query, party, records)
    found: tuple[Level, Record, Record] | None = None
    for right in records.alternatives(comparison.columns):
        level = comparison.level(query, right)
        if level is not None and (found is None or level.weight > found[0].weight):
            found = (level, query, right)
    return found


def _explanation(comparison: Comparison, found: tuple[Level, Record, Record]) -> Explanation:
    level, left, right = found
    return Explanation(
        comparison.name,
        f"{comparison.description}: {level.words}",
        _values(comparison, left, level),
        _values(comparison, right, level),
        round(level.weight, 2),
        level.label,
    )


def active_comparisons(model: Model, query: Record) -> list[Comparison]:
    """The comparisons that can say something about the query (it has their values)."""
    return [c for c in model.comparisons if not c.missing(query)]


@dataclass(frozen=True, slots=True)
class Scoring:
    """What scoring one party needs, worked out once for all of its candidates."""

    party: Party
    query: Record  # the party as a record of the matching view
    name: Comparison | None  # the model's name comparison, when the query has a name
    rest: tuple[Comparison, ...]  # the other comparisons the query has values for
    rest_best: float  # the most they can add together, bits
    floor: float  # candidates that cannot reach this score are dropped (0: none)
    needed: float  # the name bits a candidate needs to reach `floor` (-1e9: no floor)
    plan: NamePlan | None  # how those bits can be reached, when words alone decide


def prepare(model: Model, party: Party, floor: float = 0.0) -> Scoring:
    """A party's `Scoring`: its record, the comparisons it has values for, and what its
    name must reach for a candidate to come up to `floor`."""
    query = query_record(party)
    active = active_comparisons(model, query)
    name = next((c for c in active if c.name == NAME), None)
    rest = tuple(c for c in active if c is not name)
    rest_best = sum(c.best for c in rest)
    needed = logit(floor) - PRIOR_BITS - rest_best if 0 < floor < 1 else -1e9
    plan = name.name_plan(needed) if name is not None and needed > -1e9 else None
    return Scoring(party, query, name, rest, rest_best, floor, needed, plan)


def _name_fails(s: Scoring, name: Comparison, profile: dict[str, Any]) -> bool:
    """Whether the profile's names cannot give the `needed` bits, adjustments included."""
    if s.needed <= -1e9:
        return False
    plan = s.plan
    if (plan is None or may_reach(plan, s.party, profile.get("names_norm") or [])) and (
        _name_reaches(name, s.query, s.party, records_of(profile), s.needed)
    ):
        return False
    # Only an adjustment could lift the name that far: ask them with that many bits.
    return not any(
        (out := adjust(s.party, profile, name, s.needed - 1e-9)) is not None and out[0] > 0
        for adjust in ADJUSTMENTS.values()
    )


def explain(s: Scoring, profile: dict[str, Any]) -> tuple[float, list[Explanation]]:
    """(score 0..1, explanations) of one query party (prepared: `prepare`) against one
    profile. The name is compared first; when even the best levels of the other
    comparisons could not lift the score to the floor, the rest is skipped and (0.0, [])
    returned."""
    name, party, query = s.name, s.party, s.query
    if name is not None and _name_fails(s, name, profile):
        return 0.0, []
    explanations = [Explanation("prior", PRIOR_DESCRIPTION, None, None, round(PRIOR_BITS, 2))]
    bits = PRIOR_BITS
    records = records_of(profile)
    if name is not None:
        found = _compare(name, query, party, records)
        if found is not None:
            explanations.append(_explanation(name, found))
            name_bits = found[0].weight
            for adjustment, adjust in ADJUSTMENTS.items():
                out = adjust(party, profile, name, name_bits)
                if out is not None:
                    delta, query_value, profile_value = out
                    name_bits += delta
                    explanations.append(
                        Explanation(
                            adjustment,
                            describe(adjustment),
                            query_value,
                            profile_value,
                            round(delta, 2),
                        )
                    )
            bits += name_bits
    if s.floor > 0 and probability(bits + s.rest_best) < s.floor:
        return 0.0, []
    for comparison in s.rest:
        found = _compare(comparison, query, party, records)
        if found is not None:
            explanations.append(_explanation(comparison, found))
    total = sum(e.contribution for e in explanations)
    return round(probability(total), 3), explanations
