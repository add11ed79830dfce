"""Tests for the OFAC SDN Remarks parser.

Strings are copied from the real legacy ``sdn.csv``; ``data/ofac_remarks_sample.txt`` holds the
non-empty Remarks column of the shared 500-row sample, one per line (492 lines).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from osint.extract.ofac_remarks import (
    KEY_SCHEMES,
    LEGACY_REMARKS_LIMIT,
    Identifier,
    Remarks,
    imo_is_valid,
    known_keys,
    parse_remarks,
)

SAMPLE = Path(__file__).parent / "data" / "ofac_remarks_sample.txt"


def ids(r: Remarks, scheme: str) -> list[Identifier]:
    return [i for i in r.identifiers if i.scheme == scheme]


# --- Key families ----------------------------------------------------------------------------


def test_person_facts_and_descriptions() -> None:
    r = parse_remarks(
        "DOB 02 Nov 1960; POB Venezuela; nationality Venezuela; citizen Venezuela; Gender Male; "
        "Cedula No. 5.726.284 (Venezuela); Passport B0111931 (Venezuela); Director General of "
        "Venezuela's Bolivarian National Intelligence Service (SEBIN); Major General, President "
        "of Venezuela's Strategic Center of Security and Protection of the Homeland (CESPPA)."
    )
    assert r.dob == ["02 Nov 1960"]
    assert r.pob == ["Venezuela"]
    assert r.nationality == ["Venezuela"]
    assert r.citizenship == ["Venezuela"]
    assert r.gender == "Male"
    assert r.identifiers == [
        Identifier("cedula", "5.726.284", "Venezuela", "Cedula No."),
        Identifier("passport", "B0111931", "Venezuela", "Passport"),
    ]
    assert [k for k, _ in r.info] == ["description", "description"]
    assert r.info[1][1].endswith("Homeland (CESPPA)")
    assert r.unknown == []
    assert r.warnings == []


def test_dob_variants_and_alt_repeats() -> None:
    r = parse_remarks(
        "DOB 05 Jan 1974; alt. DOB 1977; alt. DOB 1975; alt. DOB 24 Jan 1973; POB Kabul, "
        "Afghanistan; citizen Afghanistan; Passport R512768 (Afghanistan) issued 25 Mar 2005 "
        "expires 12 Feb 2012."
    )
    assert r.dob == ["05 Jan 1974", "1977", "1975", "24 Jan 1973"]
    assert r.pob == ["Kabul, Afghanistan"]
    assert r.identifiers == [
        Identifier(
            "passport",
            "R512768",
            "Afghanistan",
            "Passport",
            "issued 25 Mar 2005 expires 12 Feb 2012",
        )
    ]
    assert parse_remarks("DOB circa 1960; nationality Iran.").dob == ["circa 1960"]
    ranged = parse_remarks(
        "DOB 01 Jan 1973 to 31 Dec 1973; POB Sahl village, Raqqa province, Syria."
    )
    assert ranged.dob == ["01 Jan 1973 to 31 Dec 1973"]


def test_passport_trailer_split_by_semicolon_and_unlabelled_number() -> None:
    r = parse_remarks(
        "Passport A123456 (Iran) issued 01 Jan 2000; expires 01 Jan 2010; Gender Male."
    )
    assert r.identifiers == [
        Identifier(
            "passport", "A123456", "Iran", "Passport", "issued 01 Jan 2000 expires 01 Jan 2010"
        )
    ]
    assert r.gender == "Male"
    bare = parse_remarks(
        "DOB 1945; POB ar-Ramadi, Iraq; nationality Iraq; Former Minister of Higher Education and "
        "Research; M0018061/104,issued 12 September 1993."
    )
    assert bare.identifiers == [
        Identifier("document", "M0018061/104", None, "", "issued 12 September 1993")
    ]
    assert bare.unknown == []
    assert any("without label" in w for w in bare.warnings)


def test_bank_identifiers_and_websites() -> None:
    r = parse_remarks(
        "SWIFT/BIC HAVIGB2L; Website www.havanaintbank.co.uk; alt. Website www.hib.uk.com; "
        "Company Number 01074897 (United Kingdom)."
    )
    assert r.identifiers == [
        Identifier("swift_bic", "HAVIGB2L", None, "SWIFT/BIC"),
        Identifier("company_no", "01074897", "United Kingdom", "Company Number"),
    ]
    assert r.websites == ["www.havanaintbank.co.uk", "www.hib.uk.com"]


def test_russian_company_identifiers() -> None:
    r = parse_remarks(
        "Website www.mostro.ru; Email Address pressa@mostro.ru; MICEX Code MSTT; Secondary "
        "sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or "
        "589.209; Registration ID 1027739167246 (Russia); Tax ID No. 7701045732 (Russia); "
        "Identification Number ISIN: RU0009177331; Government Gazette Number 01386148 (Russia)."
    )
    assert [(i.scheme, i.value, i.country) for i in r.identifiers] == [
        ("micex", "MSTT", None),
        ("company_no", "1027739167246", "Russia"),
        ("tax_id", "7701045732", "Russia"),
        ("isin", "RU0009177331", None),
        ("okpo", "01386148", "Russia"),
    ]
    assert r.emails == ["pressa@mostro.ru"]
    assert r.info == [
        (
            "Secondary sanctions risk",
            "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209",
        )
    ]
    lei = parse_remarks("Legal Entity Number 253400V1H6ART1UQ0N98 (Russia).")
    assert ids(lei, "lei")[0].value == "253400V1H6ART1UQ0N98"
    assert lei.warnings == []
    bad_lei = parse_remarks("Legal Entity Number 253400V1H6ART1UQ0N99 (Russia).")
    assert ids(bad_lei, "lei")
    assert "invalid LEI" in bad_lei.warnings[0]


def test_vessel_imo_mmsi_flags_and_fka() -> None:
    r = parse_remarks(
        "Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; alt. Former Vessel Flag "
        "Tanzania; Additional Sanctions Information - Subject to Secondary Sanctions; Vessel "
        "Registration Identification IMO 9187667; MMSI 256843000; Linked To: NATIONAL IRANIAN "
        "TANKER COMPANY."
    )
    assert r.identifiers == [
        Identifier("imo", "9187667", None, "Vessel Registration Identification IMO"),
        Identifier("mmsi", "256843000", None, "MMSI"),
    ]
    assert r.info[:3] == [("Former Vessel Flag", f) for f in ("Malta", "Tuvalu", "Tanzania")]
    assert r.info[3] == ("Additional Sanctions Information", "Subject to Secondary Sanctions")
    assert r.linked_to == ["NATIONAL IRANIAN TANKER COMPANY"]
    assert r.warnings == []
    fka = parse_remarks("f.k.a. 'NOOR'; f.k.a. 'MAHARLIKA'; f.k.a. 'BELEMA LIGHT CRUDE'.")
    assert fka.aliases == [("fka", "NOOR"), ("fka", "MAHARLIKA"), ("fka", "BELEMA LIGHT CRUDE")]


def test_imo_check_digit() -> None:
    assert imo_is_valid("9187655")
    assert not imo_is_valid("9187656")
    assert not imo_is_valid("918765")
    # Real entry whose IMO number fails the check digit: kept, with a warning.
    r = parse_remarks(
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: "
        "North Korea Sanctions Regulations section 510.214; Vessel Registration Identification "
        "IMO 5647684."
    )
    assert ids(r, "imo")[0].value == "5647684"
    assert r.warnings == ["invalid IMO check digit: '5647684'"]
    # Company numbers use their own scheme and are not checked as ship numbers.
    company = parse_remarks("Website www.swedishmanagement.ae; Identification Number IMO 5186278.")
    assert company.identifiers == [
        Identifier("imo_company", "5186278", None, "Identification Number IMO")
    ]
    assert company.warnings == []


def test_uscc_validation() -> None:
    r = parse_remarks(
        "Identification Number IMO 6114218; Registration Number 310141000551704 (China); "
        "Unified Social Credit Code (USCC) 91310115MA1K4DLAXM (China)."
    )
    assert ids(r, "uscc") == [
        Identifier("uscc", "91310115MA1K4DLAXM", "China", "Unified Social Credit Code (USCC)")
    ]
    assert r.warnings == []
    bad = parse_remarks("Unified Social Credit Code (USCC) 91310115MA1K4DLAXA (China).")
    assert ids(bad, "uscc")[0].value == "91310115MA1K4DLAXA"
    assert bad.warnings == ["invalid USCC check digit: '91310115MA1K4DLAXA'"]


def test_wallets_emails_and_passport_with_space() -> None:
    r = parse_remarks(
        "DOB 09 Jul 1985; Email Address 2000@911.af; alt. Email Address dm.karasavi@yandex.ru; "
        "Gender Male; Digital Currency Address - XBT 1Q6saNmqKkyFB9mFR68Ck8F7Dp7dTopF2W; alt. "
        "Digital Currency Address - XBT 1DDA93oZPn7wte2eR1ABwcFoxUFxkKMwCf; Digital Currency "
        "Address - ETH 0xd882cfc20f52f2599d84b8e8d58c7fb62cfe344b; Digital Currency Address - "
        "ZEC t1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy; Passport 75 5276391 (Russia) expires 29 Jun 2027."
    )
    assert r.wallets == [
        ("XBT", "1Q6saNmqKkyFB9mFR68Ck8F7Dp7dTopF2W"),
        ("XBT", "1DDA93oZPn7wte2eR1ABwcFoxUFxkKMwCf"),
        ("ETH", "0xd882cfc20f52f2599d84b8e8d58c7fb62cfe344b"),
        ("ZEC", "t1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy"),
    ]
    assert r.emails == ["2000@911.af", "dm.karasavi@yandex.ru"]
    assert r.identifiers == [
        Identifier("passport", "75 5276391", "Russia", "Passport", "expires 29 Jun 2027")
    ]


def test_phones_telephone_and_fax() -> None:
    r = parse_remarks(
        "Additional Sanctions Information - Subject to Secondary Sanctions; Telephone "
        "(357)(22660766); Fax (357)(22668608); Phone Number 9611797101; alt. Phone Number "
        "96351667406; Linked To: NATIONAL IRANIAN TANKER COMPANY."
    )
    assert r.phones == ["(357)(22660766)", "(357)(22668608)", "9611797101", "96351667406"]


def test_aliases_keep_inner_apostrophes() -> None:
    r = parse_remarks(
        "DOB 04 Jan 1973; citizen Yemen; Passport 01055336 (Yemen); Residency Number 2054275397 "
        "(Saudi Arabia) issued 22 Jul 1998; a.k.a. 'AL-JEDDAWI, Abu-Rayhanah al-'Ansari'; a.k.a. "
        "'ABU-RAYHANAH'; a.k.a. 'E.K.T.'."
    )
    assert r.aliases == [
        ("aka", "AL-JEDDAWI, Abu-Rayhanah al-'Ansari"),
        ("aka", "ABU-RAYHANAH"),
        ("aka", "E.K.T."),
    ]
    assert ids(r, "residency_no") == [
        Identifier(
            "residency_no", "2054275397", "Saudi Arabia", "Residency Number", "issued 22 Jul 1998"
        )
    ]
    nka = parse_remarks("n.k.a. 'NEW NAME LLC'.")
    assert nka.aliases == [("nka", "NEW NAME LLC")]


def test_semicolons_inside_quotes_and_parentheses() -> None:
    r = parse_remarks(
        "a.k.a. 'ALPHA; BETA TRADING'; Registration Number HRA 1 (Stuttgart; Mitte) (Germany); "
        "Linked To: GAMMA LTD."
    )
    assert r.aliases == [("aka", "ALPHA; BETA TRADING")]
    assert r.identifiers == [
        Identifier("company_no", "HRA 1 (Stuttgart; Mitte)", "Germany", "Registration Number")
    ]
    assert r.linked_to == ["GAMMA LTD"]
    assert r.unknown == []


def test_linked_to_keeps_abbreviation_period_only() -> None:
    assert parse_remarks("Linked To: AL QA'IDA.").linked_to == ["AL QA'IDA"]
    assert parse_remarks("Gender Male; Linked To: INZINJERING-BN BIJELJINA D.O.O.").linked_to == [
        "INZINJERING-BN BIJELJINA D.O.O."
    ]
    r = parse_remarks(
        "Linked To: DIAB, Adel; Linked To: CONSORCIO VENEZOLANO DE INDUSTRIAS AERONAUTICAS Y "
        "SERVICIOS AEREOS, S.A."
    )
    assert r.linked_to == [
        "DIAB, Adel",
        "CONSORCIO VENEZOLANO DE INDUSTRIAS AERONAUTICAS Y SERVICIOS AEREOS, S.A.",
    ]


def test_sanctions_info_items() -> None:
    r = parse_remarks(
        "Executive Order 13846 information: LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS.  "
        "Sec. 5(a)(i); alt. Executive Order 13846 information: FOREIGN EXCHANGE.  Sec. 5(a)(ii); "
        "Organization Established Date 11 Apr 2017; Organization Type: Trusts, funds and similar "
        "financial entities; Target Type Financial Institution; alt. Target Type State-Owned "
        "Enterprise; Listing Date (EO 14024 Directive 2): 24 Feb 2022; Effective Date (EO 14024 "
        "Directive 2): 26 Mar 2022; Executive Order 13662 Directive Determination - Subject to "
        "Directive 1; Aircraft Model IL-18; Aircraft Tail Number RA-75496; Vessel Year of Build "
        "1990; From: Bahawalpur, Punjab Province, Pakistan; All offices worldwide."
    )
    assert r.unknown == []
    assert dict(r.info)["Organization Type"] == "Trusts, funds and similar financial entities"
    assert r.info[0] == (
        "Executive Order 13846 information",
        "LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS.  Sec. 5(a)(i)",
    )
    assert ("Target Type", "State-Owned Enterprise") in r.info
    assert ("Listing Date (EO 14024 Directive 2)", "24 Feb 2022") in r.info
    assert ("Executive Order 13662 Directive Determination", "Subject to Directive 1") in r.info
    assert ("Aircraft Tail Number", "RA-75496") in r.info
    assert ("From", "Bahawalpur, Punjab Province, Pakistan") in r.info
    assert ("description", "All offices worldwide") in r.info
    assert r.identifiers == []


def test_remarks_cut_by_legacy_limit() -> None:
    head = "Website www.example.ru; " * 50
    text = (head + "alt. Digital Currency Address - XBT 1B11Ezqg3AXj")[:LEGACY_REMARKS_LIMIT]
    r = parse_remarks(text)
    assert r.wallets == []
    assert r.info[-1][0] == "truncated"
    assert any("cut at" in w for w in r.warnings)
    # A short string without the closing period is not treated as cut.
    assert parse_remarks("Gender Female").gender == "Female"


# --- Robustness ------------------------------------------------------------------------------


def test_unknown_key_is_kept() -> None:
    r = parse_remarks("DOB 1970; Frobnication Registry Code 12345 (Atlantis); Head Office No. 12.")
    assert r.dob == ["1970"]
    assert r.unknown == ["Frobnication Registry Code 12345 (Atlantis)", "Head Office No. 12"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-0- ",
        ".",
        ";",
        "; ; ;",
        "alt.",
        "alt. ",
        "Passport",
        "a.k.a. 'UNBALANCED; Linked To: SOMEONE.",
        "a.k.a. '",
        "a.k.a. ''",
        "Registration Number 123 (Russia; Linked To: X; DOB 1970.",
        "Digital Currency Address - ",
        "Gender Male; Gender Female.",
        "issued 01 Jan 2000; expires 02 Feb 2002",
        "((((;))));'''';...",
        "DOB " + "9" * 5000 + ".",
    ],
)
def test_malformed_input_does_not_raise(text: str) -> None:
    r = parse_remarks(text)
    assert isinstance(r, Remarks)


def test_unbalanced_quote_is_reported() -> None:
    r = parse_remarks("a.k.a. 'UNBALANCED; Linked To: SOMEONE.")
    assert r.aliases == [("aka", "UNBALANCED")]
    assert r.linked_to == ["SOMEONE"]
    assert any("unbalanced quotes" in w for w in r.warnings)
    conflict = parse_remarks("Gender Male; Gender Female.")
    assert conflict.gender == "Male"
    assert conflict.warnings


def test_tables_are_documented() -> None:
    keys = known_keys()
    assert set(KEY_SCHEMES) <= set(keys)
    assert {"DOB", "a.k.a.", "Linked To:", "Digital Currency Address -"} <= set(keys)
    for scheme in KEY_SCHEMES.values():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", scheme), scheme
    assert KEY_SCHEMES["Unified Social Credit Code (USCC)"] == "uscc"
    assert KEY_SCHEMES["Legal Entity Number"] == "lei"


# --- The whole shared sample -----------------------------------------------------------------


def _sample() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def _uncut(line: str) -> str:
    """The line without a last item cut by the legacy 1000-character limit."""
    if len(line) >= LEGACY_REMARKS_LIMIT and not line.endswith("."):
        return line.rsplit("; ", 1)[0]
    return line


def _items(line: str, label: str) -> int:
    """How many items of the line start with label (optionally after "alt.")."""
    return len(re.findall(rf"(?:^|; )(?:alt\. )?{re.escape(label)}", _uncut(line)))


def test_every_item_of_the_sample_is_understood() -> None:
    lines = _sample()
    assert len(lines) == 492
    parsed = [parse_remarks(line) for line in lines]
    assert [u for r in parsed for u in r.unknown] == []
    warnings = sorted(w.split(":")[0] for r in parsed for w in r.warnings)
    assert warnings == [
        "Remarks cut at 1000 characters; last item unparsed",
        "Remarks cut at 1000 characters; last item unparsed",
        "identifier without label",
        "invalid IMO check digit",
    ]


def test_sample_counts_match_plain_string_counts() -> None:
    lines = _sample()
    parsed = [parse_remarks(line) for line in lines]
    total = Counter[str]()
    for line, r in zip(lines, parsed, strict=True):
        kinds = Counter(kind for kind, _ in r.aliases)
        assert len(r.wallets) == _items(line, "Digital Currency Address - ")
        assert kinds["aka"] == line.count("a.k.a. '")
        assert kinds["fka"] == line.count("f.k.a. '")
        assert len(r.linked_to) == line.count("Linked To: ")
        assert len(r.dob) == _items(line, "DOB ")
        assert len(r.websites) == _items(line, "Website ")
        assert len(r.emails) == _items(line, "Email Address ")
        assert len(ids(r, "passport")) == _items(line, "Passport ")
        assert len(ids(r, "tax_id")) == _items(line, "Tax ID No. ") + _items(line, "NIT # ")
        assert len(ids(r, "swift_bic")) == _items(line, "SWIFT/BIC ")
        assert len(ids(r, "mmsi")) == _items(line, "MMSI ")
        assert len(ids(r, "uscc")) == len(re.findall(r"\(USCCC?\) ", line))
        imo = [i.value for i in r.identifiers if i.scheme in ("imo", "imo_company")]
        assert imo == re.findall(r"IMO (\d{7})", line)
        assert (r.gender is not None) == ("Gender " in line)
        total.update(i.scheme for i in r.identifiers)
        total.update(
            wallets=len(r.wallets), linked_to=len(r.linked_to), **Counter(k for k, _ in r.aliases)
        )
    # The numbers a user of the 500-row sample would see.
    assert total["wallets"] == 30  # 31 addresses in the file, one cut by the 1000-character cap
    assert total["aka"] == 81
    assert total["fka"] == 12
    assert total["linked_to"] == 303
    assert total["imo"] == 121
    assert total["imo_company"] == 5
    assert total["company_no"] == 135
    assert total["tax_id"] == 98
    assert total["passport"] == 45
    assert total["uscc"] == 8
