"""Analysts' judgements on pairs of records: data kept apart from model output.

A judgement is `positive` (same entity: forces a link), `negative` (different: forbids the
two records from ending in one profile) or `unsure` (seen, no decision: leaves the review
queue). The latest non-deleted judgement on a pair is the one in force; undo soft-deletes.
Record ids are stable hashes of source keys, so judgements survive every rebuild and can be
moved between stores as JSON lines.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import duckdb

from osint.errors import ResolveError
from osint.store.work import utcnow

JUDGEMENTS = ("positive", "negative", "unsure")
# What analysts type -> what is stored.
DECISIONS = {"same": "positive", "different": "negative", "unsure": "unsure"}


@dataclass(slots=True)
class Judgement:
    judgement_id: str
    record_a: str
    record_b: str
    judgement: str
    author: str
    created_at: datetime
    note: str | None = None
    deleted_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        for key in ("created_at", "deleted_at"):
            if row[key] is not None:
                row[key] = row[key].isoformat(timespec="seconds")
        return row


_COLUMNS = "judgement_id, record_a, record_b, judgement, author, created_at, note, deleted_at"


def current_judgements(work: duckdb.DuckDBPyConnection) -> list[Judgement]:
    """The judgement in force on each pair (latest, not deleted)."""
    rows = work.sql(
        f"SELECT {_COLUMNS} FROM judgements WHERE deleted_at IS NULL "
        "QUALIFY row_number() OVER (PARTITION BY least(record_a, record_b), "
        "greatest(record_a, record_b) ORDER BY created_at DESC, judgement_id DESC) = 1 "
        "ORDER BY created_at, judgement_id"
    ).fetchall()
    return [Judgement(*r) for r in rows]


def all_judgements(work: duckdb.DuckDBPyConnection) -> list[Judgement]:
    rows = work.sql(f"SELECT {_COLUMNS} FROM judgements ORDER BY created_at, judgement_id")
    return [Judgement(*r) for r in rows.fetchall()]


def decide(
    work: duckdb.DuckDBPyConnection,
    record_a: str,
    record_b: str,
    decision: str,
    author: str,
    note: str | None = None,
) -> Judgement:
    """Record a decision (`same`, `different`, `unsure`, or the stored names) on a pair."""
    judgement = DECISIONS.get(decision, decision)
    if judgement not in JUDGEMENTS:
        raise ResolveError(f"unknown decision {decision!r}: use one of {', '.join(DECISIONS)}")
    if record_a == record_b:
        raise ResolveError("a judgement needs two different records")
    known = {
        r[0]
        for r in work.execute(
            "SELECT record_id FROM records WHERE record_id IN (?, ?)", [record_a, record_b]
        ).fetchall()
    }
    missing = [r for r in (record_a, record_b) if r not in known]
    if missing:
        raise ResolveError(
            f"no record {', '.join(missing)} in the work store: "
            "take record ids from `osint review --list` or `osint export records`"
        )
    a, b = sorted((record_a, record_b))
    made = Judgement(f"jdg-{uuid.uuid4().hex[:16]}", a, b, judgement, author, utcnow(), note)
    _insert(work, [made])
    return made


def undo(
    work: duckdb.DuckDBPyConnection, judgement_id: str | None = None, author: str | None = None
) -> Judgement:
    """Soft-delete a judgement (by id, or the latest one by `author`); returns it."""
    if judgement_id:
        rows = work.execute(
            f"SELECT {_COLUMNS} FROM judgements WHERE judgement_id = ? AND deleted_at IS NULL",
            [judgement_id],
        ).fetchall()
    else:
        rows = work.execute(
            f"SELECT {_COLUMNS} FROM judgements WHERE deleted_at IS NULL AND author = ? "
            "ORDER BY created_at DESC, judgement_id DESC LIMIT 1",
            [author],
        ).fetchall()
    if not rows:
        what = f"judgement {judgement_id}" if judgement_id else f"judgement by {author}"
        raise ResolveError(f"no {what} to undo: list them with `osint judgements export`")
    found = Judgement(*rows[0])
    found.deleted_at = utcnow()
    work.execute(
        "UPDATE judgements SET deleted_at = ? WHERE judgement_id = ?",
        [found.deleted_at, found.judgement_id],
    )
    return found


def _insert(work: duckdb.DuckDBPyConnection, items: list[Judgement]) -> None:
    if not items:
        return
    work.executemany(
        f"INSERT INTO judgements ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (judgement_id) DO NOTHING",
        [
            [
                j.judgement_id,
                j.record_a,
                j.record_b,
                j.judgement,
                j.author,
                j.created_at,
                j.note,
                j.deleted_at,
            ]
            for j in items
        ],
    )


def export_judgements(work: duckdb.DuckDBPyConnection) -> Iterator[dict[str, Any]]:
    """Every judgement, deleted ones included (they carry `deleted_at`), as JSON objects."""
    for j in all_judgements(work):
        yield j.to_json()


def import_judgements(
    work: duckdb.DuckDBPyConnection, lines: Iterable[str]
) -> tuple[int, int, list[str]]:
    """Add judgements from JSON lines. Returns (added, already present, problems by line).

    A line with a problem is skipped and named; the good lines are kept.
    """
    existing = {r[0] for r in work.sql("SELECT judgement_id FROM judgements").fetchall()}
    good: list[Judgement] = []
    problems: list[str] = []
    present = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            item = Judgement(
                judgement_id=str(data["judgement_id"]),
                record_a=str(data["record_a"]),
                record_b=str(data["record_b"]),
                judgement=str(data["judgement"]),
                author=str(data["author"]),
                created_at=datetime.fromisoformat(data["created_at"]),
                note=data.get("note"),
                deleted_at=(
                    datetime.fromisoformat(data["deleted_at"]) if data.get("deleted_at") else None
                ),
            )
        except (ValueError, KeyError, TypeError) as exc:
            reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            problems.append(f"line {number}: {reason}")
            continue
        if item.judgement not in JUDGEMENTS:
            problems.append(
                f"line {number}: judgement {item.judgement!r} is not one of {JUDGEMENTS}"
            )
            continue
        if item.judgement_id in existing:
            present += 1
            continue
        existing.add(item.judgement_id)
        good.append(item)
    _insert(work, good)
    return len(good), present, problems
