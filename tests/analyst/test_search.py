"""`osint search`: names, aliases, phones and wallets as typed, filters, formats."""

from __future__ import annotations

import csv
import io
import json

import phonenumbers

from tests.analyst.conftest import Run, Store


def _first(result_stdout: str) -> dict[str, object]:
    rows = json.loads(result_stdout)
    assert rows, "no hits"
    return dict(rows[0])


def test_a_phone_typed_as_written_finds_its_profile(osint: Run, store: Store) -> None:
    profile_id, phone = store(
        "SELECT profile_id, value FROM profile_keys WHERE key_type = 'phone' ORDER BY value LIMIT 1"
    )[0]
    number = phonenumbers.parse(str(phone))
    spaced = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    dialled = "00" + str(phone)[1:3] + "-" + str(phone)[3:]
    for typed in (spaced, dialled, str(phone)):
        result = osint("search", typed, "--format", "json")
        assert result.returncode == 0, result.stderr
        hit = _first(result.stdout)
        assert hit["profile_id"] == profile_id, (typed, hit)
        assert hit["score"] == 1.0
        assert hit["matched"] == f"phone {phone}"


def test_a_wallet_with_or_without_its_chain_finds_its_profile(osint: Run, store: Store) -> None:
    profile_id, wallet = store(
        "SELECT profile_id, value FROM profile_keys WHERE key_type = 'wallet' "
        "ORDER BY value LIMIT 1"
    )[0]
    address = str(wallet).split(":", 1)[1]
    for typed in (str(wallet), address):
        result = osint("search", typed, "--format", "json")
        assert result.returncode == 0, result.stderr
        assert _first(result.stdout)["profile_id"] == profile_id, typed


def test_a_misspelt_name_in_another_order_finds_the_profile(osint: Run) -> None:
    result = osint("search", "Wehbi Bilal Mohsen", "--format", "json")
    assert result.returncode == 0, result.stderr
    hit = _first(result.stdout)
    assert hit["name"] == "Bilal Mohsen WEHBE"
    assert "sanctions_list" in hit["risk_flags"]  # type: ignore[operator]


def test_exact_identifier_hits_rank_before_names(osint: Run, store: Store) -> None:
    profile_id, passport = store(
        "SELECT profile_id, value FROM profile_identifiers WHERE scheme = 'passport' "
        "ORDER BY value LIMIT 1"
    )[0]
    result = osint("search", str(passport), "--format", "json")
    assert result.returncode == 0, result.stderr
    hit = _first(result.stdout)
    assert hit["profile_id"] == profile_id
    assert hit["matched"] == f"identifier passport:{passport}"


def test_filters_narrow_the_hits(osint: Run) -> None:
    everyone = json.loads(osint("search", "bank", "--format", "json", "--limit", "50").stdout)
    assert {h["kind"] for h in everyone} >= {"organization"}
    vessels = osint("search", "bank", "--kind", "vessel", "--format", "json")
    assert vessels.returncode == 0, vessels.stderr
    assert all(h["kind"] == "vessel" for h in json.loads(vessels.stdout))
    listed = osint("search", "", "--flag", "uses_crypto", "--format", "json", "--limit", "100")
    rows = json.loads(listed.stdout)
    assert rows
    assert all("uses_crypto" in h["risk_flags"] for h in rows)
    iran = osint("search", "", "--country", "Iran", "--source", "ofac_sdn", "--format", "json")
    rows = json.loads(iran.stdout)
    assert rows
    assert all("IR" in h["countries"] for h in rows), rows


def test_csv_and_limit(osint: Run) -> None:
    result = osint("search", "ali", "--format", "csv", "--limit", "3")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3  # "ali" is in far more names than that: the limit cuts
    unlimited = osint("search", "ali", "--format", "json", "--limit", "50")
    assert len(json.loads(unlimited.stdout)) > 3
    assert list(rows[0])[:4] == ["profile_id", "name", "kind", "score"]


def test_nothing_found_is_not_an_error(osint: Run) -> None:
    result = osint("search", "qqqxxzzv", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
