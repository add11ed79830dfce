"""Screening indexes and views in the profile store (docs/schema.md, "Screening views").

Built once per publication, inside the new file, by :func:`create_screening_views`; screening
(`osint.screen`) reads them, and so may any system that queries the DuckDB file directly.

* `screen_profiles(row, profile_id, kind, name, names_norm, dobs, nationality, countries,
  addresses, risk_flags, keys)`: what scoring reads, one row per profile, numbered densely;
  `keys` are its identifiers, phones, emails, domains and wallets.
* `screen_keys(value, row)`: those keys, for exact hits.
* `screen_name_keys(key, profile_id, row, kind)`: every name word of a profile, and `#` + the
  word's metaphone key (3+ letters), so that "Mohammed" finds "Muhammad".
* `screen_key_stats(key, profiles)`: in how many profiles a key occurs; retrieval prefers rare
  words and skips words that would return a large part of the store.
* views `screening_profiles`, `screening_keys`, `screening_flagged_links`: stable, documented
  shapes for outside systems (a column is never removed without a schema version bump).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from rigour.text.phonetics import metaphone

SCREENING_VIEWS_VERSION = "1"
SCREENING_TABLES = ("screen_profiles", "screen_keys", "screen_name_keys", "screen_key_stats")


def phonetic(token: str) -> str:
    """The phonetic key screening uses for one normalized name word (empty when too short)."""
    return metaphone(token) if len(token) >= 3 and token.isalpha() else ""


_VIEWS_SQL = [
    """
    CREATE VIEW {s}.screening_profiles AS
    SELECT profile_id, kind, name, names, countries, nationality, dobs, identifiers, phones,
           emails, domains, wallets, chemicals, programs, listed, risk_flags
    FROM profiles
    """,
    """
    CREATE VIEW {s}.screening_keys AS
    SELECT k.value, k.key_type, p.profile_id, p.name, p.kind, p.risk_flags
    FROM profile_keys k JOIN profiles p USING (profile_id)
    """,
    """
    CREATE VIEW {s}.screening_flagged_links AS
    SELECT l.profile_id, l.relation, l.target_name, l.target_profile_id,
           src.risk_flags AS profile_risk_flags, tgt.risk_flags AS target_risk_flags, l.evidence
    FROM profile_links l
    JOIN profiles src ON src.profile_id = l.profile_id
    LEFT JOIN profiles tgt ON tgt.profile_id = l.target_profile_id
    WHERE len(src.risk_flags) > 0 OR len(coalesce(tgt.risk_flags, [])) > 0
    """,
]


def stored_in_id_order(con: duckdb.DuckDBPyConnection, schema: str) -> bool:
    """Whether `profiles` is stored in profile_id order, its row ids 0..n-1 (a table made
    by one CREATE TABLE ... ORDER BY): each row's id then is its position."""
    in_order = con.sql(
        f"""
        SELECT (SELECT coalesce(max(rowid) + 1, 0) = count(*) FROM {schema}.profiles)
           AND NOT EXISTS (
               SELECT 1 FROM (SELECT rowid, profile_id FROM {schema}.profiles) a
               JOIN (SELECT rowid, profile_id FROM {schema}.profiles) b
                 ON b.rowid = a.rowid + 1
               WHERE b.profile_id <= a.profile_id)
        """
    ).fetchall()[0][0]
    return bool(in_order)


def create_screening_views(con: duckdb.DuckDBPyConnection, schema: str = "pub") -> None:
    """Create the screening tables and views in the attached database `schema`."""
    con.execute("SET preserve_insertion_order = true")  # the default; tables keep row order
    # Rows are numbered in profile_id order. `publish` writes `profiles` in that order, and
    # then a row is the profile's position in the table: numbering it so spares sorting
    # every profile again (0.6 s at 1M). Checked, not assumed: otherwise they are sorted.
    in_order = stored_in_id_order(con, schema)
    row = "p.rowid" if in_order else "row_number() OVER (ORDER BY p.profile_id) - 1"
    con.execute(
        f"""
        CREATE TABLE {schema}.screen_profiles AS
        SELECT ({row})::INTEGER AS row,
               p.profile_id, p.kind, p.name, p.names_norm, p.dobs, p.nationality, p.countries,
               p.addresses, p.risk_flags,
               list_sort(list_distinct(flatten([
                   coalesce(p.identifiers, []), coalesce(p.phones, []), coalesce(p.emails, []),
                   coalesce(p.domains, []), coalesce(p.wallets, [])]))) AS keys
        FROM {schema}.profiles p
        {"" if in_order else "ORDER BY row"}
        """
    )
    tokens = [
        r[0] for r in con.sql(f"SELECT DISTINCT token FROM {schema}.profile_name_tokens").fetchall()
    ]
    keys = [phonetic(t) for t in tokens]
    # Keys are sorted by their rank in the vocabulary (words and sounds; UTF-8 orders bytes
    # as code points, so Python's order is DuckDB's): sorting 6M rows on an integer instead
    # of a string takes a second less at 1M profiles, same rows in the same order.
    keys_in_order = sorted(set(tokens) | {"#" + k for k in keys if k})
    rank = {k: i for i, k in enumerate(keys_in_order)}
    vocabulary = pa.table(
        {
            "token": pa.array(tokens, pa.string()),
            "token_id": pa.array([rank[t] for t in tokens], pa.int64()),
            "sound_id": pa.array([rank["#" + k] if k else -1 for k in keys], pa.int64()),
        }
    )
    key_names = pa.table(
        {
            "key_id": pa.array(range(len(keys_in_order)), pa.int64()),
            "key": pa.array(keys_in_order, pa.string()),
        }
    )
    con.register("_screen_vocabulary", vocabulary)
    con.register("_screen_key_names", key_names)
    try:
        # On integers until the end (word and sound ids, rows): a sound key repeats when two
        # words of a profile sound alike, and DISTINCT on (id, row) is cheaper than on the
        # key string and the profile id.
        con.execute(
            f"""
            CREATE TABLE {schema}.screen_name_keys AS
            WITH t AS (
                SELECT v.token_id, v.sound_id, p.row
                FROM {schema}.profile_name_tokens t
                JOIN _screen_vocabulary v USING (token)
                JOIN {schema}.screen_profiles p USING (profile_id)
            ), ids AS (
                SELECT token_id AS key_id, row FROM t  -- words are distinct per profile
                UNION ALL
                SELECT DISTINCT sound_id, row FROM t WHERE sound_id >= 0
            )
            SELECT n.key, p.profile_id, ids.row, p.kind
            FROM ids JOIN _screen_key_names n USING (key_id)
            JOIN {schema}.screen_profiles p USING (row)
            ORDER BY ids.key_id, ids.row
            """
        )
    finally:
        con.unregister("_screen_vocabulary")
        con.unregister("_screen_key_names")
    con.execute(
        f"""
        CREATE TABLE {schema}.screen_key_stats AS
        SELECT key, count(*)::INTEGER AS profiles FROM {schema}.screen_name_keys
        GROUP BY key ORDER BY key
        """
    )
    con.execute(
        f"""
        CREATE TABLE {schema}.screen_keys AS
        SELECT DISTINCT unnest(keys) AS value, row FROM {schema}.screen_profiles ORDER BY 1, 2
        """
    )
    con.execute(f"CREATE INDEX screen_name_keys_key ON {schema}.screen_name_keys (key)")
    con.execute(f"CREATE INDEX screen_key_stats_key ON {schema}.screen_key_stats (key)")
    for sql in _VIEWS_SQL:
        con.execute(sql.format(s=schema))
