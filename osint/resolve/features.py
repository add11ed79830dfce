"""The matching view of records that Splink reads, with shared values taken out.

A value that many records with different names carry (a marketplace's support email, a
freight forwarder's phone, a registered agent's address domain) says nothing about
identity: it is put on a computed stop list and removed from the arrays before blocking and
scoring, so it neither generates pairs nor counts as evidence. Empty lists become NULL so
that Splink's null levels apply.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

# A value carried by records with more than this many distinct names is not evidence.
SHARED_VALUE_NAMES = 8
KEY_COLUMNS = ("identifiers", "phones", "emails", "domains", "wallets")

_NORM = (
    "nullif(trim(regexp_replace(strip_accents(lower({col})), "
    "'[^\\p{{L}}\\p{{N}}]+', ' ', 'g')), '')"
)

_SHARED_SQL = """
SELECT value, count(DISTINCT name_norm) AS names, count(*) AS records
FROM (
    SELECT names_norm[1] AS name_norm,
           unnest(list_concat({arrays})) AS value
    FROM {table}
)
GROUP BY value
HAVING count(DISTINCT name_norm) > {limit}
ORDER BY names DESC, value
"""

_FEATURES_SQL = """
WITH stop AS (SELECT coalesce(list(value), []) AS values FROM shared_values),
sorted AS (
    SELECT *, list_sort(list_filter(string_split(names_norm[1], ' '),
                                    lambda t: length(t) > 0)) AS sorted_words
    FROM {table}
),
worded AS (
    -- distinct words, in alphabetical order (adjacent duplicates dropped: list_distinct and
    -- list_sort each cost more than the whole rest of the view at a million records)
    SELECT *, list_filter(sorted_words, lambda w, i: i = 1 OR sorted_words[i - 1] <> w) AS words
    FROM sorted
)
SELECT record_id AS unique_id,
       kind,
       names_norm[1] AS name_norm,
       nullif(names_norm, []) AS names_norm,
       nullif(words, []) AS name_tokens,
       -- the name's words in alphabetical order: "wang wei" and "wei wang" block together
       array_to_string(words, ' ') AS name_key,
       dob,
       nullif(dobs, []) AS dobs,
       substr(dob, 1, 4) AS dob_year,
       nullif(list_distinct(list_concat(countries, nationality)), []) AS countries,
       {city} AS city_norm,
       {address} AS address_norm,
       {keys},
       nullif(chemicals, []) AS chemicals
FROM worded, stop
{order}
"""


def shared_values(
    con: duckdb.DuckDBPyConnection, table: str = "records", limit: int = SHARED_VALUE_NAMES
) -> list[tuple[str, int, int]]:
    """(value, distinct names, records) for every value too widely shared to be evidence."""
    arrays = ", ".join(f"coalesce({c}, [])" for c in KEY_COLUMNS)
    sql = _SHARED_SQL.format(arrays=arrays, table=table, limit=int(limit))
    return [(str(v), int(n), int(r)) for v, n, r in con.sql(sql).fetchall()]


def feature_table(
    con: duckdb.DuckDBPyConnection,
    table: str = "records",
    limit: int = SHARED_VALUE_NAMES,
    stop: list[tuple[str, int, int]] | None = None,
    ordered: bool = True,
) -> tuple[pa.Table, list[tuple[str, int, int]]]:
    """The matching view of `table` as Arrow, and the stop list that was applied to it.

    The stop list is computed from `table` unless given (explaining two records uses the
    list of the last full run). `ordered`: rows by record id (training samples from it);
    sorting a million wide rows costs two seconds that scoring does not need.
    """
    if stop is None:
        stop = shared_values(con, table, limit)
    stop_table = pa.table({"value": pa.array([s[0] for s in stop], type=pa.string())})
    con.register("shared_values", stop_table)
    try:
        keys = ",\n       ".join(
            f"nullif(list_filter({c}, lambda v: NOT list_contains(stop.values, v)), []) AS {c}"
            for c in KEY_COLUMNS
        )
        sql = _FEATURES_SQL.format(
            table=table,
            keys=keys,
            city=_NORM.format(col="city"),
            address=_NORM.format(col="address"),
            order="ORDER BY record_id" if ordered else "",
        )
        return con.sql(sql).to_arrow_table(), stop
    finally:
        con.unregister("shared_values")
