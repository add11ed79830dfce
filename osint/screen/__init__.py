"""Screen: match travelers (and, later, cargo lines) against the published profiles."""

from osint.screen.inputs import read_travelers, traveler_from_mapping
from osint.screen.traveler import ALGORITHM, Explanation, Hit, Result, Traveler, screen_traveler

__all__ = [
    "ALGORITHM",
    "Explanation",
    "Hit",
    "Result",
    "Traveler",
    "read_travelers",
    "screen_traveler",
    "traveler_from_mapping",
]
