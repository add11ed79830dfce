import pytest

from osint.extract.recognizers import find_identifiers
from osint.extract.recognizers.codes import find
from tests.extract.recognizers.factory import (
    container_check_digit,
    imo_check_digit,
    uscc_check_char,
)

USCC = "91110000600037341L"


def found(text: str) -> list[tuple[str, str, str]]:
    return [(f.label, f.value, text[f.start : f.end]) for f in find(text)]


def test_factory_matches_published_examples() -> None:
    assert container_check_digit("CSQU305438") == "3"  # ISO 6346's own example
    assert uscc_check_char(USCC[:17]) == USCC[17]
    assert imo_check_digit("932148") == "3"


@pytest.mark.parametrize(
    "text",
    [f"USCC: {USCC}", f"统一社会信用代码\uff1a{USCC}", f"license {USCC.lower().upper()}"],
)
def test_uscc_valid(text: str) -> None:
    assert found(text) == [("USCC", f"uscc:{USCC}", USCC)]


def _all_digit_uscc() -> str:
    for serial in range(100_000_000, 100_000_100):
        body = f"91310115{serial}"
        if uscc_check_char(body).isdigit():
            return body + uscc_check_char(body)
    raise AssertionError("no all-digit code in range")


def test_uscc_all_digits_needs_a_label() -> None:
    code = _all_digit_uscc()
    assert code.isdigit()
    assert len(code) == 18
    assert found(f"order {code}") == []
    assert found(f"Credit code: {code}") == [("USCC", f"uscc:{code}", code)]


def test_uscc_invalid() -> None:
    assert found(f"USCC {USCC[:-1]}M") == []  # wrong check character
    assert found(f"USCC {USCC[:-1]}") == []  # 17 characters
    assert found(f"USCC {USCC}X") == []  # 19


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("IMO 9321483", "IMO 9321483"),
        ("vessel (IMO No. 9321483)", "IMO No. 9321483"),
        ("IMO: 9321483.", "IMO: 9321483"),
        ("IMO9321483", "IMO9321483"),
    ],
)
def test_imo_valid(text: str, written: str) -> None:
    assert found(text) == [("IMO", "imo:9321483", written)]


def test_imo_invalid() -> None:
    assert found("IMO 9321484") == []  # check digit
    assert found("IMO 93214830") == []  # 8 digits
    assert found("ship 9321483") == []  # no IMO word
    assert found("PRIMO 9321483") == []


def test_mmsi() -> None:
    assert found("MMSI: 412345678") == [("MMSI", "mmsi:412345678", "MMSI: 412345678")]
    assert found("MMSI 636012345") == [("MMSI", "mmsi:636012345", "MMSI 636012345")]
    assert found("MMSI 012345678") == []  # coast station, not a ship
    assert found("MMSI 812345678") == []  # first digit 8 is not a ship
    assert found("MMSI 2001234567") == []  # 10 digits
    assert found("MMSI 200123456") == []  # MID 200 is not allocated
    assert found("call 412345678") == []


@pytest.mark.parametrize(
    "written", ["CSQU3054383", "CSQU 305438 3", "CSQU-305438-3", "CSQU 305438 (3)"]
)
def test_container_valid(written: str) -> None:
    assert found(f"container {written}, sealed") == [
        ("CONTAINER", "container:CSQU3054383", written)
    ]


def test_container_generated_and_invalid() -> None:
    number = "MSCU123456" + container_check_digit("MSCU123456")
    assert found(number) == [("CONTAINER", f"container:{number}", number)]
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert found(wrong) == []
    assert found("CSQA3054383") == []  # category letter must be U, J or Z
    assert found("CSQU305438") == []  # no check digit
    assert found("XCSQU3054383") == []


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("HS code: 2933.39", "2933.39", "293339"),
        ("HS 293339", "293339", "293339"),
        ("H.S. 2933", "2933", "2933"),
        ("HTS 2933.39.9900", "2933.39.9900", "2933399900"),
        ("Tariff No. 2939.79.00", "2939.79.00", "29397900"),
        ("customs code 2933399090", "2933399090", "2933399090"),
        ("海关编码\uff1a2933399090", "2933399090", "2933399090"),
    ],
)
def test_hs_codes_in_context(text: str, written: str, value: str) -> None:
    assert found(text) == [("HS_CODE", value, written)]


def test_hs_code_list_after_one_label() -> None:
    text = "HS codes: n/a. HS code 2933.39, 2934.99 and 2939.79"
    assert [f.value for f in find(text)] == ["293339", "293499", "293979"]


def test_hs_code_needs_context() -> None:
    assert found("price 2933.39 per kg, item 293339") == []
    assert found("HS 29") == []  # a chapter, fewer than 4 digits
    assert found("HS 12345678901") == []  # 11 digits
    assert found("CHS 2933.39") == []


def test_hs_code_wins_over_a_phone() -> None:
    text = "HTS 2933.39.9900"
    assert [(f.label, f.value) for f in find_identifiers(text, "US")] == [("HS_CODE", "2933399900")]


def test_icp_filing_numbers_from_chinese_site_footers() -> None:
    text = "Copyright 2024 Wuhan Shengmao Chemical | 鄂ICP备2021013579号-1 | 京ICP证 030173号"
    found = [(f.label, f.value) for f in find_identifiers(text, "CN")]
    assert found == [("ICP", "icp:鄂ICP备2021013579号"), ("ICP", "icp:京ICP证030173号")]


def test_table_and_spanish_forms_of_vessel_and_tariff_codes() -> None:
    bol = "Vessel\nEVER GIVEN\nIMO / MMSI\n9859961 / 477688194\nHS Code\n2933.39"
    assert [(f.label, f.value) for f in find_identifiers(bol)] == [
        ("IMO", "imo:9859961"),
        ("MMSI", "mmsi:477688194"),
        ("HS_CODE", "293339"),
    ]
    spanish = 'declarado como "alimentos" bajo la fracción arancelaria 2933.39.99. Los análisis'
    assert [f.value for f in find_identifiers(spanish)] == ["29333999"]


def test_dotted_hs_codes_in_a_table_count_only_where_the_page_talks_of_hs_codes() -> None:
    table = "Product | CAS | HS code | Qty\nPMK glycidate | 13605-48-6 | 2932.99.90 | 2 t"
    assert "29329990" in [f.value for f in find_identifiers(table)]
    assert find_identifiers("Order 2932.99.90 shipped on 2024.05.03") == []
    dated = "HS codes below. Updated 2024.05.03"
    assert [f.label for f in find_identifiers(dated)] == []
