"""Validating and normalizing a batch of import rows as columns, in DuckDB.

Row by row, `imports.to_record` is the reference: what a row means and what is wrong with it.
Running it per row costs about 100 us (phone numbers, transliteration, legal forms); a
million-row list would take minutes. Here the same converters run once per *distinct* value
(a country, a date, a phone with its country hint, a name) and SQL does the rest: splitting
lists, trimming, joining the converted values back, keeping the first of repeated values,
hashing record ids, finding repeated keys. Rows found bad go through `to_record` again for
the exact words of the problem, so the two paths cannot disagree about a message; the tests
check that both give the same records for the same file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb
import pyarrow as pa

from osint.normalize import (
    matching_form,
    normalize_email,
    parse_dob,
    registered_domain,
    strip_legal_form,
    to_e164,
    to_iso2,
)
from osint.records import KINDS
from osint.resolve.import_read import (
    LIST_FIELDS,
    LIST_SEPARATOR,
    SCALAR_FIELDS,
    WALLET,
    Batch,
    identifier_key,
)
from osint.store.work import sql_string


@cache
def _whitespace() -> str:
    """The characters Python's `str.strip()` removes (all of `str.isspace()`)."""
    return "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def _whitespace_sql() -> str:
    return f"'{_whitespace()}'"


def _edge_space() -> str:
    """An RE2 pattern for a value that starts or ends with such a character."""
    chars = "".join(f"\\x{{{ord(c):x}}}" for c in _whitespace())
    return f"'^[{chars}]|[{chars}]$'"


def _trim(expr: str) -> str:
    """SQL for `str.strip()` of a value (NULL as empty). `trim` with a character set costs
    about 2 us a value, so it runs only on values that have such a character at an end."""
    value = f"coalesce({expr}, '')"
    return (
        f"CASE WHEN regexp_matches({value}, {_edge_space()}) "
        f"THEN trim({value}, {_whitespace_sql()}) ELSE {value} END"
    )


def _split(expr: str) -> str:
    """SQL for `import_read.split_list` of a CSV cell: most cells are empty or one value."""
    sep = LIST_SEPARATOR.replace("'", "''")
    value = f"coalesce({expr}, '')"
    return (
        f"CASE WHEN {value} = '' THEN []::VARCHAR[] "
        f"WHEN NOT contains({value}, '{sep}') AND NOT regexp_matches({value}, {_edge_space()}) "
        f"THEN [{value}] "
        f"ELSE list_filter(list_transform(string_split({value}, '{sep}'), "
        f"lambda s: {_trim('s')}), lambda s: s <> '') END"
    )


@dataclass(slots=True)
class Checked:
    """A validated batch: good rows in the temp table `_import_good`, bad lines listed."""

    good: int
    bad_lines: list[int]
    repeats: list[tuple[int, str, int]]  # (line, source_key, line it first appeared on)


class Converters:
    """The converters' results for one import, kept across its batches (countries, dates
    and common names recur). Forking workers for long lists was tried: with the work store
    in memory, forking and pickling cost more than the conversions they would share."""

    def __init__(self) -> None:
        self.known: dict[str, dict[tuple[Any, ...], Any]] = {}

    def convert(
        self, name: str, func: Callable[..., Any], keys: list[tuple[Any, ...]]
    ) -> list[Any]:
        known = self.known.setdefault(name, {})
        todo = [k for k in keys if k not in known]
        outs = [func(*k) for k in todo]
        known.update(zip(todo, outs, strict=True))
        return [known[k] for k in keys]


def _map_values(
    con: duckdb.DuckDBPyConnection,
    converters: Converters,
    name: str,
    values_sql: str,
    convert: Callable[..., Any],
    out_type: pa.DataType,
    hinted: bool = False,
) -> None:
    """Temp table `name`(v[, h], out): `convert` applied once to each distinct value (with
    its hint `h`, the query's second column, when `hinted`)."""
    keys = con.sql(values_sql).fetchall()
    outs = converters.convert(name, convert, keys)
    columns = {"v": pa.array([k[0] for k in keys], pa.string())}
    if hinted:
        columns["h"] = pa.array([k[1] for k in keys], pa.string())
    columns["out"] = pa.array(outs, out_type)
    con.register(f"{name}_arrow", pa.table(columns))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def _kind(raw: str) -> str | None:
    kind = raw.lower()
    return kind if kind in KINDS else None


