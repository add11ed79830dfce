"""Normalize: names, countries, phones, web identifiers and dates, shared by every stage."""

from osint.normalize.countries import to_iso2
from osint.normalize.dates import dob_year, parse_dob
from osint.normalize.names import (
    matching_form,
    name_tokens,
    normalize_name,
    ofac_display_name,
    strip_legal_form,
)
from osint.normalize.phones import to_e164
from osint.normalize.web import normalize_email, registered_domain

__all__ = [
    "dob_year",
    "matching_form",
    "name_tokens",
    "normalize_email",
    "normalize_name",
    "ofac_display_name",
    "parse_dob",
    "registered_domain",
    "strip_legal_form",
    "to_e164",
    "to_iso2",
]
