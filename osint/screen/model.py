"""The resolution model's comparisons, evaluated in Python for one query and one profile.

Screening scores with the Splink model the profiles were built with (the JSON that `publish`
keeps in the store's `meta` as `model_settings`): the same comparisons, the same levels in
the same order, the same m and u probabilities. Splink itself is not called per query (its
`predict_between` takes hundreds of milliseconds, docs/benchmarks.md): each level's SQL
condition is read once and turned into a Python test that means exactly what the SQL means
in DuckDB (:mod:`osint.screen.levels`, where every form we understand is listed; a model
with any other SQL is refused with a message naming the level).

A level's match weight is log2(m / u), as Splink computes it (m or u missing: Splink's
default for the level's position; clamped at 1e-300). The profile side is an aggregate of
its records, so each comparison is evaluated for every value the profile lists (every name,
every date of birth, every address) and the best level counts.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from osint.errors import ConfigError
from osint.screen.levels import Record, Test, parse_condition

LEVEL_NOT_OBSERVED = "level not observed in training dataset"  # Splink's marker for m or u
M_U_CLAMP_MIN = 1e-300  # as Splink


@dataclass(frozen=True, slots=True)
class Level:
    label: str
    words: str  # the level in words an officer reads ("the same", "spelled alike", ...)
    test: Test | None  # None: the ELSE level
    columns: tuple[str, ...]
    weight: float  # match weight, bits
    kind: str = "else"  # the SQL's form (osint.screen.levels.Parsed.kind)
    threshold: float = 0.0


# Name levels that hold only when the query's words, in some order, are a profile name's:
# the exact name (the query's words reordered are still its words), a name the profile lists.
_SAME_WORDS = {("exact", ("name_norm",)), ("intersect", ("names_norm",))}


@dataclass(frozen=True, slots=True)
class NamePlan:
    """What the name comparison's levels of some strength need, when each only compares
    word sets (`Comparison.name_plan`): the query's words, in any order, being a profile
    name's words (an exact name, a name the profile lists; the query's words reordered are
    still its words), or a word-set Jaccard of at least `jaccard`. A profile name with
    neither cannot reach those levels: a bound checked on the names alone."""

    same_words: bool
    jaccard: float | None


@dataclass(frozen=True, slots=True)
class Comparison:
    name: str
    description: str
    null_columns: tuple[str, ...]  # the null level: any of these missing says nothing
    levels: tuple[Level, ...]
    columns: tuple[str, ...] = ()  # every column the comparison reads (set by `build`)
    best: float = 0.0  # the most a comparison can add, bits (0 when no level is positive)
    found: dict[tuple[str, str], Level | None] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )  # find()'s answers
    # ahead[i]: the highest weight among levels[i:] (what is still reachable at level i).
    ahead: tuple[float, ...] = ()
    # The highest weight of a level on `name_norm` that is not an exact match (-1e9: none).
    near_name: float = -1e9
    plans: dict[float, NamePlan | None] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )  # name_plan()'s answers

    @classmethod
    def build(
        cls, name: str, description: str, null_columns: tuple[str, ...], levels: tuple[Level, ...]
    ) -> Comparison:
        cols = dict.fromkeys(null_columns)
        for level in levels:
            cols.update(dict.fromkeys(level.columns))
        best = max(0.0, *(level.weight for level in levels))
        ahead = [level.weight for level in levels]
        for i in range(len(ahead) - 2, -1, -1):
            ahead[i] = max(ahead[i], ahead[i + 1])
        near = [lv.weight for lv in levels if lv.kind != "exact" and "name_norm" in lv.columns]
        return cls(
            name,
            description,
            null_columns,
            levels,
            tuple(cols),
            best,
            ahead=tuple(ahead),
            near_name=max(near, default=-1e9),
        )

    def find(self, kind: str, column: str) -> Level | None:
        """The level of this SQL form on `column` with the highest threshold (the first
        exact match, the strictest Jaro-Winkler...), if the comparison has one."""
        key = (kind, column)
        if key not in self.found:
            hits = [lv for lv in self.levels if lv.kind == kind and column in lv.columns]
            self.found[key] = max(hits, key=lambda lv: lv.threshold) if hits else None
        return self.found[key]

    def name_plan(self, needed: float) -> NamePlan | None:
        """How a name comparison's levels of at least `needed` bits can be reached, when all
        of them only compare word sets (`NamePlan`); None when some could be reached
        otherwise (a close spelling, an ELSE level): no cheap bound then."""
        if needed in self.plans:
            return self.plans[needed]
        plan: NamePlan | None = None
        same_words, jaccard = False, None
        for level in self.levels:
            if level.weight < needed:
                continue  # reaching it does not reach `needed`
            if (level.kind, level.columns) in _SAME_WORDS:
                same_words = True
            elif level.kind == "jaccard" and level.columns == ("name_tokens",):
                jaccard = level.threshold if jaccard is None else min(jaccard, level.threshold)
            else:
                break  # a spelling level, the ELSE level: no bound
        else:
            plan = NamePlan(same_words, jaccard)
        if len(self.plans) < 1024:
            self.plans[needed] = plan
        return plan

    def missing(self, record: Record) -> bool:
        """Whether the record lacks a value the null level looks at (no evidence then)."""
        for c in self.null_columns:
            if record.get(c) is None:
                return True
        return False

    def level(self, left: Record, right: Record) -> Level | None:
        """The level one pair of records reaches (None: the null level, no evidence)."""
        if self.missing(left) or self.missing(right):
            return None
        for level in self.levels:
            if level.test is None or level.test(left, right):
                return level
        return self.levels[-1]  # the SQL's CASE ends with ELSE; a model without one: last

    def reaches(self, left: Record, right: Record, needed: float) -> bool:
        """Whether the pair reaches a level of at least `needed` bits: the levels are tried
        in order only while one of weight >= needed is still ahead."""
        if self.missing(left) or self.missing(right):
            return False
        for level, ahead in zip(self.levels, self.ahead, strict=True):
            if ahead < needed:
                return False
            if level.test is None or level.test(left, right):
                return level.weight >= needed
        return False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one comparison says about a query and a profile."""

    comparison: Comparison
    level: Level
    query: Record
    profile: Record


