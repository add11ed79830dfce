"""`osint eval screen`: recall and precision on labelled cases, next to nomenklatura logic-v2.

Cases (tests/data/screen_cases.csv) name a query and the record the query should find, as
`source:source_key` (an OFAC ent_num, a UN data id), or nothing for a query that must not
match. A positive case counts as found when the best matching hit is the profile holding
that record; a match on any other profile is a false positive.

The baseline is OpenSanctions' nomenklatura `logic-v2` (yente's default algorithm), run in its
own interpreter (`.venv-baseline`, see docs/decisions/0004-screening.md) on the same cases,
against every profile of a compatible kind (a perfect retrieval, so that only its scoring is
compared), at yente's default match threshold.
"""

from __future__ import annotations

import csv
import json
import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from osint.errors import ConfigError, OsintError
from osint.screen.queries import CargoLine, Traveler
from osint.screen.screener import Screener

CASE_FIELDS = (
    "case_id",
    "category",
    "kind",
    "name",
    "dob",
    "country",
    "passport",
    "phone",
    "email",
    "imo",
    "expected",
    "note",
)
KINDS = {"traveler": ("person",), "party": ("organization", "person"), "vessel": ("vessel",)}
BASELINE_THRESHOLD = 0.7  # yente's default match threshold


@dataclass(frozen=True, slots=True)
class Case:
    case_id: str
    category: str
    kind: str
    name: str
    dob: str
    country: str
    passport: str
    phone: str
    email: str
    imo: str
    expected: str
    note: str


