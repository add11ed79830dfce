"""Publishing the profile store: contents, meta, atomic replacement, readers' snapshots."""

from __future__ import annotations

import duckdb
import pytest

from osint.config import Config
from osint.errors import NotPublishedError, StoreVersionError
from osint.pipeline import publish_stage
from osint.store import meta, open_profile_store, open_work_store
from osint.store.publish import SANCTIONS_ORIGINS, profiles_sql


def test_published_store_has_meta_profiles_and_provenance(published_copy: Config) -> None:
    con = open_profile_store(published_copy.profile_store)
    info = meta(con)
    assert info["schema_version"] == "2"
    assert info["model_version"].startswith("osint.records.v2+")
    profiles = con.sql("SELECT count(*) FROM profiles").fetchall()[0][0]
    records = con.sql("SELECT count(*) FROM profile_records").fetchall()[0][0]
    assert int(info["profiles"]) == profiles > 0
    assert int(info["records"]) == records
    # Every record of the work store is in exactly one profile, with its document.
    missing = con.sql(
        "SELECT count(*) FROM profile_records WHERE doc_url IS NULL OR doc_content_sha256 IS NULL"
    ).fetchall()[0][0]
    assert missing == 0
    flags = con.sql(
        "SELECT risk_flags FROM profiles p JOIN profile_records r USING (profile_id) "
        "WHERE r.source_key = '12460'"
    ).fetchall()[0][0]
    assert "sanctions_list" in flags
    passport = con.sql(
        "SELECT p.name FROM profile_identifiers i JOIN profiles p USING (profile_id) "
        "WHERE i.scheme = 'passport' AND i.value = 'CZ74340'"
    ).fetchall()
    assert passport == [("Bilal Mohsen WEHBE",)]


def test_republishing_swaps_atomically_and_old_readers_keep_their_snapshot(
    published_copy: Config,
) -> None:
    path = published_copy.profile_store
    reader = duckdb.connect(str(path), read_only=True)
    before = dict(reader.sql("SELECT key, value FROM meta").fetchall())["data_version"]
    pub = publish_stage(published_copy)
    assert pub.data_version == int(before) + 1
    # The open reader still sees its consistent old version...
    assert dict(reader.sql("SELECT key, value FROM meta").fetchall())["data_version"] == before
    reader.close()
    # ...and a new open sees the new one; no build leftovers remain.
    con = open_profile_store(path)
    assert meta(con)["data_version"] == str(pub.data_version)
    leftovers = [
        p.name for p in path.parent.iterdir() if "building" in p.name or p.suffix == ".wal"
    ]
    assert leftovers == []


def test_screening_needs_a_published_store(tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(NotPublishedError, match="osint publish"):
        open_profile_store(Path(str(tmp_path)) / "profiles.duckdb")


def test_a_store_from_a_newer_schema_is_refused(published_copy: Config) -> None:
    con = duckdb.connect(str(published_copy.profile_store))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreVersionError, match="upgrade osint"):
        open_profile_store(published_copy.profile_store)


def test_paths_with_quotes_work(published_copy: Config, tmp_path: object) -> None:
    import shutil
    from pathlib import Path

    from osint.config import load_config

    quoted = Path(str(tmp_path)) / "o'brien"
    shutil.copytree(published_copy.config_dir.parent, quoted)
    config = load_config(quoted / "config" / "osint.toml")
    pub = publish_stage(config)
    con = open_profile_store(config.profile_store)
    assert meta(con)["data_version"] == str(pub.data_version)


def test_profiles_carry_aliases_sources_seen_and_linked_to_with_evidence(
    published_copy: Config,
) -> None:
    con = open_profile_store(published_copy.profile_store)
    name, aliases, seen = con.sql(
        "SELECT p.name, p.aliases, p.source_seen FROM profiles p "
        "JOIN profile_records r USING (profile_id) WHERE r.source_key = '12460'"
    ).fetchall()[0]
    assert name not in aliases
    assert [s["source"] for s in seen] == ["ofac_sdn"]
    assert seen[0]["first_seen"] is not None
    assert seen[0]["records"] == 1
    links = con.sql(
        "SELECT relation, target_name, target_profile_id, evidence FROM profile_links "
        "WHERE relation = 'linked_to'"
    ).fetchall()
    assert links
    assert all(evidence.startswith("linked_to ") for *_rest, evidence in links)
    # Targets that are profiles themselves are resolved to their ids.
    assert any(target is not None for _r, _n, target, _e in links)


