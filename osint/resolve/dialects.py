"""Every piece of hand-written SQL the Splink model uses, once per SQL dialect.

Splink translates its library levels between backends, but not DuckDB list functions in a
custom level. Whatever the model needs beyond the library lives here, keyed by dialect, so
that running the model on Spark means filling in the `spark` column, nothing else.
"""

from __future__ import annotations

DIALECTS = ("duckdb", "spark")

# Share of distinct words two names have in common (Jaccard on word sets, not characters:
# DuckDB's own `jaccard()` compares character sets). `{l}` / `{r}` are the two array columns.
_TOKEN_JACCARD = {
    "duckdb": "len(list_intersect({l}, {r})) / len(list_distinct(list_concat({l}, {r})))",
    "spark": "size(array_intersect({l}, {r})) / size(array_union({l}, {r}))",
}


def token_jaccard(column: str, dialect: str) -> str:
    """SQL for the word-set Jaccard similarity of `column` between the two records."""
    try:
        template = _TOKEN_JACCARD[dialect]
    except KeyError:
        raise ValueError(
            f"no SQL for dialect {dialect!r}: valid are {', '.join(DIALECTS)}"
        ) from None
    return template.format(l=f'"{column}_l"', r=f'"{column}_r"')
