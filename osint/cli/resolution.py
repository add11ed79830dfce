"""Analyst commands around resolution: review, judgements, explain, import."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer

from osint.cli.context import config_of
from osint.cli.output import Format, FormatOpt, default_format, info, write_rows
from osint.config import Config
from osint.errors import OsintError
from osint.resolve import decide as decide_pair
from osint.resolve import export_judgements, import_judgements
from osint.resolve import undo as undo_judgement
from osint.resolve.explain import explain as explain_pair
from osint.resolve.imports import import_file, parse_mapping
from osint.resolve.review import conflicts as list_conflicts
from osint.resolve.review import queue
from osint.store import WriterLock, command_line, open_work_store

AuthorOpt = Annotated[
    str | None,
    typer.Option("--author", envvar="OSINT_AUTHOR", help="Who decides (default: login name)."),
]


class BadRows(OsintError):
    """Some rows of an imported file were invalid; the good rows were kept."""


@contextmanager
def _work(config: Config, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    if not write:
        con = open_work_store(config.work_store, read_only=True)
        try:
            yield con
        finally:
            con.close()
        return
    with WriterLock(config.data_dir, command_line()):
        con = open_work_store(config.work_store)
        try:
            yield con
        finally:
            con.close()


def _author(author: str | None) -> str:
    return author or os.environ.get("USER") or getpass.getuser()


review_app = typer.Typer(
    help="Review pairs near the match threshold: same, different or unsure.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _show(item: dict[str, Any], out: Any = None) -> None:
    out = out or sys.stdout
    a, b = item["a"], item["b"]
    out.write(
        f"\n{item['record_a']}  vs  {item['record_b']}   probability "
        f"{item['match_probability']:.3f}  weight {item['match_weight']:+.2f}\n"
    )
    for key in a:
        va, vb = a.get(key), b.get(key)
        if va in (None, []) and vb in (None, []):
            continue
        out.write(f"  {key:<12} {_fmt(va):<40} {_fmt(vb)}\n")
    out.write("  reasons:\n")
    for name, reason in sorted(item["reasons"].items(), key=lambda kv: -abs(kv[1]["weight"])):
        if reason["weight"]:
            out.write(f"    {name:<12} {reason['weight']:+6.2f}  {reason['level']}\n")


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)[:40]
    return "" if value is None else str(value)[:40]


@review_app.callback()
def review(
    ctx: typer.Context,
    list_only: Annotated[
        bool, typer.Option("--list", help="Print the queue and exit (no prompts).")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Pairs to show.")] = 20,
    author: AuthorOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Review pairs near the match threshold, most uncertain first.

    On a terminal, each pair is shown side by side with its reasons and you answer
    s(ame), d(ifferent), u(nsure), n(ext) or q(uit); `--list` prints the queue instead.
    Decisions apply at the next `osint resolve`.

    Example: osint review --list --limit 10
    """
    if ctx.invoked_subcommand is not None:
        return
    config = config_of(ctx)
    with _work(config, write=False) as con:
        items = queue(con, config.settings.resolve.match_threshold, limit)
    if list_only or not sys.stdin.isatty():
        rows = [{k: v for k, v in item.items() if k not in ("a", "b")} for item in items]
        write_rows(
            rows,
            default_format(fmt),
            columns=[
                "record_a",
                "record_b",
                "match_probability",
                "match_weight",
                "name_a",
                "name_b",
            ],
        )
        return
    if not items:
        info("nothing to review: every pair near the threshold has a judgement")
        return
    who = _author(author)
    for item in items:
        _show(item)
        answer = typer.prompt("s(ame) d(ifferent) u(nsure) n(ext) q(uit)", default="n")
        choice = {"s": "same", "d": "different", "u": "unsure"}.get(answer[:1].lower())
        if answer[:1].lower() == "q":
            break
        if choice:
            with _work(config, write=True) as con:
                made = decide_pair(con, item["record_a"], item["record_b"], choice, who)
            undo_hint = f"undo: osint review undo {made.judgement_id}"
            info(f"{made.judgement_id}: {made.judgement} ({undo_hint})")


