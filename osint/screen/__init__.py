"""Screen: match travelers and cargo manifest lines against the published profiles."""

from osint.screen.exclusions import Exclusion
from osint.screen.inputs import (
    CARGO_FIELDS,
    TRAVELER_FIELDS,
    cargo_from_mapping,
    iter_cargo,
    iter_travelers,
    read_travelers,
    traveler_from_mapping,
)
from osint.screen.queries import CargoLine, Traveler
from osint.screen.results import ALGORITHM, Explanation, Hit, Indicator, Result
from osint.screen.screener import Screener, ScreeningPaths
from osint.screen.traveler import screen_traveler

__all__ = [
    "ALGORITHM",
    "CARGO_FIELDS",
    "TRAVELER_FIELDS",
    "CargoLine",
    "Exclusion",
    "Explanation",
    "Hit",
    "Indicator",
    "Result",
    "Screener",
    "ScreeningPaths",
    "Traveler",
    "cargo_from_mapping",
    "iter_cargo",
    "iter_travelers",
    "read_travelers",
    "screen_traveler",
    "traveler_from_mapping",
]