@dataclass(slots=True)
class Prediction:
    profile_id: str | None
    score: float
    detail: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Metrics:
    system: str
    threshold: float
    cases: int = 0
    positives: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.positives if self.positives else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, category: str = "all") -> dict[str, Any]:
        return {
            "system": self.system,
            "category": category,
            "threshold": self.threshold,
            "cases": self.cases,
            "positives": self.positives,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


def load_cases(path: Path) -> list[Case]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the screening cases ({exc.strerror})"]) from exc
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != CASE_FIELDS:
        raise ConfigError([f"{path}: header must be {','.join(CASE_FIELDS)}"])
    cases = [Case(**{k: (row[k] or "").strip() for k in CASE_FIELDS}) for row in reader]
    bad = [c.case_id for c in cases if c.kind not in KINDS]
    if bad:
        raise ConfigError(
            [f"{path}: case {b}: kind must be one of {', '.join(KINDS)}" for b in bad]
        )
    return cases


def case_query(case: Case) -> Traveler | CargoLine:
    if case.kind == "traveler":
        return Traveler(
            case.case_id,
            case.name,
            dob=case.dob or None,
            nationality=case.country or None,
            passport_number=case.passport or None,
            phone=case.phone or None,
            email=case.email or None,
        )
    if case.kind == "vessel":
        return CargoLine(case.case_id, vessel_name=case.name, vessel_imo=case.imo or None)
    return CargoLine(
        case.case_id,
        consignee_name=case.name,
        consignee_country=case.country or None,
        phones=[case.phone] if case.phone else [],
        emails=[case.email] if case.email else [],
    )


def expected_profiles(con: duckdb.DuckDBPyConnection, cases: Sequence[Case]) -> dict[str, str]:
    """case id -> profile id holding the expected record; a missing record is an error."""
    keys = sorted({c.expected for c in cases if c.expected})
    rows = con.execute(
        "SELECT source || ':' || source_key, profile_id FROM profile_records "
        "WHERE source || ':' || source_key = ANY($keys)",
        {"keys": keys},
    ).fetchall()
    found = dict(rows)
    missing = [k for k in keys if k not in found]
    if missing:
        raise OsintError(
            f"expected records not in the profile store: {', '.join(missing[:5])}: screen "
            "cases are built against the demo and test stores (osint demo)"
        )
    return {c.case_id: found[c.expected] for c in cases if c.expected}


def run_ours(screener: Screener, cases: Sequence[Case]) -> dict[str, Prediction]:
    out: dict[str, Prediction] = {}
    for case in cases:
        result = next(iter(screener.screen_many([case_query(case)])))
        roles = ("vessel",) if case.kind == "vessel" else ("traveler", "shipper", "consignee")
        hits = [h for h in result.hits if h.role in roles]
        best = hits[0] if hits else None
        detail = [
            f"{e.feature} {e.contribution:+.2f}"
            + ("" if e.query_value is None else f" ({e.query_value} ~ {e.profile_value})")
            for e in (best.explanations if best else [])
        ]
        out[case.case_id] = Prediction(
            best.profile_id if best and best.match else None, best.score if best else 0.0, detail
        )
    return out


def score(
    name: str,
    threshold: float,
    cases: Sequence[Case],
    expected: dict[str, str],
    predictions: dict[str, Prediction],
) -> dict[str, Metrics]:
    """Metrics overall ("all") and per category."""
    by: dict[str, Metrics] = defaultdict(lambda: Metrics(name, threshold))
    for case in cases:
        pred = predictions[case.case_id].profile_id
        want = expected.get(case.case_id)
        for key in ("all", case.category):
            m = by[key]
            m.cases += 1
            m.positives += bool(want)
            if want and pred == want:
                m.tp += 1
            else:
                m.fp += pred is not None
                m.fn += bool(want)
    return dict(by)


def wrong(
    cases: Sequence[Case], expected: dict[str, str], predictions: dict[str, Prediction]
) -> list[Case]:
    return [c for c in cases if predictions[c.case_id].profile_id != expected.get(c.case_id)]


# -- the baseline ------------------------------------------------------------------------

_ID_PROPS = {"passport": "passportNumber", "imo": "imoNumber", "lei": "leiCode", "inn": "innCode"}


def _entity(schema: str, ident: str, props: dict[str, list[str]]) -> dict[str, Any]:
    return {"id": ident, "schema": schema, "properties": {k: v for k, v in props.items() if v}}


def profile_entity(row: dict[str, Any]) -> dict[str, Any]:
    """A profile in the FollowTheMoney shape nomenklatura reads."""
    schema = {"person": "Person", "vessel": "Vessel"}.get(row["kind"], "Organization")
    props: dict[str, list[str]] = defaultdict(list)
    props["name"] = [row["name"]]
    props["alias"] = [n for n in row["names"] or [] if n != row["name"]]
    props["country"] = list(row["countries"] or [])
    props["address"] = list(row["addresses"] or [])
    props["phone"] = list(row["phones"] or [])
    props["email"] = list(row["emails"] or [])
    if schema == "Person":
        props["birthDate"] = list(row["dobs"] or [])
        props["nationality"] = list(row["nationality"] or [])
    for ident in row["identifiers"] or []:
        scheme, _, value = ident.partition(":")
        prop = _ID_PROPS.get(scheme, "idNumber" if schema == "Person" else "registrationNumber")
        if schema == "Vessel" and prop != "imoNumber":
            continue
        props[prop].append(value)
    return _entity(schema, row["profile_id"], props)


def case_entity(case: Case) -> dict[str, Any]:
    schema = {"traveler": "Person", "vessel": "Vessel", "party": "LegalEntity"}[case.kind]
    props: dict[str, list[str]] = {"name": [case.name]}
    if case.dob:
        props["birthDate"] = [case.dob]
    if case.country:
        props["nationality" if schema == "Person" else "country"] = [case.country.lower()]
    if case.passport:
        props["passportNumber"] = [case.passport]
    if case.phone:
        props["phone"] = [case.phone]
    if case.email:
        props["email"] = [case.email]
    if case.imo:
        props["imoNumber"] = [case.imo]
    return _entity(schema, case.case_id, props)


_PROFILES_SQL = """
SELECT profile_id, kind, name, names, countries, nationality, dobs, addresses, phones, emails,
       identifiers
FROM profiles
"""


def run_baseline(
    con: duckdb.DuckDBPyConnection,
    cases: Sequence[Case],
    python: Path,
    worker: Path,
    threshold: float = BASELINE_THRESHOLD,
) -> dict[str, Prediction]:
    """Predictions of nomenklatura logic-v2, run in `python` (the baseline venv)."""
    rel = con.sql(_PROFILES_SQL)
    columns = rel.columns
    profiles = [dict(zip(columns, r, strict=True)) for r in rel.fetchall()]
    entities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in profiles:
        for kind, kinds in KINDS.items():
            if row["kind"] in kinds:
                entities[kind].append(profile_entity(row))
    request = {
        "cases": [
            {"id": c.case_id, "query": case_entity(c), "candidates": entities[c.kind]}
            for c in cases
        ]
    }
    try:
        proc = subprocess.run(  # noqa: S603 (our own worker script, our own interpreter)
            [str(python), str(worker)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
    except OSError as exc:
        raise OsintError(f"cannot run the baseline {python}: {exc.strerror}") from exc
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise OsintError(f"the nomenklatura baseline failed ({last}): run `make baseline`")
    out: dict[str, Prediction] = {}
    for line in proc.stdout.splitlines():
        data = json.loads(line)
        best = data["results"][0] if data["results"] else None
        detail = [f"{k} {v[0]:+.2f} ({v[1]})" for k, v in (best or {}).get("features", {}).items()]
        top = best["id"] if best and best["score"] >= threshold else None
        out[data["id"]] = Prediction(top, best["score"] if best else 0.0, detail)
    return out