def _confidence(raw: str | None) -> float | None:
    if raw is None or raw == "":
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if 0 <= value <= 1 else None


def _dobs(raw: str) -> list[str] | None:
    return parse_dob(raw) or None


# Wallets are checked in SQL (RE2 reads this ASCII-only pattern as Python does; values are
# stripped, so Python's "$ before a final newline" never matters).
_WALLET_SQL = "'" + WALLET.pattern + "'"


def _matching_form(name: str, kind: str) -> str | None:
    # A name with nothing left to match on ("!!!") is left out, not a problem.
    return matching_form(name, kind == "organization") or None


# Each list field: (field, the list in `_import`, mapping table, hint column or None).
LISTS = (
    ("countries", "countries", "_m_countries", None),
    ("nationality", "nationality", "_m_nationality", None),
    ("emails", "emails", "_m_emails", None),
    ("phones", "phones", "_m_phones", "hint"),
    ("domains", "domains", "_m_domains", None),
    ("identifiers", "identifiers", "_m_identifiers", None),
    ("names_norm", "names_all", "_m_names", "kind"),
)


def _many_values(
    con: duckdb.DuckDBPyConnection, field: str, column: str, mapping: str, hint: str | None
) -> None:
    """Temp table `_c_<field>`(line, vals, bad) for rows with two values or more: the
    converted values in order, the first of repeated ones kept, `bad` if one did not
    convert. (Rows with one value, most of them, are joined directly; see `check_batch`.)"""
    on = "m.v = ex.v AND m.h IS NOT DISTINCT FROM ex.h" if hint else "m.v = ex.v"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _c_{field} AS
        WITH ex AS (
            SELECT line, unnest({column}) AS v, generate_subscripts({column}, 1) AS pos
                   {f", {hint} AS h" if hint else ""}
            FROM _import_hinted WHERE len({column}) > 1
        ), g AS (
            SELECT ex.line, list(m.out ORDER BY ex.pos) AS l
            FROM ex LEFT JOIN {mapping} m ON {on} GROUP BY ex.line
        )
        SELECT line,
               list_filter(l, lambda x, i: x IS NOT NULL AND list_position(l, x) = i) AS vals,
               list_contains(list_transform(l, lambda x: x IS NULL), true) AS bad
        FROM g
        """
    )


# normalize_name of an ASCII name, in SQL: rigour's transliteration leaves ASCII alone, and
# case folding ASCII is lower-casing (the batch-import tests compare it with Python's).
_ASCII_NORM = "trim(regexp_replace(lower(v), '[^a-z0-9]+', ' ', 'g'))"


def _org_form(norm: str) -> str | None:
    # `norm` is normalized already (ASCII, in SQL), and normalizing it again would leave it
    # as it is: this is `matching_form` without that second pass (a third of its cost).
    return strip_legal_form(norm) or norm or None


def _names_map(con: duckdb.DuckDBPyConnection, converters: Converters) -> None:
    """Temp table `_m_names`(v, h, out): each distinct name or alias (v) of a kind (h) as
    matching compares it. ASCII names are normalized in SQL (once, in `_names_distinct`)
    and only organizations' legal forms removed in Python; other scripts go through
    `matching_form` whole."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _names_distinct AS
        SELECT v, h, CASE WHEN strlen(v) = length(v) THEN {_ASCII_NORM} END AS ascii_norm
        FROM (
            SELECT DISTINCT unnest(names_all) AS v, kind AS h FROM _import_hinted
            WHERE name <> '' AND kind IS NOT NULL
        )
        """
    )
    _map_values(
        con, converters, "_m_names_other",
        "SELECT v, h FROM _names_distinct WHERE ascii_norm IS NULL",
        _matching_form, pa.string(), hinted=True,
    )  # fmt: skip
    _map_values(
        con, converters, "_m_org_forms",
        "SELECT DISTINCT ascii_norm FROM _names_distinct "
        "WHERE ascii_norm IS NOT NULL AND h = 'organization'",
        _org_form, pa.string(),
    )  # fmt: skip
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _m_names AS
        SELECT v, h, out FROM _m_names_other
        UNION ALL
        SELECT d.v, d.h,
               CASE WHEN d.h = 'organization' THEN o.out ELSE nullif(d.ascii_norm, '') END
        FROM _names_distinct d
        LEFT JOIN _m_org_forms o ON d.h = 'organization' AND o.v = d.ascii_norm
        WHERE d.ascii_norm IS NOT NULL
        """
    )


