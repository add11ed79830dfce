"""`osint eval extract`: precision, recall and F1 per label on an annotated document set, for
osint's pipeline and, side by side, the plain spaCy model (all components, ``doc.ents``).

The set (``tests/data/extract_eval``: ``docs/`` and ``gold.jsonl``, see its README) lists per
document the distinct entities of each label. Scoring is per document and set-based, since a
record needs each entity once: a gold ORG/PERSON/GPE entity (its surface forms) is found when a
predicted name has the same matching form as one of them (normalized, legal forms dropped);
a predicted name that matches no gold entity is a false positive. Every other label compares
normalized values exactly (E.164 phones, ``CHAIN:address`` wallets, lexicon ids, ...).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy

from osint.errors import ConfigError, ItemError
from osint.extract.mentions import NAME_LABELS, name_key
from osint.extract.process import TextExtractor
from osint.extract.text import KINDS, from_file

LABEL_ORDER = (
    "ORG", "PERSON", "GPE", "PRECURSOR", "CAS", "PHONE", "MESSENGER", "EMAIL", "URL", "WALLET",
    "USCC", "IMO", "MMSI", "CONTAINER", "HS_CODE", "ANALYTICS_ID",
)  # fmt: skip


@dataclass(slots=True)
class Counts:
    """True positives counted on both sides, so aliases of one entity are not penalized."""

    gold: int = 0
    found_gold: int = 0  # gold entities found (recall numerator)
    predicted: int = 0
    correct_predicted: int = 0  # predictions matching a gold entity (precision numerator)
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.found_gold += other.found_gold
        self.predicted += other.predicted
        self.correct_predicted += other.correct_predicted

    def scores(self) -> tuple[float | None, float | None, float | None]:
        p = self.correct_predicted / self.predicted if self.predicted else None
        r = self.found_gold / self.gold if self.gold else None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else None
        if p is not None and r is not None and p + r == 0:
            f = 0.0
        return p, r, f


def score(label: str, gold: list[Any], predicted: set[str], doc: str) -> Counts:
    """Counts for one label of one document."""
    counts = Counts(gold=len(gold), predicted=len(predicted))
    if label in NAME_LABELS:
        entities = [{name_key(label, form) for form in forms} for forms in gold]
    else:
        entities = [{str(value)} for value in gold]
    known = set().union(*entities) if entities else set()
    for forms, entity in zip(gold, entities, strict=True):
        if entity & predicted:
            counts.found_gold += 1
        else:
            counts.misses.append(
                f"{doc}: {label} missed {forms if label in NAME_LABELS else entity}"
            )
    for value in sorted(predicted):
        if value in known:
            counts.correct_predicted += 1
        else:
            counts.false.append(f"{doc}: {label} wrong {value!r}")
    return counts


def load_gold(data: Path) -> list[dict[str, Any]]:
    path = data / "gold.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(
            [f"{path}: cannot read the evaluation set ({exc.strerror}): pass --data DIR"]
        ) from exc
    out = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except ValueError as exc:
            raise ConfigError([f"{path}:{n}: not valid JSON ({exc}): fix the line"]) from exc
    return out


@dataclass(slots=True)
class EvalResult:
    documents: int
    ours: dict[str, Counts]
    plain: dict[str, Counts]


def evaluate(data: Path, extractor: TextExtractor, plain_model: str) -> EvalResult:
    """Run both pipelines over the set; counts per label."""
    gold = load_gold(data)
    pages = []
    for n, g in enumerate(gold, start=1):
        where = f"{data / 'gold.jsonl'}:{n}"
        if not isinstance(g.get("doc"), str) or g.get("kind") not in (*KINDS, None):
            raise ConfigError(
                [f'{where}: needs a "doc" file name and a "kind" of {", ".join(KINDS)}']
            )
        try:
            page = from_file(data / "docs" / g["doc"], kind=g.get("kind"), country=g.get("country"))
        except OSError as exc:
            raise ConfigError(
                [f"{where}: cannot read docs/{g['doc']} ({exc.strerror}): add it or fix the line"]
            ) from exc
        except ItemError as exc:
            raise ConfigError([f"{where}: docs/{g['doc']}: {exc}"]) from exc
        pages.append(page)
    ours: dict[str, Counts] = defaultdict(Counts)
    plain: dict[str, Counts] = defaultdict(Counts)
    results = list(extractor.run(pages))
    nlp = spacy.load(plain_model)
    plain_docs = list(nlp.pipe(p.text for p in pages))
    for g, result, plain_doc in zip(gold, results, plain_docs, strict=True):
        entities: dict[str, list[Any]] = g.get("entities", {})
        predicted: dict[str, set[str]] = defaultdict(set)
        for m in result.mentions:
            predicted[m.label].add(m.value)
        plain_predicted: dict[str, set[str]] = defaultdict(set)
        for ent in plain_doc.ents:
            if ent.label_ in NAME_LABELS:
                plain_predicted[ent.label_].add(name_key(ent.label_, ent.text))
        for label in LABEL_ORDER:
            mine = score(label, entities.get(label, []), predicted.get(label, set()), g["doc"])
            ours[label].add(mine)
            ours[label].misses += mine.misses
            ours[label].false += mine.false
            if label in NAME_LABELS:
                theirs = score(label, entities.get(label, []), plain_predicted[label], g["doc"])
                plain[label].add(theirs)
    return EvalResult(len(gold), dict(ours), dict(plain))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table_rows(result: EvalResult) -> list[dict[str, Any]]:
    """One row per label: gold count, ours P/R/F1, plain model P/R/F1."""
    rows = []
    for label in LABEL_ORDER:
        mine = result.ours.get(label, Counts())
        p, r, f = mine.scores()
        theirs = result.plain.get(label)
        tp, tr, tf = theirs.scores() if theirs else (None, None, None)
        rows.append(
            {
                "label": label,
                "gold": mine.gold,
                "predicted": mine.predicted,
                "precision": _fmt(p),
                "recall": _fmt(r),
                "f1": _fmt(f),
                "plain_predicted": theirs.predicted if theirs else "-",
                "plain_precision": _fmt(tp) if theirs else "n/a",
                "plain_recall": _fmt(tr) if theirs else "n/a",
                "plain_f1": _fmt(tf) if theirs else "n/a",
            }
        )
    return rows
