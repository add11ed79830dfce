"""What each publication changed, for screening systems that poll: `profile_changes`.

At each publish the new profiles are compared with the last published state (kept in the work
store): a profile id not published before is *added*; one whose content changed is *changed*;
one no longer published is *removed*, with ``merged_into`` naming the profile it lives on in
when it became a referent. Content means what a screening system matches on and shows (names,
identifiers, contacts, countries, dates of birth, risk flags, links...), not the last-seen
dates that move with every crawl, so a profile re-confirmed unchanged is not reported.

The published store carries the whole history (`profile_changes`, one row per change), so
`osint changes --since N` or a `SELECT ... WHERE data_version > N` answers for any N. The work
store's state moves on only after the new file is in place (:func:`commit_changes`), so a
publish that fails changes nothing.
"""

from __future__ import annotations

import duckdb

# Columns of pub.profiles left out of the content hash: they move without the profile changing.
VOLATILE = ("first_seen", "last_seen", "source_seen", "published_at", "built_at")


def _content_columns(work: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = work.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = ? "
        "AND table_name = 'profiles' ORDER BY column_index",
        [schema],
    ).fetchall()
    return [r[0] for r in rows if r[0] not in VOLATILE and r[0] != "profile_id"]


def stage_changes(work: duckdb.DuckDBPyConnection, schema: str, data_version: int) -> int:
    """Compute this publication's changes and write the full history into
    `<schema>.profile_changes`; returns how many changes this publication makes."""
    columns = _content_columns(work, schema)
    content = "md5(to_json(struct_pack(" + ", ".join(f'"{c}" := "{c}"' for c in columns) + ")))"
    work.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _published_now AS
        SELECT profile_id, {content} AS content_sha, name FROM {schema}.profiles
        """
    )
    work.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _changes_new AS
        SELECT {data_version} AS data_version, n.profile_id,
               CASE WHEN s.profile_id IS NULL THEN 'added' ELSE 'changed' END AS change,
               NULL::VARCHAR AS merged_into, n.name
        FROM _published_now n LEFT JOIN published_state s USING (profile_id)
        WHERE s.profile_id IS NULL OR s.content_sha <> n.content_sha
        UNION ALL
        SELECT {data_version}, s.profile_id, 'removed', r.profile_id, NULL
        FROM published_state s
        LEFT JOIN referents r ON r.referent_id = s.profile_id
        WHERE s.profile_id NOT IN (SELECT profile_id FROM _published_now)
        """
    )
    work.execute(
        f"""
        CREATE TABLE {schema}.profile_changes AS
        SELECT * FROM profile_changes UNION ALL SELECT * FROM _changes_new
        ORDER BY data_version, profile_id
        """
    )
    return int(work.sql("SELECT count(*) FROM _changes_new").fetchall()[0][0])


def commit_changes(work: duckdb.DuckDBPyConnection, data_version: int) -> None:
    """After the new store is in place: record its changes and its state in the work store."""
    work.execute("BEGIN TRANSACTION")
    try:
        work.execute("INSERT INTO profile_changes SELECT * FROM _changes_new")
        work.execute(
            "DELETE FROM published_state WHERE profile_id NOT IN "
            "(SELECT profile_id FROM _published_now)"
        )
        work.execute(
            f"""
            INSERT INTO published_state
            SELECT profile_id, content_sha, {data_version} FROM _published_now
            ON CONFLICT (profile_id) DO UPDATE SET
                content_sha = excluded.content_sha,
                data_version = CASE WHEN published_state.content_sha = excluded.content_sha
                                    THEN published_state.data_version
                                    ELSE excluded.data_version END
            """
        )
        work.execute("COMMIT")
    except BaseException:
        work.execute("ROLLBACK")
        raise


def changes_since(
    con: duckdb.DuckDBPyConnection, since: int, schema: str = "main"
) -> list[dict[str, object]]:
    """The changes published after data version `since`, oldest first."""
    cur = con.execute(
        f"SELECT data_version, profile_id, change, merged_into, name "
        f"FROM {schema}.profile_changes WHERE data_version > ? "
        "ORDER BY data_version, change, profile_id",
        [since],
    )
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