def _stage_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Temp table `_import`: the batch's fields trimmed, list fields as lists."""
    if batch.select is not None:
        _stage_select(con, batch.select, lists_split=False)
        return
    arrays: dict[str, pa.Array] = {
        "line": pa.array(batch.lines, pa.int64()),
        "unknown": pa.array(batch.unknown, pa.string()),
    }
    for name in SCALAR_FIELDS:
        arrays[name] = pa.array(batch.columns[name], pa.string())
    for name in LIST_FIELDS:
        kind = pa.list_(pa.string()) if batch.lists_split else pa.string()
        arrays[name] = pa.array(batch.columns[name], kind)
    con.register("_import_arrow", pa.table(arrays))
    try:
        _stage_select(con, "SELECT * FROM _import_arrow", batch.lists_split)
    finally:
        con.unregister("_import_arrow")


def _stage_select(con: duckdb.DuckDBPyConnection, select: str, lists_split: bool) -> None:
    lists = ",\n".join(f"{name if lists_split else _split(name)} AS {name}" for name in LIST_FIELDS)
    con.execute(
        f"""
            CREATE OR REPLACE TEMP TABLE _import AS
            SELECT line, unknown,
                   {_trim("source_key")} AS source_key,
                   {_trim("kind")} AS kind_raw,
                   {_trim("name")} AS name,
                   nullif({_trim("address")}, '') AS address,
                   nullif({_trim("city")}, '') AS city,
                   {_trim("dob")} AS dob_raw,
                   confidence AS confidence_raw,
                   {lists}
            FROM ({select})
            """
    )


