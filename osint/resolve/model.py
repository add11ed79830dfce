"""The Splink model over records: comparisons, blocking rules, training rules and priors.

Each comparison has a distinct output column name and a one-line description that review,
`osint explain` and screening show as the explanation of a merge. The m probabilities below
are reviewed starting points; `osint resolve train` estimates the prior, u by random
sampling and m by expectation maximisation, and writes the model JSON kept under
`config/resolve/` (reviewed like code). Hand-written SQL lives in `dialects.py` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.comparison_library import CustomComparison
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

from osint.resolve.dialects import token_jaccard

MODEL_NAME = "osint.records"
MODEL_VERSION = "2"
# Two unrelated records share a (not widely shared) identifier, phone, email... at most this
# often among random pairs: the cap on u that training applies.
U_MAX_SHARED_VALUE = 1e-3


@dataclass(frozen=True, slots=True)
class Feature:
    """One Splink comparison, with the words used to explain it."""

    name: str
    description: str
    levels: tuple[Any, ...]
    m_probabilities: tuple[float, ...]
    # Prior u for levels random sampling rarely reaches (two strangers sharing a passport).
    u_probabilities: tuple[float, ...] | None = None
    # Reviewed maximum of u at the agreeing level (see training.cap_u).
    u_max: float | None = None


def _token_level(column: str, threshold: float, dialect: str) -> Any:
    return cll.CustomLevel(
        f"{token_jaccard(column, dialect)} >= {threshold}",
        label_for_charts=f"Words of {column.removesuffix('_tokens')} overlap >= {threshold}",
    )


def _array_feature(column: str, description: str, m_agree: float, rare: bool = True) -> Feature:
    """A value in common. `rare`: strangers almost never share one (a phone, a wallet), unlike
    a country or a chemical, so u starts tiny and training may not raise it past a cap."""
    return Feature(
        column,
        description,
        (cll.NullLevel(column), cll.ArrayIntersectLevel(column, 1), cll.ElseLevel()),
        (m_agree, 1 - m_agree),
        (1e-5, 1 - 1e-5) if rare else None,
        U_MAX_SHARED_VALUE if rare else None,
    )


def features(dialect: str = "duckdb") -> tuple[Feature, ...]:
    """The model's comparisons, in order, with SQL for `dialect`."""
    return (
        Feature(
            "name",
            "Names: the same normalized name, a close spelling, a shared alias or shared words",
            (
                cll.NullLevel("name_norm"),
                cll.ExactMatchLevel("name_norm"),
                cll.JaroWinklerLevel("name_norm", 0.95),
                cll.ArrayIntersectLevel("names_norm", 1),
                _token_level("name_tokens", 0.75, dialect),
                cll.JaroWinklerLevel("name_norm", 0.88),
                _token_level("name_tokens", 0.5, dialect),
                cll.ElseLevel(),
            ),
            (0.5, 0.15, 0.1, 0.08, 0.07, 0.05, 0.05),
        ),
        Feature(
            "dob",
            "Date of birth: the same date, a date in common, one digit apart, or the same year",
            (
                cll.NullLevel("dob"),
                cll.ExactMatchLevel("dob"),
                cll.ArrayIntersectLevel("dobs", 1),
                cll.LevenshteinLevel("dob", 1),
                cll.ExactMatchLevel("dob_year"),
                cll.ElseLevel(),
            ),
            (0.65, 0.08, 0.12, 0.08, 0.07),
        ),
        _array_feature(
            "countries",
            "Countries: a country of address, flag or nationality in common",
            0.85,
            rare=False,
        ),
        Feature(
            "city",
            "City: the same normalized city",
            (cll.NullLevel("city_norm"), cll.ExactMatchLevel("city_norm"), cll.ElseLevel()),
            (0.8, 0.2),
        ),
        Feature(
            "address",
            "Address: the same normalized address, or a close spelling of it",
            (
                cll.NullLevel("address_norm"),
                cll.ExactMatchLevel("address_norm"),
                cll.JaroWinklerLevel("address_norm", 0.9),
                cll.ElseLevel(),
            ),
            (0.6, 0.2, 0.2),
        ),
        _array_feature(
            "identifiers", "Identifiers: a passport, company or vessel number in common", 0.6
        ),
        _array_feature("phones", "Phones: a phone number in common", 0.4),
        _array_feature("emails", "Emails: an email address in common", 0.4),
        _array_feature("domains", "Websites: a registered domain in common", 0.4),
        _array_feature("wallets", "Wallets: a crypto wallet address in common", 0.4),
        _array_feature(
            "chemicals", "Chemicals: a precursor chemical offered by both", 0.3, rare=False
        ),
    )


FEATURES = features()
DESCRIPTIONS = {f.name: f.description for f in FEATURES}

# Every rule also requires the same kind; none is a name prefix alone (see docs/decisions).
BLOCKING_RULES: tuple[BlockingRuleCreator, ...] = (
    block_on("kind", "names_norm", arrays_to_explode=["names_norm"]),
    block_on("kind", "name_key"),
    block_on("kind", "identifiers", arrays_to_explode=["identifiers"]),
    block_on("kind", "dob", "substr(name_norm, 1, 4)"),
    block_on("kind", "dob", "city_norm"),
    block_on("kind", "phones", arrays_to_explode=["phones"]),
    block_on("kind", "emails", arrays_to_explode=["emails"]),
    block_on("kind", "domains", arrays_to_explode=["domains"]),
    block_on("kind", "wallets", arrays_to_explode=["wallets"]),
)

# Training: rules that admit almost no false positives, for the prior...
DETERMINISTIC_RULES: tuple[BlockingRuleCreator, ...] = (
    block_on("kind", "name_norm", "dob"),
    block_on("kind", "identifiers", arrays_to_explode=["identifiers"]),
)
# ...and rules for EM: each leaves the comparisons it does not use free to be estimated.
EM_RULES: tuple[BlockingRuleCreator, ...] = (
    block_on("kind", "name_norm"),
    block_on("kind", "dob", "city_norm"),
)


class DescribedComparison(CustomComparison):
    """CustomComparison that keeps its description: Splink 5.0 stores `comparison_description`
    but reports the class name instead (checked here), so the model JSON lost our words."""

    def create_description(self) -> str:
        return str(self._description or super().create_description())


def settings(prior: float, dialect: str = "duckdb") -> SettingsCreator:
    """A fresh (untrained) model: reviewed m priors, u left to training."""
    comparisons: list[ComparisonCreator | dict[str, Any]] = []
    for f in features(dialect):
        comparison = DescribedComparison(
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