def test_single_record_profiles_computed_row_by_row_equal_the_aggregate(
    published_copy: Config,
) -> None:
    """The publish shortcut (one-record profiles without GROUP BY) must give exactly the rows
    the aggregate over every profile gives: names, lists, seen dates, risk flags."""
    work = open_work_store(published_copy.work_store)
    try:
        enforcement = "['press']::VARCHAR[]"
        rows = {}
        for shortcut in (True, False):
            work.execute("ATTACH ':memory:' AS pub")
            work.execute(profiles_sql(str(SANCTIONS_ORIGINS), enforcement, shortcut))
            rows[shortcut] = work.sql("SELECT * FROM pub.profiles ORDER BY profile_id").fetchall()
            work.execute("DETACH pub")
        sizes = work.sql(
            "SELECT count(*) FILTER (n = 1), count(*) FILTER (n > 1) FROM "
            "(SELECT count(*) AS n FROM profile_members GROUP BY profile_id)"
        ).fetchall()[0]
    finally:
        work.close()
    assert sizes[0] > 50  # both kinds of profile are there
    assert sizes[1] >= 3
    assert rows[True] == rows[False]


@pytest.mark.parametrize("stored_in_order", [True, False])
def test_screening_name_keys_are_stored_in_key_order_as_the_index_loads_them(
    stored_in_order: bool,
) -> None:
    """The screening index reads `screen_name_keys` as stored and cuts it by the counts of
    `screen_key_stats` (in key order): the rows must be in (key, row) order, non-ASCII words
    and sound keys included. Screening rows are numbered in profile id order, whether or
    not `profiles` is stored in that order (publish stores it so)."""
    from osint.store.screening_views import create_screening_views, stored_in_id_order

    con = duckdb.connect()
    con.execute("ATTACH ':memory:' AS pub")
    names = ["zhang wei", "ümit çelik", "omer ali", "ali omar", "яков петров", "émile zola", "z"]
    order = "i" if stored_in_order else "-i"
    con.execute(
        "CREATE TABLE pub.profiles AS SELECT 'prof-' || i AS profile_id, 'person' AS kind, "
        "n AS name, [n] AS names, [n] AS names_norm, []::VARCHAR[] AS dobs, "
        "[]::VARCHAR[] AS nationality, "
        "[]::VARCHAR[] AS countries, []::VARCHAR[] AS addresses, []::VARCHAR[] AS risk_flags, "
        "[]::VARCHAR[] AS identifiers, []::VARCHAR[] AS phones, []::VARCHAR[] AS emails, "
        "[]::VARCHAR[] AS domains, []::VARCHAR[] AS wallets, []::VARCHAR[] AS chemicals, "
        "[]::VARCHAR[] AS programs, false AS listed "
        f"FROM (SELECT unnest(?) AS n, generate_subscripts(?, 1) AS i) ORDER BY {order}",
        [names, names],
    )
    con.execute(
        "CREATE TABLE pub.profile_name_tokens AS SELECT DISTINCT profile_id, token FROM ("
        "SELECT profile_id, unnest(string_split(name, ' ')) AS token FROM pub.profiles) "
        "WHERE length(token) >= 2"
    )
    con.execute(
        "CREATE TABLE pub.profile_keys (profile_id VARCHAR, key_type VARCHAR, value VARCHAR)"
    )
    con.execute("CREATE TABLE pub.profile_links (profile_id VARCHAR, relation VARCHAR, "
                "target_name VARCHAR, target_profile_id VARCHAR, evidence VARCHAR)")  # fmt: skip
    assert stored_in_id_order(con, "pub") == stored_in_order  # the branch taken below
    create_screening_views(con, "pub")
    stored = con.sql("SELECT key, row FROM pub.screen_name_keys").fetchall()
    assert (
        stored == con.sql("SELECT key, row FROM pub.screen_name_keys ORDER BY key, row").fetchall()
    )
    assert any(k.startswith("#") for k, _ in stored)
    assert ("яков", 4) in stored
    rows = con.sql("SELECT row, profile_id FROM pub.screen_profiles").fetchall()
    assert rows == [(i, f"prof-{i + 1}") for i in range(len(names))]
    stats = [k for k, _ in con.sql("SELECT key, profiles FROM pub.screen_key_stats").fetchall()]
    assert stats == list(dict.fromkeys(k for k, _ in stored))
