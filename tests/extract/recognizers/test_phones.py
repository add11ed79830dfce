import pytest

from osint.extract.recognizers import find_identifiers
from osint.extract.recognizers.phones import find


def found(text: str, hint: str | None = None) -> list[tuple[str, str, str]]:
    return [
        (f.value, text[f.start : f.end], f.detail)
        for f in sorted(find(text, hint), key=lambda f: f.start)
    ]


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("Call +86 138 1234 5678 today", "+86 138 1234 5678", "+8613812345678"),
        ("Call +86-21-6123-4567.", "+86-21-6123-4567", "+862161234567"),
        ("Call 0086 21 6123 4567", "0086 21 6123 4567", "+862161234567"),
        ("Call +1 (415) 555-0123", "+1 (415) 555-0123", "+14155550123"),
        ("Call +44 (0)20 7946 0958", "+44 (0)20 7946 0958", "+442079460958"),
        ("Call +91 98765 43210,", "+91 98765 43210", "+919876543210"),
        ("联系我们+8613812345678谢谢", "+8613812345678", "+8613812345678"),
    ],
)
def test_international_numbers_in_running_text(text: str, written: str, value: str) -> None:
    assert found(text) == [(value, written, "")]


def test_national_numbers_need_the_hint_and_validity() -> None:
    text = "Office 021-61234567, mobile 13812345678."
    assert found(text, "CN") == [
        ("+862161234567", "021-61234567", ""),
        ("+8613812345678", "13812345678", ""),
    ]
    assert found(text) == []  # no hint: a national number has no country
    assert found("Office 021-6123456", "CN") == []  # too short to be valid


def test_unprefixed_international_with_separators_without_hint() -> None:
    assert found("call 86 138 1234 5678 now") == [("+8613812345678", "86 138 1234 5678", "")]
    assert found("ref 8613812345678 now") == []  # bare digits: as likely an id


@pytest.mark.parametrize(
    ("text", "written", "value", "apps"),
    [
        ("WhatsApp: +86 138 1234 5678", "+86 138 1234 5678", "+8613812345678", "whatsapp"),
        ("Tel/WhatsApp: +8613812345678", "+8613812345678", "+8613812345678", "whatsapp"),
        (
            "WhatsApp/Telegram: +86 138 1234 5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "telegram,whatsapp",
        ),
        ("WeChat ID: +86 13812345678", "+86 13812345678", "+8613812345678", "wechat"),
        ("Tel: 8613812345678", "8613812345678", "+8613812345678", ""),
        ("Mob. 0086-138-1234-5678", "0086-138-1234-5678", "+8613812345678", ""),
        ("电话\uff1a+86 21 6123 4567", "+86 21 6123 4567", "+862161234567", ""),
        ("手机13812345678", "13812345678", "+8613812345678", ""),
        ("Signal (+44 7911 123456)", "+44 7911 123456", "+447911123456", "signal"),
        ("Viber: +380 67 123 4567", "+380 67 123 4567", "+380671234567", "viber"),
        ("https://wa.me/8613812345678", "wa.me/8613812345678", "+8613812345678", "whatsapp"),
    ],
)
def test_labelled_numbers(text: str, written: str, value: str, apps: str) -> None:
    assert found(text, "CN") == [(value, written, apps)]


def test_labelled_number_only_needs_to_be_possible() -> None:
    # +86 21 1234 5678 is possible but not a valid Shanghai number: fine after a label.
    assert found("Tel: +86 10 0000 0000") == [("+861000000000", "+86 10 0000 0000", "")]


@pytest.mark.parametrize(
    "text",
    [
        "CAS 79099-07-3",
        "CAS No. 5449-12-7 and 28578-16-7",
        "USD 1,250.00",
        "price $ 13812345678",
        "shipped 2024-05-03 and 03/05/2024",
        "Order No. 13812345678",
        "order #2024050312345",
        "SKU 13812345678",
        "13812345678 kg",
        "id=13812345678",
        "/product/13812345678.html",
        "123456789012345678901234",
        "Lot 20240503",
        "x13812345678",
        "1,381,234,567",
    ],
)
def test_lookalikes_are_not_phones(text: str) -> None:
    assert found(text, "CN") == []


def test_number_followed_by_a_year_is_trimmed_to_the_phone() -> None:
    assert found("+86 138 1234 5678 2024") == [("+8613812345678", "+86 138 1234 5678", "")]


def test_uscc_is_not_a_phone() -> None:
    text = "USCC 911100007109288314 "
    labels = {f.label for f in find_identifiers(text, "CN")}
    assert "PHONE" not in labels


def test_a_list_of_numbers_is_read_number_by_number() -> None:
    text = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 13812345678 16 17 18 19 20"
    assert found(text, "CN") == [("+8613812345678", "13812345678", "")]


def test_invalid_numbers_are_refused_even_after_a_label() -> None:
    # Too short for a Chinese mobile, and Ofcom's range reserved for drama: not real numbers.
    assert found("Old number (no longer in use): +86 138 1234 567") == []
    assert found("Signal: +44 7700 900123") == []


def test_north_american_layout_wins_over_the_page_country() -> None:
    text = "NORTHGATE FREIGHT SERVICES INC., DELTA, BRITISH COLUMBIA, TEL 604-655-7956"
    assert [f.value for f in find_identifiers(text, "CN")] == ["+16046557956"]
