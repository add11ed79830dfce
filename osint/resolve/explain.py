"""`osint explain`: how the model scores one pair of records, comparison by comparison.

The pair is scored afresh with the saved model (the same prior rescaling and shared-value
stop list as the last `osint resolve`), so it works for any two records, not only for pairs
the blocking rules generated. The hard rules and judgements that apply are listed after the
model's waterfall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from osint.errors import ResolveError
from osint.resolve import model
from osint.resolve.features import feature_table
from osint.resolve.linking import level_labels, load_model, open_linker
from osint.resolve.rules import strong_pairs


@dataclass(slots=True)
class Step:
    feature: str
    description: str
    level: str
    match_weight: float


@dataclass(slots=True)
class Explanation:
    record_a: str
    record_b: str
    prior_weight: float
    steps: list[Step]
    match_weight: float
    match_probability: float
    rules: list[str] = field(default_factory=list)
    judgement: str | None = None

    def rows(self) -> list[dict[str, Any]]:
        """The waterfall as rows: prior, each comparison, then the total."""
        out: list[dict[str, Any]] = [
            {
                "step": "prior",
                "level": "two random records",
                "match_weight": self.prior_weight,
                "cumulative": self.prior_weight,
            }
        ]
        total = self.prior_weight
        for s in self.steps:
            total += s.match_weight
            out.append(
                {
                    "step": s.feature,
                    "level": s.level,
                    "match_weight": s.match_weight,
                    "cumulative": total,
                }
            )
        out.append(
            {
                "step": "total",
                "level": f"match probability {self.match_probability:.4f}",
                "match_weight": self.match_weight,
                "cumulative": self.match_weight,
            }
        )
        return out

    def text(self, width: int = 30) -> str:
        """A text waterfall: one bar per comparison, right of the axis for evidence of a match."""
        scale = max([1.0, *(abs(s.match_weight) for s in self.steps), abs(self.prior_weight)])
        lines = [f"{self.record_a}  vs  {self.record_b}"]
        for row in self.rows():
            w = row["match_weight"]
            bar_len = round(abs(w) / scale * (width // 2))
            bar = (
                ("-" * bar_len).rjust(width // 2) + "|"
                if w < 0
                else " " * (width // 2) + "|" + "+" * bar_len
            )
            lines.append(f"{row['step']:<12} {w:+7.2f}  {bar:<{width + 1}}  {row['level']}")
        for rule in self.rules:
            lines.append(f"rule: {rule}")
        if self.judgement:
            lines.append(f"judgement: {self.judgement}")
        return "\n".join(lines)


def explain(
    work: duckdb.DuckDBPyConnection,
    model_path: Path,
    record_a: str,
    record_b: str,
    html: Path | None = None,
) -> Explanation:
    """Score one pair with the saved model; optionally write Splink's waterfall chart."""
    found = {
        r[0]
        for r in work.execute(
            "SELECT record_id FROM records WHERE record_id IN (?, ?)", [record_a, record_b]
        ).fetchall()
    }
    missing = [r for r in (record_a, record_b) if r not in found]
    if missing:
        raise ResolveError(
            f"no record {', '.join(missing)} in the work store: take ids from "
            "`osint review --list` or `osint export records`"
        )
    count = work.sql("SELECT count(*) FROM records").fetchall()[0][0]
    stop = [
        (str(v), int(n), int(r))
        for v, n, r in work.sql("SELECT value, names, records FROM shared_values").fetchall()
    ]
    work.execute(
        "CREATE OR REPLACE TEMP TABLE _explain_pair AS "
        "SELECT * FROM records WHERE record_id IN (?, ?)",
        [record_a, record_b],
    )
    try:
        table, _ = feature_table(work, "_explain_pair", stop=stop)
    finally:
        work.execute("DROP TABLE IF EXISTS _explain_pair")
    settings = load_model(model_path, count)
    prior = float(settings["probability_two_random_records_match"])
    labels = level_labels(settings)
    settings["blocking_rules_to_generate_predictions"] = ["1=1"]
    linker, mem = open_linker(table, settings)
    try:
        predictions = linker.inference.predict()
        records = predictions.as_record_list()
        if html is not None:
            html.parent.mkdir(parents=True, exist_ok=True)
            chart: Any = linker.visualisations.waterfall_chart(records, filter_nulls=False)
            chart.save(str(html), inline=True)
        rules = [
            f"strong identifier {ev} links them" for _a, _b, ev in strong_pairs(mem, "records_in")
        ]
    finally:
        mem.close()
    row = records[0]
    steps = [
        Step(
            f.name,
            f.description,
            labels[f.name].get(int(row[f"gamma_{f.name}"]), str(row[f"gamma_{f.name}"])),
            round(float(row[f"mw_{f.name}"]), 3),
        )
        for f in model.FEATURES
    ]
    judged = work.execute(
        "SELECT judgement, author, note FROM judgements WHERE deleted_at IS NULL "
        "AND least(record_a, record_b) = least(?, ?) "
        "AND greatest(record_a, record_b) = greatest(?, ?) "
        "ORDER BY created_at DESC LIMIT 1",
        [record_a, record_b, record_a, record_b],
    ).fetchall()
    judgement = None
    if judged:
        j, author, note = judged[0]
        judgement = f"{j} by {author}" + (f": {note}" if note else "")
    return Explanation(
        record_a,
        record_b,
        round(math.log2(prior / (1 - prior)), 3),
        steps,
        round(float(row["match_weight"]), 3),
        float(row["match_probability"]),
        rules,
        judgement,
    )