def check_batch(
    con: duckdb.DuckDBPyConnection, batch: Batch, source: str, converters: Converters
) -> Checked:
    """Validate and normalize one batch; good rows go to the temp table `_import_good`
    (the `records` columns that come from the row), in line order."""
    _stage_batch(con, batch)
    _map_values(
        con, converters, "_m_kind", "SELECT DISTINCT kind_raw FROM _import", _kind, pa.string()
    )
    _map_values(
        con,
        converters,
        "_m_confidence",
        "SELECT DISTINCT confidence_raw FROM _import",
        _confidence,
        pa.float64(),
    )
    _map_values(
        con,
        converters,
        "_m_dob",
        "SELECT DISTINCT dob_raw FROM _import WHERE dob_raw <> ''",
        _dobs,
        pa.list_(pa.string()),
    )
    for field, convert in (
        ("countries", to_iso2),
        ("nationality", to_iso2),
        ("emails", normalize_email),
        ("domains", registered_domain),
        ("identifiers", identifier_key),
    ):
        values_sql = f"SELECT DISTINCT unnest({field}) FROM _import"
        _map_values(con, converters, f"_m_{field}", values_sql, convert, pa.string())
    # A phone without its country code is read in the row's first valid country (or
    # nationality), as to_record does; names are normalized once per kind.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _import_hinted AS
        SELECT i.*, k.out AS kind, list_concat([i.name], i.aliases) AS names_all,
               coalesce(mc.out, mn.out) AS hint
        FROM _import i
        LEFT JOIN _m_kind k ON k.v = i.kind_raw
        LEFT JOIN _m_countries mc ON mc.v = i.countries[1]
        LEFT JOIN _m_nationality mn ON mn.v = i.nationality[1]
        """
    )
    _map_values(
        con,
        converters,
        "_m_phones",
        "SELECT DISTINCT unnest(phones) AS v, hint FROM _import_hinted",
        to_e164,
        pa.string(),
        hinted=True,
    )
    _names_map(con, converters)
    for field, column, mapping, hint in LISTS:
        _many_values(con, field, column, mapping, hint)
    values, joins, bad = [], [], []
    for field, column, mapping, hint in LISTS:
        on = f"m_{field}.v = i.{column}[1]"
        if hint:
            on += f" AND m_{field}.h IS NOT DISTINCT FROM i.{hint}"
        joins.append(
            f"LEFT JOIN {mapping} m_{field} ON len(i.{column}) = 1 AND {on} "
            f"LEFT JOIN _c_{field} c_{field} USING (line)"
        )
        values.append(
            f"CASE len(i.{column}) WHEN 0 THEN []::VARCHAR[] "
            f"WHEN 1 THEN CASE WHEN m_{field}.out IS NULL THEN []::VARCHAR[] "
            f"ELSE [m_{field}.out] END ELSE c_{field}.vals END AS {field}"
        )
        if field != "names_norm":  # an empty matching form is dropped, not a problem
            bad.append(
                f"(len(i.{column}) = 1 AND m_{field}.out IS NULL) OR coalesce(c_{field}.bad, false)"
            )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _import_checked AS
        SELECT i.line, i.source_key, i.kind, i.name, i.aliases, i.address, i.city,
               dob.out AS dobs, i.wallets, i.chemicals, i.hs_codes, i.programs,
               conf.out AS confidence, {", ".join(values)},
               (i.unknown IS NOT NULL OR i.source_key = '' OR i.kind IS NULL OR i.name = ''
                OR (i.dob_raw <> '' AND dob.out IS NULL) OR conf.out IS NULL
                OR (len(i.wallets) > 0 AND NOT list_bool_and(list_transform(i.wallets,
                    lambda w: regexp_full_match(w, {_WALLET_SQL}))))
                OR {" OR ".join(bad)}) AS bad
        FROM _import_hinted i
        LEFT JOIN _m_confidence conf ON conf.v IS NOT DISTINCT FROM i.confidence_raw
        LEFT JOIN _m_dob dob ON dob.v = i.dob_raw
        {" ".join(joins)}
        """
    )
    bad_lines = [
        r[0] for r in con.sql("SELECT line FROM _import_checked WHERE bad ORDER BY line").fetchall()
    ]
    # The first line of a key wins, in this batch and across the batches before it.
    repeats = con.sql(
        """
        WITH good AS (
            SELECT line, source_key,
                   min(line) OVER (PARTITION BY source_key) AS first_here
            FROM _import_checked WHERE NOT bad
        )
        SELECT g.line, g.source_key, coalesce(k.line, g.first_here) AS first
        FROM good g LEFT JOIN _import_keys k USING (source_key)
        WHERE g.line <> coalesce(k.line, g.first_here)
        ORDER BY g.line
        """
    ).fetchall()
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _import_good AS
        SELECT 'rec-' || substr(sha256({sql_string(source)} || chr(31) || c.source_key), 1, 20)
                   AS record_id,
               c.* EXCLUDE (bad)
        FROM _import_checked c
        WHERE NOT bad AND line NOT IN (SELECT unnest(?::BIGINT[]))
        ORDER BY line
        """,
        [[r[0] for r in repeats]],
    )
    con.execute("INSERT INTO _import_keys SELECT source_key, line FROM _import_good")
    good = int(con.sql("SELECT count(*) FROM _import_good").fetchall()[0][0])
    return Checked(good, bad_lines, [(int(a), str(b), int(c)) for a, b, c in repeats])


def start(con: duckdb.DuckDBPyConnection) -> None:
    """Temp state of one import: the keys seen so far (for repeats across batches). Without
    a key index: a batch's good rows never repeat a key seen before (those rows are repeats,
    not good), and keeping an index of a million keys cost most of a second."""
    con.execute("CREATE OR REPLACE TEMP TABLE _import_keys (source_key VARCHAR, line BIGINT)")


def finish(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables of an import."""
    tables = ["_import", "_import_hinted", "_import_checked", "_import_good", "_import_keys"]
    tables += ["_import_known", "_import_file"]
    tables += ["_m_kind", "_m_confidence", "_m_dob", "_names_distinct", "_m_names_other"]
    tables += ["_m_org_forms"]
    tables += [m for _f, _c, m, _h in LISTS] + [f"_c_{f}" for f, _c, _m, _h in LISTS]
    for table in tables:
        con.execute(f"DROP TABLE IF EXISTS {table}")
