"""Phone numbers to E.164 with libphonenumber."""

from __future__ import annotations

import re

import phonenumbers

_LEADING = re.compile(r"^\s*(?:\+|00)")


def to_e164(raw: str, country_hint: str | None = None) -> str | None:
    """ "+98 21 8802 1234" -> "+982188021234"; a national number uses the ISO2 hint.

    Numbers are accepted when *possible* (right length for the country), not only when
    *valid* for today's numbering plan: sanctions lists keep old numbers on purpose.
    """
    text = raw.strip()
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    region = None if _LEADING.match(text) else (country_hint or "").upper() or None
    if region is None and not text.startswith("+"):
        text = "+" + text  # assume the number starts with its country code
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
