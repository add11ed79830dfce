"""Phone numbers as sanctions lists and travellers write them, to E.164 with libphonenumber.

A number is kept when it is *possible* (a plausible length for its country), not only when it
is *valid* for today's numbering plan: sanctions lists keep old numbers on purpose, and an old
number is still evidence. The one exception is a bare digit string with neither a "+"/"00"
prefix nor a country hint: reading its first digits as a country code is a guess, so it must
give a *valid* number ("9647718635788" -> "+9647718635788") unless the code is set apart by a
separator ("86-10-12345678" -> "+861012345678").
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
)
from phonenumbers.phonenumberutil import ValidationResult, _test_number_length

# Where the number starts in text such as "Phone Number 0097165749995" or "(357)(22660766)".
_START = re.compile(r"[+(\d]")
# A country calling code set apart from the rest: "86-10-...", "(357)(2266...", "44 20 ...".
_CODE_THEN_SEPARATOR = re.compile(r"^\(?(\d{1,3})\)?[\s\-./()]")


# "+" and digits only, as lists and our own stores write numbers: see `_plain_e164`.
_PLAIN = re.compile(r"\+[1-9][0-9]{5,16}")
_POSSIBLE = (ValidationResult.IS_POSSIBLE, ValidationResult.IS_POSSIBLE_LOCAL_ONLY)


@cache
def _prefix_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _plain_e164(text: str) -> str | bool | None:
    """A "+digits" number's E.164 form without libphonenumber's full parse (about 20 us),
    using its metadata and length test; False when only the full parse can tell (a national
    prefix that parsing would strip, a leading zero). Tests compare it with the full parse."""
    digits = text[1:]
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return False
    national = digits[size:]
    if len(national) < 2 or national.startswith("0"):
        return False
    region = phonenumbers.region_code_for_country_code(code)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
    if metadata is None:
        return False
    prefix = metadata.national_prefix_for_parsing
    if prefix is not None and _prefix_pattern(prefix).match(national):
        return False
    return text if _test_number_length(national, metadata) in _POSSIBLE else None


def _parse(text: str, region: str | None) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def _with_guessed_code(text: str) -> PhoneNumber | None:
    """Read the leading digits of an unprefixed number as its country calling code."""
    if text.lstrip("(").startswith("0"):
        return None  # a trunk prefix: a national number of unknown country
    number = _parse("+" + text, None)
    if number is None:
        return None
    code = _CODE_THEN_SEPARATOR.match(text)
    if code and int(code[1]) == number.country_code:
        return number
    return number if phonenumbers.is_valid_number(number) else None


def to_e164(raw: str, country_hint: str | None = None) -> str | None:
    """ "+98 21 8802 1234" -> "+982188021234"; a national number uses the ISO2 hint.

    "00" counts as the international prefix. Returns None when no possible number is found.
    """
    start = _START.search(raw)
    if start is None:
        return None
    text = raw[start.start() :].strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    if _PLAIN.fullmatch(text):
        plain = _plain_e164(text)
        if plain is not False:
            return plain  # type: ignore[return-value]
    number: PhoneNumber | None = None
    if text.startswith("+"):
        number = _parse(text, None)
    else:
        if country_hint:
            number = _parse(text, country_hint.strip().upper())
        if number is None:
            # No hint, or the number does not fit the hint's country (OFAC gives the address
            # country as hint, but writes foreign numbers with their code and no "+").
            number = _with_guessed_code(text)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
