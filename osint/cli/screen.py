"""`osint screen traveler`: one query from flags, or many from a CSV / JSONL file."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from osint.cli.context import config_of
from osint.cli.output import Format, default_format, info, write_rows
from osint.errors import ItemError, OsintError, UsageError
from osint.screen import Result, Traveler, read_travelers, screen_traveler, traveler_from_mapping
from osint.store import open_profile_store

app = typer.Typer(help="Screen travelers against the published profiles.", no_args_is_help=True)


class BadQueries(OsintError):
    """Some query lines were bad; the good ones were screened."""


class MatchesFound(OsintError):
    """Matches found and --fail-on-match asked for a distinct exit code."""

    exit_code = 4


def _flat(result: Result) -> list[dict[str, Any]]:
    rows = []
    for hit in result.hits:
        rows.append(
            {
                "query_id": result.query_id,
                "profile_id": hit.profile_id,
                "name": hit.name,
                "score": hit.score,
                "match": hit.match,
                "risk_flags": hit.risk_flags,
                "why": [
                    f"{e.feature} {e.contribution:+.2f} ({e.query_value} ~ {e.profile_value})"
                    for e in hit.explanations
                ],
            }
        )
    if not rows:
        rows.append(
            {
                "query_id": result.query_id,
                "profile_id": None,
                "name": None,
                "score": None,
                "match": False,
                "risk_flags": [],
                "why": [],
            }
        )
    return rows


@app.command()
def traveler(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Full name as on the passport.")] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth, YYYY-MM-DD or YYYY.")] = None,
    nationality: Annotated[str | None, typer.Option(help="Nationality (ISO code or name).")] = None,
    passport: Annotated[str | None, typer.Option("--passport", help="Passport number.")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone number.")] = None,
    email: Annotated[str | None, typer.Option(help="Email address.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-i", help="Queries, one per line (.csv or .jsonl).")
    ] = None,
    threshold: Annotated[float | None, typer.Option(help="Match threshold (0..1).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, max=100, help="Hits per query.")] = None,
    fail_on_match: Annotated[
        bool, typer.Option("--fail-on-match", help="Exit with code 4 when any query matches.")
    ] = False,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="Output format.")] = None,
) -> None:
    """Screen a traveler (or a file of travelers) against the profile store.

    Example: osint screen traveler --name "Ahmed Ismail Yassin" --dob 1938
    """
    config = config_of(ctx)
    threshold = threshold if threshold is not None else config.settings.screen.threshold
    limit = limit or config.settings.screen.limit
    if not 0 < threshold < 1:
        raise UsageError(f"--threshold {threshold} is outside 0..1: use e.g. 0.75")
    if file is None and not name:
        raise UsageError("give --name (with --dob, --nationality, ...) or --file QUERIES.csv")
    queries: list[Traveler | ItemError]
    if file is not None:
        queries = read_travelers(file)
    else:
        values = {
            "id": "cli",
            "name": name,
            "dob": dob,
            "nationality": nationality,
            "passport_number": passport,
            "phone": phone,
            "email": email,
        }
        try:
            queries = [traveler_from_mapping({k: v for k, v in values.items() if v}, "--flags")]
        except ItemError as exc:
            raise UsageError(str(exc)) from exc
    con = open_profile_store(config.profile_store)
    fmt = default_format(fmt)
    bad = [q for q in queries if isinstance(q, ItemError)]
    results = [
        screen_traveler(con, q, threshold, limit) for q in queries if isinstance(q, Traveler)
    ]
    con.close()
    if fmt in (Format.json, Format.jsonl):
        write_rows([asdict(r) for r in results], fmt)
    else:
        write_rows([row for r in results for row in _flat(r)], fmt)
    for err in bad:
        info(f"osint: skipped: {err}")
    # A match outranks bad lines: a screening job must not mistake a hit for an input error.
    if fail_on_match and any(h.match for r in results for h in r.hits):
        suffix = f" ({len(bad)} bad queries skipped)" if bad else ""
        raise MatchesFound("matches found" + suffix)
    if bad:
        raise BadQueries(f"{len(bad)} of {len(queries)} queries were bad and skipped (see above)")
