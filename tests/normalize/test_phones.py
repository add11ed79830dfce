"""Phone numbers to E.164."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from osint.normalize import phones, to_e164

E164 = phonenumbers.PhoneNumberFormat.E164


def _example(region: str) -> phonenumbers.PhoneNumber:
    number = phonenumbers.example_number(region)
    assert number is not None
    return number


@pytest.mark.parametrize("region", ["CN", "IR", "RU", "AE", "KP", "SY", "CU", "GB"])
def test_international_and_national_forms_agree(region: str) -> None:
    number = _example(region)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert to_e164(intl) == e164
    assert to_e164("00" + e164[1:]) == e164
    assert to_e164(national, region) == e164
    assert to_e164(national, region.lower()) == e164


@pytest.mark.parametrize(
    ("raw", "hint", "expected"),
    [
        ("Phone Number 0097165749995", None, "+97165749995"),
        ("+98 21 8802 1234", None, "+982188021234"),
        ("+ 97165749996", None, "+97165749996"),
        ("86-10-12345678", None, "+861012345678"),
        ("(357)(22660766)", None, "+35722660766"),
        ("021 8802 1234", "IR", "+982188021234"),
        # OFAC writes foreign numbers with their country code and no "+".
        ("9647718635788", None, "+9647718635788"),
        ("9647718635788", "AE", "+9647718635788"),
        ("905515983567", "TR", "+905515983567"),
        ("+44 7911 123456 ext. 12", None, "+447911123456"),
    ],
)
def test_sanctions_list_forms(raw: str, hint: str | None, expected: str) -> None:
    assert to_e164(raw, hint) == expected


def test_possible_but_not_valid_numbers_are_kept() -> None:
    # Right length for Iraq, but not in today's numbering plan: old numbers are still evidence.
    number = phonenumbers.parse("+964805611259")
    assert not phonenumbers.is_valid_number(number)
    assert to_e164("+964805611259") == "+964805611259"
    assert to_e164("964805611259", "IQ") == "+964805611259"


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("021 8802 1234", None),  # national, no country known
        ("964805611259", None),  # guessed code gives an invalid number, no separator
        ("07911 123456", "XX"),  # unknown region hint
        ("123", None),
        ("+1 2", None),
        ("1234567890123456789", None),
        ("hello", None),
        ("", None),
    ],
)
def test_impossible_or_unplaceable_numbers_give_none(raw: str, hint: str | None) -> None:
    assert to_e164(raw, hint) is None


def test_plus_digit_numbers_read_without_a_full_parse_agree_with_libphonenumber() -> None:
    """The quick path for "+digits" numbers (imports of a million rows) must give what the
    full parse gives, for every country calling code and many lengths."""
    rng = random.Random(11)  # noqa: S311 (reproducible test numbers)
    codes = sorted(COUNTRY_CODE_TO_REGION_CODE)
    quick = 0
    for _ in range(30_000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 15)))
        text = f"+{rng.choice(codes)}{digits}"
        if not phones._PLAIN.fullmatch(text):
            continue
        plain = phones._plain_e164(text)
        if plain is False:
            continue
        quick += 1
        number = phones._parse(text, None)
        full = None if number is None else phonenumbers.format_number(number, E164)
        assert plain == full, text
    assert quick > 20_000  # the quick path did decide most of them
