"""Publishing the profile store: build a new file, checkpoint, close, then `os.replace`.

Readers that opened the old file keep a consistent old snapshot; a new open sees the new
one; nobody ever sees a half-written store. The schema is a public contract
(docs/schema.md): bump PROFILE_SCHEMA_VERSION and write a decision note when it changes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

import osint
from osint.errors import StoreError
from osint.store.changes import commit_changes, stage_changes
from osint.store.screening_views import create_screening_views
from osint.store.work import sql_string, utcnow

PROFILE_SCHEMA_VERSION = 2
SANCTIONS_ORIGINS = ("parser:ofac_sdn_csv.v1", "parser:un_consolidated_xml.v1")

# Each column of `profiles`: (name, over the records of a profile, for a one-record profile).
# Most profiles have one record (700k of 1M records resolve to 500k single-record profiles
# in the benchmark): their values are computed row by row, without the GROUP BY and its list
# aggregates, which cost most of a publish. The tests check both forms give the same rows.
_LISTS = ("names_norm", "countries", "nationality", "dobs", "phones", "emails", "domains",
          "wallets", "identifiers", "chemicals", "programs")  # fmt: skip
PROFILE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("kind", "mode(kind)", "kind"),
    ("name", "first(name ORDER BY listed DESC, confidence DESC, record_id)", "name"),
    (
        "names",
        "list_sort(list_distinct(flatten(list(list_concat([name], aliases)))))",
        "list_sort(list_distinct(list_concat([name], aliases)))",
    ),
    *(
        (
            c,
            f"list_sort(list_distinct(flatten(list({c}))))",
            # Most lists of one record hold no value or one: those need no sort (a NULL
            # value is dropped, as list_distinct drops it in the aggregate).
            f"CASE WHEN len({c}) > 1 THEN list_sort(list_distinct({c})) "
            f"WHEN {c}[1] IS NULL THEN []::VARCHAR[] ELSE {c} END",
        )
        for c in _LISTS
    ),
    (
        "addresses",
        "list_sort(list_distinct(list(address) FILTER (address IS NOT NULL)))",
        "CASE WHEN address IS NULL THEN NULL ELSE [address] END",
    ),
    ("sources", "list_sort(list_distinct(list(source)))", "[source]"),
    ("record_count", "count(*)::INTEGER", "1::INTEGER"),
    ("listed", "bool_or(listed)", "listed"),
    ("first_seen", "min(first_seen)", "first_seen"),
    ("last_seen", "max(last_seen)", "last_seen"),
    ("sanctioned", "bool_or(origin IN {sanctions})", "origin IN {sanctions}"),
    (
        "enforced",
        "bool_or(list_contains({enforcement}, source))",
        "list_contains({enforcement}, source)",
    ),
)

_SEEN_ONE = (
    "[{'source': source, 'first_seen': first_seen, 'last_seen': last_seen, 'records': 1::INTEGER}]"
)

_PROFILES_SQL = """
CREATE TABLE pub.profiles AS
WITH sizes AS (
    SELECT profile_id, count(*) AS n FROM profile_members GROUP BY profile_id
), m AS (
    SELECT r.*, pm.profile_id, s.n FROM records r
    JOIN profile_members pm USING (record_id) JOIN sizes s USING (profile_id)
), seen AS (
    SELECT profile_id,
           list({{'source': source, 'first_seen': first_seen, 'last_seen': last_seen,
                 'records': records}} ORDER BY source) AS source_seen
    FROM (
        SELECT profile_id, source, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
               count(*)::INTEGER AS records
        FROM m WHERE {many} GROUP BY profile_id, source
    )
    GROUP BY profile_id
), agg AS (
    SELECT a.*, seen.source_seen FROM (
        SELECT profile_id, {aggregates} FROM m WHERE {many} GROUP BY profile_id
    ) a JOIN seen USING (profile_id)
    UNION ALL
    SELECT profile_id, {singles}, {seen_one} FROM m WHERE {one}
)
SELECT profile_id, kind, name, names,
       list_filter(names, lambda n: n <> name) AS aliases,
       names_norm, countries, nationality, dobs, addresses, phones, emails, domains, wallets,
       identifiers, chemicals, programs, sources, source_seen, record_count, listed,
       first_seen, last_seen,
       list_filter([
           CASE WHEN sanctioned AND listed THEN 'sanctions_list' END,
           CASE WHEN sanctioned AND NOT listed THEN 'formerly_sanctioned' END,
           CASE WHEN len(wallets) > 0 THEN 'uses_crypto' END,
           CASE WHEN len(list_filter(identifiers, lambda i: split_part(i, ':', 1)
                IN ('telegram', 'wickr', 'signal', 'threema', 'wechat', 'session'))) > 0
                THEN 'uses_encrypted_messenger' END,
           CASE WHEN len(chemicals) > 0 THEN 'offers_precursor' END,
           CASE WHEN enforced THEN 'enforcement_release' END
       ], lambda f: f IS NOT NULL) AS risk_flags