@review_app.command("decide")
def decide(
    ctx: typer.Context,
    record_a: Annotated[str, typer.Argument(help="A record id.")],
    record_b: Annotated[str, typer.Argument(help="The other record id.")],
    decision: Annotated[str, typer.Argument(help="same, different or unsure.")],
    note: Annotated[str | None, typer.Option("--note", help="Why (kept with it).")] = None,
    author: AuthorOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Record a judgement on two records: `same` forces a link, `different` forbids one.

    Example: osint review decide rec-1a2b rec-3c4d different --note "two brothers"
    """
    with _work(config_of(ctx), write=True) as con:
        made = decide_pair(con, record_a, record_b, decision, _author(author), note)
    write_rows([made.to_json()], default_format(fmt))


@review_app.command("undo")
def undo(
    ctx: typer.Context,
    judgement_id: Annotated[
        str | None, typer.Argument(help="Judgement to undo (default: your latest).")
    ] = None,
    author: AuthorOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Undo a judgement (it is kept, marked deleted); without an id, your latest one.

    Example: osint review undo jdg-0123456789abcdef
    """
    with _work(config_of(ctx), write=True) as con:
        undone = undo_judgement(con, judgement_id, _author(author))
    write_rows([undone.to_json()], default_format(fmt))


@review_app.command("conflicts")
def conflicts(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Records that score high against two profiles an analyst called different.

    Example: osint review conflicts --format csv
    """
    with _work(config_of(ctx), write=False) as con:
        rows = list_conflicts(con)
    write_rows(rows, default_format(fmt))


judgements_app = typer.Typer(
    help="Export and import analysts' judgements (JSON lines).", no_args_is_help=True
)


@judgements_app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Write every judgement (undone ones too, with deleted_at) as JSON lines.

    Example: osint judgements export -o judgements.jsonl
    """
    with _work(config_of(ctx), write=False) as con:
        rows = list(export_judgements(con))
    if output is None:
        write_rows(rows, Format.jsonl)
        return
    with output.open("w", encoding="utf-8") as fh:
        write_rows(rows, Format.jsonl, out=fh)
    info(f"{len(rows)} judgements written to {output}")


@judgements_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="JSON lines from `osint judgements export`; - for stdin.")
    ],
) -> None:
    """Add judgements from JSON lines; ones already present (same id) are left alone.

    Example: osint judgements import judgements.jsonl
    """
    lines = sys.stdin.read().splitlines() if str(file) == "-" else _read_lines(file)
    with _work(config_of(ctx), write=True) as con:
        added, present, problems = import_judgements(con, lines)
    for problem in problems:
        info(f"{file}: {problem}")
    info(f"{added} judgements added, {present} already present")
    if problems:
        raise BadRows(
            f"{len(problems)} lines of {file} were bad (listed above): fix them and import again"
        )


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadRows(f"cannot read {path} ({exc.strerror}): check the path") from exc


def explain(
    ctx: typer.Context,
    record_a: Annotated[str, typer.Argument(help="A record id.")],
    record_b: Annotated[str, typer.Argument(help="The other record id.")],
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write Splink's waterfall chart here.")
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Explain the model's score for two records: each comparison's level and match weight.

    Example: osint explain rec-1a2b rec-3c4d --html pair.html
    """
    config = config_of(ctx)
    with _work(config, write=True) as con:
        result = explain_pair(con, config.model_path, record_a, record_b, html)
    chosen = default_format(fmt)
    if chosen == Format.table:
        typer.echo(result.text())
    else:
        write_rows(result.rows(), chosen)
    if html:
        info(f"waterfall chart written to {html}")


def import_records(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .csv or .jsonl file of records.")],
    source: Annotated[str, typer.Option("--source", help="Source name for these records.")],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=FIELD for a column named otherwise than the record field "
            "(e.g. --map id=source_key --map company=name). Repeatable.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only.")] = False,
    fmt: FormatOpt = None,
) -> None:
    """Import records you hold (CSV or JSON lines with the record fields) into the work store.

    Fields: source_key (required, the row's own stable key), kind (organization, person,
    vessel), name, aliases, countries, nationality, address, city, dob, phones, emails,
    domains, wallets (CHAIN:address), identifiers (scheme:value), chemicals, hs_codes,
    programs, confidence. List fields in CSV are separated by `;`. Bad rows are reported
    with their line number and skipped; the command then exits 1.

    Example: osint import suppliers.csv --source analyst_list --map id=source_key
    """
    config = config_of(ctx)
    pairs = parse_mapping(mapping or [])
    with _work(config, write=not dry_run) as con:
        result = import_file(con, file, source, pairs, dry_run=dry_run)
    for problem in result.problems:
        info(f"{file}: {problem}")
    write_rows(
        [
            {
                "source": result.source,
                "path": result.path,
                "rows_read": result.rows_read,
                "rows_kept": result.rows_kept,
                "rows_bad": result.rows_bad,
                "dry_run": dry_run,
            }
        ],
        default_format(fmt),
    )
    if result.problems:
        raise BadRows(
            f"{result.rows_bad} of {result.rows_read} rows of {file} were bad (listed above): "
            "fix them and import again; the good rows were kept"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
    app.add_typer(judgements_app, name="judgements")
    app.command("explain")(explain)
    app.command("import")(import_records)


def eval_resolve(
    ctx: typer.Context,
    datasets: Annotated[
        list[str] | None,
        typer.Argument(help="febrl3, febrl4, fake1000, companies (default: all)."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="The fake_1000 CSV (default ../shared/data/er/...)."),
    ] = None,
    companies: Annotated[
        Path | None,
        typer.Option("--companies", help="A labelled company CSV (default tests/data/resolve)."),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Train and resolve labelled data sets; print pairwise and cluster precision, recall, F1.

    Example: osint eval resolve febrl3 febrl4 --format table
    """
    from osint.resolve.evaluate import COMPANIES, DATASETS, FAKE_1000, evaluate

    config = config_of(ctx)
    scores = evaluate(
        datasets or list(DATASETS),
        config.settings.resolve.match_threshold,
        fake_path=data or FAKE_1000,
        companies_path=companies or COMPANIES,
        report=info,
    )
    write_rows([asdict(s) for s in scores], default_format(fmt))
