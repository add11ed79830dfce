"""The extract command (stored documents and entries to records, or one file to stdout) and
`osint eval extract`."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from osint import pipeline
from osint.cli.context import config_of
from osint.cli.output import Format, FormatOpt, QuietOpt, default_format, info, write_rows
from osint.cli.progress import progress_bar
from osint.config import SHIPPED_CONFIG, Config
from osint.errors import ItemError, UsageError
from osint.extract import KINDS, PipelineSpec, TextExtractor, from_file
from osint.extract.evaluate import evaluate, table_rows
from osint.normalize import to_iso2

ENTITY_COLUMNS = ("label", "text", "value", "start", "end", "origin")
RECORD_COLUMNS = (
    "record_id", "kind", "name", "aliases", "countries", "phones", "emails", "domains",
    "wallets", "identifiers", "chemicals", "hs_codes", "confidence",
)  # fmt: skip


def _extractor(config: Config, n_process: int = 1) -> TextExtractor:
    settings = config.settings.extract
    spec = PipelineSpec(settings.spacy_model, config.lexicon_path)
    return TextExtractor(spec, n_process=n_process, batch_size=settings.batch_size)


def _record_dict(record: Any) -> dict[str, Any]:
    row = asdict(record)
    row["record_id"] = record.record_id
    row["relations"] = [asdict(r) for r in record.relations]
    return row


def _one_file(
    config: Config, path: Path, kind: str | None, country: str | None, fmt: Format
) -> None:
    if kind is not None and kind not in KINDS:
        raise UsageError(f"--kind {kind!r} is not a page kind: use one of {', '.join(KINDS)}")
    if country is not None and to_iso2(country) is None:
        raise UsageError(f"--country {country!r} is not a country: give an ISO code or a name")
    try:
        page = from_file(path, kind, country, config.settings.extract.max_chars)
    except OSError as exc:
        raise UsageError(f"cannot read {path} ({exc.strerror}): check the path") from exc
    except ItemError as exc:
        raise UsageError(f"{path}: {exc}") from exc
    for note in page.notes:
        info(f"note: {note}")
    result = _extractor(config).one(page)
    entities = [m.as_dict() for m in result.mentions]
    records = [_record_dict(r) for r in result.records]
    if fmt == Format.json:
        write_rows(
            [{"file": str(path), "kind": page.kind, "country": page.country,
              "entities": entities, "records": records}],
            Format.json,
        )  # fmt: skip
        return
    if fmt == Format.jsonl:
        write_rows([{"type": "entity", **e} for e in entities], fmt)
        write_rows([{"type": "record", **r} for r in records], fmt)
        return
    write_rows(entities, fmt, ENTITY_COLUMNS)
    sys.stdout.write("\n")
    write_rows(records, fmt, RECORD_COLUMNS)


def extract(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Re-extract everything.")] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Extract one HTML or text file and print what is found."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help=f"Page kind for --file: {', '.join(KINDS)} (default: guess)."),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Country hint for --file (ISO code or name).")
    ] = None,
    fmt: FormatOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Turn new or changed entries and documents into records (or show what one file gives).

    Example: osint extract --file page.html --kind listing --format json
    """
    config = config_of(ctx)
    if file is not None:
        _one_file(config, file, kind, country, default_format(fmt))
        return
    with progress_bar("extracting pages", quiet) as advance:
        stats = pipeline.extract_stage(config, full=all_, progress=advance)
    if not quiet:
        for note in stats.notes[:50]:
            info(f"note: {note}")
        if len(stats.notes) > 50:
            info(f"note: ... and {len(stats.notes) - 50} more")
    row = asdict(stats)
    row["notes"] = len(stats.notes)
    write_rows([row], default_format(fmt))


def eval_extract(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Annotated set: a directory with gold.jsonl and docs/."),
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="Also list each miss and false hit on stderr.")
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Precision, recall and F1 per label for osint's extraction and the plain spaCy model.

    Example: osint eval extract --data tests/data/extract_eval --errors
    """
    config = config_of(ctx)
    data = data or SHIPPED_CONFIG.parent / "tests" / "data" / "extract_eval"
    result = evaluate(data, _extractor(config), config.settings.extract.spacy_model)
    info(f"{result.documents} documents in {data}")
    if errors:
        for counts in result.ours.values():
            for line in counts.misses + counts.false:
                info(line)
    write_rows(table_rows(result), default_format(fmt))


def register(app: typer.Typer) -> None:
    app.command()(extract)