FROM agg
ORDER BY profile_id
"""


def profiles_sql(sanctions: str, enforcement: str, shortcut: bool = True) -> str:
    """The statement building `pub.profiles`; `shortcut=False` aggregates every profile
    (the reference the tests compare the shortcut with)."""
    aggregates = ", ".join(f"{agg} AS {name}" for name, agg, _one in PROFILE_COLUMNS)
    singles = ", ".join(f"{one} AS {name}" for name, _agg, one in PROFILE_COLUMNS)
    sql = _PROFILES_SQL.format(
        aggregates=aggregates,
        singles=singles,
        seen_one=_SEEN_ONE,
        many="n > 1" if shortcut else "true",
        one="n = 1" if shortcut else "false",
    )
    return sql.replace("{sanctions}", sanctions).replace("{enforcement}", enforcement)


_TABLES_SQL = [
    """
    CREATE TABLE pub.profile_records AS
    SELECT pm.profile_id, r.record_id, r.source, r.source_key, r.kind, r.name, r.origin,
           r.confidence, r.listed, r.first_seen, r.last_seen, r.doc_id,
           d.url AS doc_url, d.fetched_at AS doc_fetched_at,
           d.content_sha256 AS doc_content_sha256, pm.match_probability
    FROM records r
    JOIN profile_members pm USING (record_id)
    LEFT JOIN documents d USING (doc_id)
    ORDER BY pm.profile_id, r.record_id
    """,
    """
    CREATE TABLE pub.profile_names AS
    SELECT DISTINCT profile_id, unnest(names_norm) AS name_norm FROM pub.profiles
    """,
    """
    CREATE TABLE pub.profile_name_tokens AS
    SELECT DISTINCT profile_id, token FROM (
        SELECT profile_id, unnest(string_split(name_norm, ' ')) AS token FROM pub.profile_names
    ) WHERE length(token) >= 2
    """,
    """
    CREATE TABLE pub.profile_keys AS
    SELECT profile_id, 'identifier' AS key_type, unnest(identifiers) AS value FROM pub.profiles
    UNION ALL SELECT profile_id, 'phone', unnest(phones) FROM pub.profiles
    UNION ALL SELECT profile_id, 'email', unnest(emails) FROM pub.profiles
    UNION ALL SELECT profile_id, 'domain', unnest(domains) FROM pub.profiles
    UNION ALL SELECT profile_id, 'wallet', unnest(wallets) FROM pub.profiles
    """,
    """
    CREATE TABLE pub.profile_links AS
    WITH rel AS (
        SELECT pm.profile_id, rel.relation, rel.target_name, rel.source, rel.record_id,
               coalesce(tr.profile_id, tn.profile_id) AS target_profile_id
        FROM relations rel
        JOIN profile_members pm USING (record_id)
        LEFT JOIN profile_members tr ON tr.record_id = rel.target_record_id
        LEFT JOIN (
            SELECT name_norm, min(profile_id) AS profile_id FROM pub.profile_names
            GROUP BY name_norm HAVING count(*) = 1
        ) tn ON tn.name_norm = rel.target_name_norm
    ), shared AS (
        SELECT value, key_type, list(DISTINCT profile_id) AS profiles FROM pub.profile_keys
        WHERE value NOT IN (SELECT value FROM shared_values)
        GROUP BY value, key_type
        HAVING count(DISTINCT profile_id) BETWEEN 2 AND 10
    ), pairs AS (
        SELECT s.key_type, s.value, a.profile_id AS profile_id, b.profile_id AS target
        FROM shared s, unnest(s.profiles) AS a(profile_id), unnest(s.profiles) AS b(profile_id)
        WHERE a.profile_id <> b.profile_id
    )
    SELECT DISTINCT profile_id, relation, target_name, target_profile_id, source, record_id,
           relation || ' ' || target_name || ' (' || source || ' record ' || record_id || ')'
               AS evidence
    FROM rel
    UNION ALL
    SELECT p.profile_id, 'shared_' || p.key_type, t.name, p.target, NULL, NULL,
           p.key_type || ' ' || p.value || ' on both profiles'
    FROM pairs p JOIN pub.profiles t ON t.profile_id = p.target
    ORDER BY 1, 2, 4
    """,
    """
    CREATE TABLE pub.referents AS
    SELECT referent_id, profile_id FROM referents
    WHERE profile_id IN (SELECT profile_id FROM pub.profiles)
    """,
    "CREATE INDEX profile_names_name ON pub.profile_names (name_norm)",
    "CREATE INDEX profile_tokens_token ON pub.profile_name_tokens (token)",
    "CREATE INDEX profile_keys_value ON pub.profile_keys (value)",
    """
    CREATE VIEW pub.profile_lookup AS
    SELECT profile_id AS any_id, profile_id FROM profiles
    UNION ALL SELECT referent_id, profile_id FROM referents
    """,
    """
    CREATE VIEW pub.profile_identifiers AS
    SELECT profile_id, split_part(value, ':', 1) AS scheme,
           substr(value, length(split_part(value, ':', 1)) + 2) AS value
    FROM profile_keys WHERE key_type = 'identifier'
    """,
]


@dataclass(slots=True)
class Publication:
    """What was published."""

    path: Path
    data_version: int
    profiles: int
    records: int


def publish(
    work: duckdb.DuckDBPyConnection,
    target: Path,
    model_version: str | None,
    enforcement_sources: Sequence[str] = (),
    model_settings: str | None = None,
) -> Publication:
    """Build the profile store from the work store's profiles and move it into place.

    `model_settings` is the resolution model's JSON (the file `model_version` names): kept in
    `meta` so that screening scores with the very model the profiles were built with.
    """
    members = work.sql("SELECT count(*) FROM profile_members").fetchall()[0][0]
    if members == 0:
        raise StoreError("no profiles to publish: run `osint resolve` first")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    version_row = work.sql("SELECT coalesce(max(data_version), 0) + 1 FROM publications")
    data_version = int(version_row.fetchall()[0][0])
    built_at = utcnow()
    work.execute(f"ATTACH {sql_string(tmp)} AS pub")
    try:
        enforcement = "[" + ", ".join(sql_string(e) for e in enforcement_sources) + "]::VARCHAR[]"
        work.execute(profiles_sql(str(SANCTIONS_ORIGINS), enforcement))
        for sql in _TABLES_SQL:
            work.execute(sql)
        create_screening_views(work, "pub")
        stage_changes(work, "pub", data_version)
        profiles = work.sql("SELECT count(*) FROM pub.profiles").fetchall()[0][0]
        records = work.sql("SELECT count(*) FROM pub.profile_records").fetchall()[0][0]
        work.execute("CREATE TABLE pub.meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
        meta = {
            "schema_version": str(PROFILE_SCHEMA_VERSION),
            "data_version": str(data_version),
            "built_at": built_at.isoformat(timespec="seconds") + "Z",
            "model_version": model_version or "",
            "model_settings": model_settings or "",
            "osint_version": osint.__version__,
            "profiles": str(profiles),
            "records": str(records),
        }
        work.executemany("INSERT INTO pub.meta VALUES (?, ?)", list(meta.items()))
        work.execute("CHECKPOINT pub")
    finally:
        work.execute("DETACH pub")
    if tmp.with_name(tmp.name + ".wal").exists():
        raise StoreError(f"{tmp} still has a write-ahead log after checkpoint: not published")
    os.replace(tmp, target)
    work.execute(
        "INSERT INTO publications VALUES (?, ?, ?, ?, ?)",
        [data_version, built_at, str(target), profiles, records],
    )
    commit_changes(work, data_version)
    return Publication(target, data_version, profiles, records)