def _default_probabilities(levels: int) -> tuple[list[float], list[float]]:
    """Splink's defaults for m and u by comparison vector value (0 = the ELSE level)."""
    m = [0.05 / (levels - 1)] * (levels - 1) + [0.95] if levels > 1 else [0.95]
    if levels == 2:
        weights = [-5.0]
    elif levels > 2:
        step = 8.0 / (levels - 2)
        weights = [-5.0 + i * step for i in range(levels - 1)]
    else:
        weights = []
    weights.append(10.0)
    u = [mi / 2.0**w for mi, w in zip(m, weights, strict=True)]
    return m, u


def _probability(value: Any, default: float) -> float:
    if value is None:
        return default
    if value == LEVEL_NOT_OBSERVED:
        return 1e-6
    return float(value)


def _comparison(raw: dict[str, Any], where: str) -> Comparison:
    name = str(raw.get("output_column_name") or "")
    where = f"{where}: comparison {name or '?'}"
    description = str(raw.get("comparison_description") or name)
    raw_levels = raw.get("comparison_levels") or []
    non_null = [lv for lv in raw_levels if not lv.get("is_null_level")]
    default_m, default_u = _default_probabilities(len(non_null))
    null_columns: tuple[str, ...] = ()
    levels: list[Level] = []
    errors: list[str] = []
    for position, raw_level in enumerate(raw_levels):
        sql = str(raw_level.get("sql_condition") or "")
        label = str(raw_level.get("label_for_charts") or sql)
        if raw_level.get("tf_adjustment_column"):
            errors.append(f"{where}: level {label!r} uses term frequencies: not supported")
            continue
        try:
            parsed = parse_condition(sql)
        except ValueError as exc:
            errors.append(f"{where}: level {position} ({label!r}): {exc}")
            continue
        if raw_level.get("is_null_level"):
            null_columns = parsed.columns
            continue
        vector_value = len(non_null) - 1 - len(levels)
        m = _probability(raw_level.get("m_probability"), default_m[vector_value])
        u = _probability(raw_level.get("u_probability"), default_u[vector_value])
        weight = math.log2(max(m, M_U_CLAMP_MIN) / max(u, M_U_CLAMP_MIN))
        levels.append(
            Level(
                label,
                parsed.words,
                parsed.test,
                parsed.columns,
                weight,
                parsed.kind,
                parsed.threshold,
            )
        )
    if errors:
        raise ConfigError(errors)
    if not levels:
        raise ConfigError([f"{where}: no comparison levels"])
    return Comparison.build(name, description, null_columns, tuple(levels))


def logit(probability: float) -> float:
    """log2 of the odds of a probability (the unit of match weights)."""
    return math.log2(probability / (1.0 - probability))


def probability(bits: float) -> float:
    """The probability whose log2 odds are `bits` (the inverse of :func:`logit`)."""
    if bits > 60:
        return 1.0
    if bits < -60:
        return 0.0
    odds: float = 2.0**bits
    return odds / (1.0 + odds)


@dataclass(frozen=True, slots=True)
class Model:
    """A trained Splink model, ready to compare a query record with a profile's records."""

    name: str
    source: str  # where it was read from (the store's meta, or a file)
    trained_prior: float  # probability_two_random_records_match: a deduplication prior
    comparisons: tuple[Comparison, ...]

    @classmethod
    def from_json(cls, text: str, source: str) -> Model:
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise ConfigError([f"{source}: the model is not JSON ({exc})"]) from exc
        if not isinstance(raw, dict) or not raw.get("comparisons"):
            raise ConfigError([f"{source}: not a Splink model (no comparisons)"])
        errors: list[str] = []
        comparisons = []
        for item in raw["comparisons"]:
            try:
                comparisons.append(_comparison(item, source))
            except ConfigError as exc:
                errors.extend(exc.problems)
        if errors:
            raise ConfigError(errors)
        name = str((raw.get("osint") or {}).get("model") or "unnamed")
        prior = float(raw.get("probability_two_random_records_match") or 0.0)
        return cls(name, source, prior, tuple(comparisons))

    def compare(
        self,
        query: Record,
        alternatives: Callable[[tuple[str, ...]], Iterable[Record]],
        skip: Sequence[str] = (),
    ) -> list[Outcome]:
        """Each comparison's best level (highest weight) over the profile's alternative
        records for that comparison's columns; comparisons at their null level are left out."""
        out: list[Outcome] = []
        for comparison in self.comparisons:
            if comparison.name in skip:
                continue
            best: Outcome | None = None
            for right in alternatives(comparison.columns):
                level = comparison.level(query, right)
                if level is not None and (best is None or level.weight > best.level.weight):
                    best = Outcome(comparison, level, query, right)
            if best is not None:
                out.append(best)
        return out


def product(groups: Sequence[Sequence[Record]]) -> list[Record]:
    """Records combining one alternative of each group (a profile's name with its tokens,
    each of its dates of birth with its year, ...)."""
    records = []
    for combo in itertools.product(*groups):
        merged: Record = {}
        for part in combo:
            merged.update(part)
        records.append(merged)
    return records
