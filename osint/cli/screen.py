"""`osint screen traveler|cargo|exclude|unexclude|exclusions|audit`: thin over osint.screen."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from osint.cli.context import config_of
from osint.cli.output import Format, FormatOpt, default_format, info, write_rows
from osint.config import Config
from osint.errors import ItemError, OsintError, UsageError
from osint.screen import (
    CargoLine,
    Explanation,
    Result,
    Screener,
    ScreeningPaths,
    Traveler,
    iter_cargo,
    iter_travelers,
    traveler_from_mapping,
)
from osint.screen.audit import read_audit
from osint.screen.exclusions import Exclusions

app = typer.Typer(
    help="Screen travelers and cargo lines against the published profiles.", no_args_is_help=True
)

ThresholdOpt = Annotated[
    float | None, typer.Option(help="Match threshold (0..1); default [screen] threshold.")
]
LimitOpt = Annotated[int | None, typer.Option(min=1, max=100, help="Hits per query.")]
FailOpt = Annotated[
    bool, typer.Option("--fail-on-match", help="Exit with code 4 when any query matches.")
]
WhoOpt = Annotated[
    str | None, typer.Option("--who", help="Who screens, for the audit log (default: $USER).")
]


class BadQueries(OsintError):
    """Some query lines were bad; the good ones were screened."""


class MatchesFound(OsintError):
    """Matches found and --fail-on-match asked for a distinct exit code."""

    exit_code = 4


def screening_paths(config: Config) -> ScreeningPaths:
    """Exclusions and the audit log live in <data_dir>/screening/, beside (not in) the store."""
    return ScreeningPaths.under(
        config.data_dir, config.profile_store, config.lexicon_path, config.model_path
    )


def make_screener(
    config: Config,
    threshold: float | None,
    limit: int | None,
    who: str | None = None,
    interface: str = "cli",
) -> Screener:
    threshold = threshold if threshold is not None else config.settings.screen.threshold
    if not 0 < threshold < 1:
        raise UsageError(f"--threshold {threshold} is outside 0..1: use e.g. 0.75")
    return Screener(
        screening_paths(config),
        threshold=threshold,
        limit=limit or config.settings.screen.limit,
        who=who,
        interface=interface,
    )


def _why(e: Explanation) -> str:
    """One explanation in a cell: feature, bits, and the values compared."""
    values = "" if e.query_value is None else f" ({e.query_value} ~ {e.profile_value or '-'})"
    return f"{e.feature} {e.contribution:+.1f} bits{values}"


def flat(result: Result) -> list[dict[str, Any]]:
    """One row per hit (or one empty row), for table and CSV output."""
    indicators = [f"{i.code}: {i.evidence}" for i in result.indicators]
    rows = [
        {
            "query_id": result.query_id,
            "role": hit.role,
            "profile_id": hit.profile_id,
            "name": hit.name,
            "score": hit.score,
            "match": hit.match,
            "risk_flags": hit.risk_flags,
            "why": [_why(e) for e in hit.explanations],
            "indicators": indicators,
        }
        for hit in result.hits
    ]
    return rows or [
        {
            "query_id": result.query_id,
            "role": None,
            "profile_id": None,
            "name": None,
            "score": None,
            "match": False,
            "risk_flags": [],
            "why": [],
            "indicators": indicators,
        }
    ]


def run_batch(
    screener: Screener,
    queries: Iterable[Traveler | CargoLine | ItemError],
    fmt: Format,
    fail_on_match: bool,
    workers: int = 1,
) -> None:
    """Screen a stream, write results as they come (jsonl) and report bad lines on stderr."""
    counts = {"bad": 0, "total": 0, "matched": 0}

    def good() -> Iterator[Traveler | CargoLine]:
        for q in queries:
            counts["total"] += 1
            if isinstance(q, ItemError):
                counts["bad"] += 1
                info(f"osint: skipped: {q}")
                continue
            yield q

    def results() -> Iterator[dict[str, Any]]:
        for result in screener.screen_many(good(), workers=workers):
            counts["matched"] += result.matched
            if fmt in (Format.json, Format.jsonl):
                yield result.to_dict()
            else:
                yield from flat(result)

    try:
        write_rows(results(), fmt)
        sys.stdout.flush()
    finally:
        screener.close()
    bad = counts["bad"]
    # A match outranks bad lines: a screening job must not mistake a hit for an input error.
    if fail_on_match and counts["matched"]:
        suffix = f" ({bad} bad queries skipped)" if bad else ""
        raise MatchesFound(f"{counts['matched']} queries matched" + suffix)
    if bad:
        raise BadQueries(f"{bad} of {counts['total']} queries were bad and skipped (see above)")


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
    threshold: ThresholdOpt = None,
    limit: LimitOpt = None,
    fail_on_match: FailOpt = False,
    fmt: FormatOpt = None,
    who: WhoOpt = None,
) -> None:
    """Screen a traveler (or a file of travelers) against the profile store.

    Example: osint screen traveler --name "Ahmed Ismail Yassin" --dob 1938
    """
    config = config_of(ctx)
    if file is None and not name:
        raise UsageError("give --name (with --dob, --nationality, ...) or --file QUERIES.csv")
    queries: Iterable[Traveler | ItemError]
    if file is not None:
        queries = iter_travelers(file)
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
    screener = make_screener(config, threshold, limit, who)
    run_batch(screener, queries, default_format(fmt), fail_on_match)


@app.command()
def cargo(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Manifest lines (.csv with header, or .jsonl).")],
    threshold: ThresholdOpt = None,
    limit: LimitOpt = None,
    fail_on_match: FailOpt = False,
    fmt: FormatOpt = None,
    who: WhoOpt = None,
    workers: Annotated[
        int,
        typer.Option(min=1, max=32, help="Processes screening in parallel (forked)."),
    ] = 1,
) -> None:
    """Screen cargo manifest lines: shipper, consignee, notify and vessel, plus line indicators.

    Example: osint screen cargo manifest.csv --format jsonl --fail-on-match
    """
    config = config_of(ctx)
    screener = make_screener(config, threshold, limit, who)
    run_batch(screener, iter_cargo(file), default_format(fmt), fail_on_match, workers)


@app.command()
def exclude(
    ctx: typer.Context,
    fingerprint: Annotated[str, typer.Argument(help="Query fingerprint (fp-...) from a result.")],
    profile_id: Annotated[str, typer.Argument(help="The profile this query is not.")],
    author: Annotated[str, typer.Option(help="Who decides (kept with the exclusion).")],
    reason: Annotated[str, typer.Option(help="Why, in a few words.")] = "",
    remove: Annotated[
        bool,
        typer.Option(
            "--remove", help="Withdraw an exclusion (give its exc-... id); see unexclude."
        ),
    ] = False,
) -> None:
    """Record that a query (by fingerprint) is not a profile; kept across rebuilds.

    Example: osint screen exclude fp-1a2b3c4d prof-0215f116b09e --author jdoe --reason "other DOB"
    """
    config = config_of(ctx)
    store = Exclusions(screening_paths(config).exclusions)
    if remove:
        store.remove(fingerprint, author)
        info(f"osint: exclusion {fingerprint} withdrawn")
        return
    ex = store.add(fingerprint, profile_id, author, reason)
    write_rows([asdict(ex)], Format.jsonl)


@app.command()
def unexclude(
    ctx: typer.Context,
    exclusion_id: Annotated[str, typer.Argument(help="The exclusion (exc-...) to withdraw.")],
    author: Annotated[str, typer.Option(help="Who withdraws it (kept in the file).")],
    reason: Annotated[str, typer.Option(help="Why, in a few words.")] = "",
) -> None:
    """Withdraw an exclusion: the profile is reported for that query again (kept on file).

    Example: osint screen unexclude exc-3f2a9c0d1e2b4a5c --author jdoe --reason "same person"
    """
    config = config_of(ctx)
    ex = Exclusions(screening_paths(config).exclusions).remove(exclusion_id, author, reason)
    write_rows([asdict(ex)], Format.jsonl)
    info(f"osint: exclusion {exclusion_id} withdrawn")


AUDIT_COLUMNS = (
    "at",
    "who",
    "interface",
    "query_id",
    "query_kind",
    "matched",
    "hits",
    "indicators",
    "excluded",
    "threshold",
    "data_version",
    "model_version",
    "algorithm",
    "query_sha256",
)


def _audit_row(entry: dict[str, Any]) -> dict[str, Any]:
    """An audit entry flattened for a table or CSV (hits as profile:score, matches marked)."""
    row = {c: entry.get(c) for c in AUDIT_COLUMNS}
    row["hits"] = [
        f"{h.get('profile_id')}:{h.get('score')}{'*' if h.get('match') else ''}"
        for h in entry.get("hits") or []
    ]
    return row


@app.command()
def audit(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="From this time (UTC): YYYY-MM-DD[THH:MM[:SS]].")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Before this time (UTC).")] = None,
    who: Annotated[str | None, typer.Option("--who", help="Only calls by this user.")] = None,
    matched: Annotated[
        bool | None,
        typer.Option("--matched/--unmatched", help="Only queries that (did not) match."),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Read the screening audit log: who screened what, when, against which store and model.

    Example: osint screen audit --since 2026-12-01 --who jdoe --format csv
    """
    config = config_of(ctx)
    entries = read_audit(screening_paths(config).audit, since, until, who, matched)
    out = default_format(fmt)
    if out in (Format.json, Format.jsonl):
        write_rows(entries, out)
    else:
        write_rows((_audit_row(e) for e in entries), out, columns=AUDIT_COLUMNS)


@app.command()
def exclusions(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List the active exclusions.

    Example: osint screen exclusions --format csv
    """
    config = config_of(ctx)
    rows = [asdict(e) for e in Exclusions(screening_paths(config).exclusions).active()]
    write_rows(rows, default_format(fmt))


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="screen")
