"""Cargo lines: every party screened, line indicators, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from osint.errors import ItemError, UsageError
from osint.screen import CargoLine, iter_cargo
from tests.screen.conftest import MakeScreener


def test_each_party_is_screened_with_its_role(make_screener: MakeScreener) -> None:
    screener = make_screener(who="officer-1")
    line = CargoLine(
        "bl-1",
        shipper_name="Acme Widgets Ltd",
        consignee_name="ETCO INTERNATIONAL CO LTD",
        notify_name="Bilal Mohsen Wehbe",
        hs_code="8471.30",
        goods_description="laptops",
    )
    result = screener.screen_cargo(line)
    roles = {h.role: h for h in result.hits if h.match}
    assert roles["consignee"].name == "ETCO INTERNATIONAL COMPANY, LIMITED"
    assert roles["notify"].name == "Bilal Mohsen WEHBE"
    assert "shipper" not in roles
    assert "sanctions_list" in roles["consignee"].risk_flags
    assert set(result.fingerprints) == {"shipper", "consignee", "notify"}
    assert result.indicators == []


def test_precursor_indicators_without_any_party_match(make_screener: MakeScreener) -> None:
    screener = make_screener()
    named = screener.screen_cargo(
        CargoLine(
            "bl-2",
            shipper_name="Nobody Trading",
            hs_code="2933.39.90",
            goods_description="N-Phenyl-4-piperidinamine 25 kg drums, CAS 21409-26-7",
        )
    )
    codes = [i.code for i in named.indicators]
    assert not named.matched
    assert codes.count("precursor_hs_code") == 1
    assert codes.count("precursor_named") == 2  # 4-AP by synonym, ANPP by its CAS number
    evidence = " ".join(i.evidence for i in named.indicators)
    assert "21409-26-7" in evidence
    vague = screener.screen_cargo(
        CargoLine("bl-3", shipper_name="X Y", hs_code="2933.99", goods_description="Chemical")
    )
    assert [i.code for i in vague.indicators] == ["vague_description"]
    harmless = screener.screen_cargo(
        CargoLine("bl-4", shipper_name="X Y", hs_code="8471.30", goods_description="chemical")
    )
    assert harmless.indicators == []


def test_party_named_by_a_flagged_profile_is_an_indicator(make_screener: MakeScreener) -> None:
    screener = make_screener()
    con = screener._refresh()
    target, flags = con.sql(
        "SELECT l.target_name, p.risk_flags FROM profile_links l JOIN profiles p USING "
        "(profile_id) WHERE l.target_profile_id IS NULL AND len(p.risk_flags) > 0 "
        "AND l.relation = 'linked_to' ORDER BY l.target_name LIMIT 1"
    ).fetchall()[0]
    result = screener.screen_cargo(CargoLine("bl-5", consignee_name=target.lower()))
    linked = [i for i in result.indicators if i.code == "linked_to_flagged"]
    assert linked, result.indicators
    assert flags[0] in linked[0].evidence


def test_bad_lines_are_reported_by_line_and_the_rest_screened(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(
        "id,shipper_name,consignee_name,phones,hs_code\n"
        "a,Acme,Beta Co,+1 202 555 0100|+1 202 555 0101,2933.39\n"
        ",Acme,Beta,,\n"
        "c,,,,\n"
        '"d","Gamma, Inc","Delta",,\n',
        encoding="utf-8",
    )
    out = list(iter_cargo(path))
    good = [q for q in out if isinstance(q, CargoLine)]
    bad = [str(q) for q in out if isinstance(q, ItemError)]
    assert [q.id for q in good] == ["a", "d"]
    assert good[0].phones == ["+1 202 555 0100", "+1 202 555 0101"]
    assert good[1].shipper_name == "Gamma, Inc"
    assert bad[0].startswith(f"{path}:3: field 'id'")
    assert bad[1].startswith(f"{path}:4: no party")


def test_wrong_header_names_the_expected_columns(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text("ref,shipper,consignee\n1,a,b\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not a cargo line header: use columns from id, "):
        list(iter_cargo(path))


def test_a_batch_is_streamed_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    with path.open("wb") as fh:
        fh.write(b'{"id": "1", "shipper_name": "Acme"}\n')
        fh.write(b'{"id": "2", "consignee_name": "Beta"}\n')
        fh.write(b'{"id": "3", "shipper_name": "caf\xe9"}\n')  # cp1252 in the middle
        fh.write(b'{"id": "4", "notify_name": "Gamma"}\n')
    stream = iter_cargo(path)
    first = next(stream)
    assert isinstance(first, CargoLine)
    assert first.id == "1"
    rest = list(stream)
    assert [getattr(q, "id", None) for q in rest] == ["2", None, "4"]
    assert str(rest[1]).startswith(f"{path}:3: not UTF-8")


def test_two_worker_processes_give_the_results_of_one(make_screener: MakeScreener) -> None:
    """`screen cargo --workers 2`: forked workers, results back in input order, the same
    hits, scores and explanations as in one process, every query audited once."""
    lines = [
        CargoLine(
            f"bl-{i}",
            shipper_name=name,
            consignee_name="ETCO INTERNATIONAL CO LTD",
            notify_name="Bilal Mohsen Wehbe" if i % 2 else None,
            hs_code="2933.39" if i % 3 == 0 else "8471.30",
            goods_description="4-piperidone" if i % 3 == 0 else "laptops",
        )
        # 150 lines: more than two of the chunks (64 lines) the workers are sent
        for i, name in enumerate(["Acme Widgets Ltd", "Wehbe Bilal", "Nobody Inc"] * 50)
    ]
    one = [r.to_dict() for r in make_screener().screen_many(lines)]
    screener = make_screener()
    two = [r.to_dict() for r in screener.screen_many(lines, workers=2)]
    assert two == one
    assert any(r["hits"] for r in two)
    assert any(r["indicators"] for r in two)
    audited = [e["query_id"] for e in screener.audit.entries()]
    assert audited.count("bl-0") == 2  # once per run above, both into the same audit log
    assert sorted(set(audited)) == sorted(line.id for line in lines)
