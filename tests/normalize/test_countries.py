"""Country strings from the OFAC and UN samples to ISO 3166-1 alpha-2."""

from __future__ import annotations

import pytest

from osint.normalize import to_iso2

# Every distinct country (5th column) of the OFAC add.csv sample, copied here so tests do not
# read shared data at run time.
OFAC_ADD_COUNTRIES = {
    "Afghanistan": "AF",
    "Australia": "AU",
    "Belarus": "BY",
    "Belgium": "BE",
    "Bosnia and Herzegovina": "BA",
    "Brazil": "BR",
    "Bulgaria": "BG",
    "Burma": "MM",
    "Central African Republic": "CF",
    "China": "CN",
    "Congo, Democratic Republic of the": "CD",
    "Cote d Ivoire": "CI",
    "Cuba": "CU",
    "Cyprus": "CY",
    "Egypt": "EG",
    "Eritrea": "ER",
    "France": "FR",
    "Germany": "DE",
    "Hong Kong": "HK",
    "India": "IN",
    "Indonesia": "ID",
    "Iran": "IR",
    "Iraq": "IQ",
    "Japan": "JP",
    "Jersey": "JE",
    "Jordan": "JO",
    "Korea, North": "KP",
    "Kosovo": "XK",
    "Kuwait": "KW",
    "Laos": "LA",
    "Lebanon": "LB",
    "Malta": "MT",
    "Marshall Islands": "MH",
    "Mexico": "MX",
    "Moldova": "MD",
    "Netherlands": "NL",
    "Pakistan": "PK",
    "Region: Crimea": "UA",
    "Region: Gaza": "PS",
    "Romania": "RO",
    "Russia": "RU",
    "Saudi Arabia": "SA",
    "Serbia": "RS",
    "Sierra Leone": "SL",
    "Singapore": "SG",
    "South Africa": "ZA",
    "South Sudan": "SS",
    "Spain": "ES",
    "Sudan": "SD",
    "Syria": "SY",
    "Thailand": "TH",
    "Turkey": "TR",
    "Ukraine": "UA",
    "United Arab Emirates": "AE",
    "United Kingdom": "GB",
    "United States": "US",
    "Venezuela": "VE",
    "Vietnam": "VN",
    "Virgin Islands, British": "VG",
    "Yemen": "YE",
    "Zimbabwe": "ZW",
}

# Every distinct <COUNTRY> and <NATIONALITY><VALUE> of the UN consolidated list sample.
UN_COUNTRIES = {
    "Afghanistan": "AF",
    "Algeria": "DZ",
    "Central African Republic": "CF",
    "China": "CN",
    "Democratic People's Republic of Korea": "KP",
    "Democratic Republic of the Congo": "CD",
    "Egypt": "EG",
    "Eritrea": "ER",
    "Germany": "DE",
    "Guinea-Bissau": "GW",
    "Haiti": "HT",
    "Indonesia": "ID",
    "Iran (Islamic Republic of)": "IR",
    "Iraq": "IQ",
    "Italy": "IT",
    "Jordan": "JO",
    "Kenya": "KE",
    "Kuwait": "KW",
    "Libya": "LY",
    "Malaysia": "MY",
    "Mali": "ML",
    "Morocco": "MA",
    "Netherlands": "NL",
    "Nigeria": "NG",
    "Norway": "NO",
    "Oman": "OM",
    "Pakistan": "PK",
    "Qatar": "QA",
    "Russian Federation": "RU",
    "Rwanda": "RW",
    "Somalia": "SO",
    "South Sudan": "SS",
    "Sudan": "SD",
    "Syrian Arab Republic": "SY",
    "Tajikistan": "TJ",
    "Tunisia": "TN",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "Yemen": "YE",
}

# Values in those samples that truly name no single ISO country.
NO_ISO_CODE = {
    "undetermined": "OFAC: the list does not know the country",
    "Region: Commonwealth of Independent States": "a group of twelve countries",
    "former Soviet Union": "a former country with fifteen successors (SU is no longer ISO)",
    "-0- ": "OFAC's empty-field marker",
    "": "empty (UN elements with no text)",
}


@pytest.mark.parametrize(("raw", "iso2"), sorted({**OFAC_ADD_COUNTRIES, **UN_COUNTRIES}.items()))
def test_every_sample_country_maps(raw: str, iso2: str) -> None:
    assert to_iso2(raw) == iso2


@pytest.mark.parametrize("raw", sorted(NO_ISO_CODE))
def test_sample_values_without_a_country_give_none(raw: str) -> None:
    assert to_iso2(raw) is None


@pytest.mark.parametrize(
    ("raw", "iso2"),
    [
        ("Chinese", "CN"),
        ("Iranian", "IR"),
        ("Palestinian", "PS"),
        ("North Korean", "KP"),
        ("British", "GB"),
        ("Türkiye", "TR"),
        ("Viet Nam", "VN"),
        ("Korea, South", "KR"),
        ("DE", "DE"),
        ("gb", "GB"),
        ("IRN", "IR"),
        ("  Cuba  ", "CU"),
        ("Zaire", "CD"),  # a former country with one successor
        ("Macau SAR", "MO"),  # own override: rigour misses it
        ("Crimea", "UA"),  # sub-national: the country it belongs to
    ],
)
def test_demonyms_codes_and_other_forms(raw: str, iso2: str) -> None:
    assert to_iso2(raw) == iso2


@pytest.mark.parametrize("raw", ["Xyzzy", "European Union", "Yugoslavia", "Region:"])
def test_unknown_or_not_one_country_is_none(raw: str) -> None:
    assert to_iso2(raw) is None
