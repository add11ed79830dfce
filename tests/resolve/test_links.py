"""Links between profiles in the published store: shared identifiers, with evidence."""

from __future__ import annotations

from osint.config import Config
from osint.pipeline import publish_stage
from osint.store import open_profile_store
from tests.resolve.conftest import profiles_by_key


def test_profiles_sharing_an_identifier_are_linked_but_stop_listed_values_are_not(
    companies: Config,
) -> None:
    publish_stage(companies)
    p = profiles_by_key(companies)
    con = open_profile_store(companies.profile_store)
    try:
        links = con.sql(
            "SELECT profile_id, relation, target_profile_id, evidence FROM profile_links"
        ).fetchall()
    finally:
        con.close()
    # Sergei (RU) and Sergey (UA) Ivanov: two profiles, one passport number between them.
    assert (p["p007"], "shared_identifier", p["p008"],
            "identifier passport:7512345678 on both profiles") in links  # fmt: skip
    # The forwarder's phone shared by ten sellers is on the stop list: no links from it.
    assert not [link for link in links if "+862155550100" in link[3]]
