"""The Splink model over records: comparisons, blocking rules and their reviewed priors.

Each comparison has a distinct output column name and a one-line description that screening
and review show as the explanation of a merge. The m probabilities below are reviewed priors
(how often a true match agrees at each level); u probabilities are estimated from the data by
`osint resolve train`, which writes the model JSON kept under `config/resolve/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.comparison_library import CustomComparison
from splink.internals.comparison_creator import ComparisonCreator

MODEL_NAME = "osint.records"
MODEL_VERSION = "1"


@dataclass(frozen=True, slots=True)
class Feature:
    """One Splink comparison, with the words used to explain it."""

    name: str
    description: str
    levels: tuple[Any, ...]
    m_probabilities: tuple[float, ...]
    # Prior u for levels random sampling rarely reaches (two strangers sharing a passport).
    u_probabilities: tuple[float, ...] | None = None


def _array_feature(column: str, description: str, m_agree: float) -> Feature:
    return Feature(
        column,
        description,
        (
            cll.NullLevel(column),
            cll.ArrayIntersectLevel(column, 1),
            cll.ElseLevel(),
        ),
        (m_agree, 1 - m_agree),
        (1e-5, 1 - 1e-5),
    )


FEATURES: tuple[Feature, ...] = (
    Feature(
        "name",
        "Names: the same normalized name, a close spelling, or a shared alias",
        (
            cll.NullLevel("name_norm"),
            cll.ExactMatchLevel("name_norm"),
            cll.JaroWinklerLevel("name_norm", 0.95),
            cll.ArrayIntersectLevel("names_norm", 1),
            cll.JaroWinklerLevel("name_norm", 0.88),
            cll.ElseLevel(),
        ),
        (0.55, 0.15, 0.15, 0.08, 0.07),
    ),
    Feature(
        "dob",
        "Date of birth: the same date, or the same year",
        (
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.ExactMatchLevel("dob_year"),
            cll.ElseLevel(),
        ),
        (0.75, 0.17, 0.08),
    ),
    _array_feature(
        "countries", "Countries: a country of address, flag or nationality in common", 0.85
    ),
    _array_feature(
        "identifiers", "Identifiers: a passport, company or vessel number in common", 0.6
    ),
    _array_feature("phones", "Phones: a phone number in common", 0.4),
    _array_feature("emails", "Emails: an email address in common", 0.4),
    _array_feature("domains", "Websites: a registered domain in common", 0.4),
    _array_feature("wallets", "Wallets: a crypto wallet address in common", 0.4),
)
DESCRIPTIONS = {f.name: f.description for f in FEATURES}

# Every rule also requires the same kind; none is a name prefix alone (see docs/decisions).
BLOCKING_RULES = (
    block_on("kind", "names_norm", arrays_to_explode=["names_norm"]),
    block_on("kind", "identifiers", arrays_to_explode=["identifiers"]),
    block_on("kind", "dob", "substr(name_norm, 1, 4)"),
    block_on("kind", "phones", arrays_to_explode=["phones"]),
    block_on("kind", "emails", arrays_to_explode=["emails"]),
    block_on("kind", "wallets", arrays_to_explode=["wallets"]),
)


def settings(prior: float) -> SettingsCreator:
    """A fresh (untrained) model: reviewed m priors, u left to training."""
    comparisons: list[ComparisonCreator | dict[str, Any]] = []
    for f in FEATURES:
        comparison = CustomComparison(
            list(f.levels), output_column_name=f.name, comparison_description=f.description
        )
        comparison.configure(m_probabilities=list(f.m_probabilities))
        if f.u_probabilities is not None:
            comparison.configure(u_probabilities=list(f.u_probabilities))
        comparisons.append(comparison)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )
