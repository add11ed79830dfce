"""Hard rules and the shared-value stop list, on the labelled company set."""

from __future__ import annotations

from osint.config import Config
from osint.store import open_work_store
from tests.resolve.conftest import profiles_by_key


def test_same_uscc_links_spellings_and_a_different_uscc_never_merges(
    companies: Config,
) -> None:
    p = profiles_by_key(companies)
    assert p["c001"] == p["c002"] == p["c003"]
    # Same name and city as c001 but another USCC: kept apart whatever the model says.
    assert p["c006"] != p["c001"]
    # A near-identical name with its own USCC is another company.
    assert p["c004"] == p["c005"] != p["c001"]


def test_passport_links_only_with_a_country_in_common_and_imo_links_vessels(
    companies: Config,
) -> None:
    p = profiles_by_key(companies)
    assert p["p001"] == p["p002"]  # "Wang Wei" / "WANG, Wei", same passport, both CN
    assert p["p003"] != p["p001"]  # another Wang Wei, another passport
    assert p["v001"] == p["v002"] != p["v003"]  # one IMO; a sister ship with another IMO
    con = open_work_store(companies.work_store, read_only=True)
    try:
        evidence = {e for (e,) in con.sql("SELECT evidence FROM rule_links").fetchall()}
    finally:
        con.close()
    assert "passport:G12345678" in evidence
    assert "imo:9176187" in evidence
    # Same passport number, different nationalities (RU, UA): not the rule's to link.
    assert "passport:7512345678" not in evidence


def test_a_forwarders_phone_and_a_marketplace_email_are_not_evidence(
    companies: Config,
) -> None:
    p = profiles_by_key(companies)
    sellers = [f"c1{i:02d}" for i in range(10)]
    assert len({p[s] for s in sellers}) == 10
    con = open_work_store(companies.work_store, read_only=True)
    try:
        shared = dict(con.sql("SELECT value, names FROM shared_values").fetchall())
    finally:
        con.close()
    assert shared == {"+862155550100": 10, "support@chemmarket.example": 10}


def test_the_quick_uscc_check_agrees_with_stdnum() -> None:
    """Valid codes, each character changed, lower case, separators, wrong lengths."""
    import random

    from stdnum.cn import uscc

    from osint.resolve.rules import _USCC_ALPHABET, uscc_is_valid

    rnd = random.Random(11)  # noqa: S311 (reproducible test codes)
    codes = []
    for _ in range(300):
        body = "".join(rnd.choice("0123456789") for _ in range(8)) + "".join(
            rnd.choice(_USCC_ALPHABET) for _ in range(9)
        )
        code = body + uscc.calc_check_digit(body)
        at = rnd.randrange(18)
        changed = code[:at] + rnd.choice(_USCC_ALPHABET + "IOSVZa-") + code[at + 1 :]
        codes += [code, changed, code.lower(), code[:6] + "-" + code[6:], code[:17], code + "1"]
    verdicts = [uscc_is_valid(c) for c in codes]
    assert verdicts == [uscc.is_valid(c) for c in codes]
    assert 300 <= sum(verdicts) < len(codes)  # both kinds of answer are asked
