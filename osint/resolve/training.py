"""`osint resolve train`: estimate the model from the records, write it and a report.

Steps, all Splink: the prior from deterministic rules (recall assumed 0.7), u by random
sampling, m by expectation maximisation over the training blocking rules (each rule leaves
the comparisons it does not use free to be estimated). The prior is saved as *duplicates
per record* too, so `osint resolve` can rescale it to the size of the data it scores.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from osint.errors import ResolveError
from osint.resolve import model
from osint.resolve.features import feature_table
from osint.resolve.linking import linker_on, open_linker, prior_for

logger = logging.getLogger(__name__)
# EM looks at no more records than this (a random sample above it).
EM_MAX_RECORDS = 200_000
DETERMINISTIC_RECALL = 0.7
U_MAX_PAIRS = 5e6


@dataclass(slots=True)
class TrainResult:
    """What training wrote and estimated."""

    model_path: Path
    report_path: Path | None
    records: int
    prior: float
    em_rules: int


def train_table(table: Any, path: Path, report: Path | None = None, seed: int = 42) -> TrainResult:
    """Train on a matching view (Arrow, see features.py); write the model JSON (and report)."""
    records = table.num_rows
    fallback = prior_for(records)
    linker, mem = open_linker(table, model.settings(fallback))
    em_rules = 0
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    # Splink logs a warning per level EM could not train: on small data dozens of lines.
    # The levels keep their reviewed m; the report shows which were trained.
    splink_log.setLevel(logging.ERROR)
    try:
        try:
            linker.training.estimate_probability_two_random_records_match(
                list(model.DETERMINISTIC_RULES), recall=DETERMINISTIC_RECALL
            )
        except Exception as exc:  # Splink raises a bare Exception when no pair is found
            logger.warning("prior left at 1/N: %s", str(exc).strip().splitlines()[0])
        snapshot = linker.misc.save_model_to_json()
        prior = float(snapshot["probability_two_random_records_match"])
        if not 0 < prior < 1:  # no pair met the deterministic rules: keep about 1/N
            snapshot["probability_two_random_records_match"] = fallback
            linker = linker_on(mem, snapshot)
        # Enough pairs for the rare levels, without a fixed half-minute on small data.
        u_pairs = min(U_MAX_PAIRS, max(1e6, 20.0 * records))
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
        proportion = min(1.0, EM_MAX_RECORDS / max(records, 1))
        for rule in model.EM_RULES:
            # A failed EM session leaves the linker without the rule's comparisons: go on
            # from the settings as they were before it.
            snapshot = linker.misc.save_model_to_json()
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule,
                    record_sample_proportion=proportion,
                    estimate_without_term_frequencies=True,
                )
                em_rules += 1
            except Exception as exc:  # too few pairs under this rule to estimate anything
                logger.warning(
                    "EM skipped for one training rule: %s", str(exc).strip().splitlines()[0]
                )
                linker = linker_on(mem, snapshot)
        settings: dict[str, Any] = cap_u(linker.misc.save_model_to_json())
        for comparison in settings["comparisons"]:
            # Splink rebuilds comparisons from dicts as plain CustomComparison, whose
            # description is its class name: put ours back.
            comparison["comparison_description"] = model.DESCRIPTIONS[
                comparison["output_column_name"]
            ]
        prior = float(settings["probability_two_random_records_match"])
        settings["osint"] = {
            "model": f"{model.MODEL_NAME}.v{model.MODEL_VERSION}",
            "trained_on_records": records,
            "duplicates_per_record": prior * max(records - 1, 1),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
        if report is not None:
            write_report(linker, report, records, prior, em_rules)
    finally:
        splink_log.setLevel(level)
        mem.close()
    return TrainResult(path, report, records, prior, em_rules)


def cap_u(settings: dict[str, Any]) -> dict[str, Any]:
    """Cap u of the shared-value levels (identifiers, phones, ...) at their reviewed maximum.

    Random sampling counts true matches as strangers too: on a small data set a shared phone
    then looks common among non-matches, and good evidence is thrown away. Values that really
    are common are handled by the shared-value stop list instead.
    """
    caps = {f.name: f.u_max for f in model.FEATURES if f.u_max is not None}
    for comparison in settings["comparisons"]:
        cap = caps.get(comparison["output_column_name"])
        if cap is None:
            continue
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        agree, rest = levels[0], levels[1:]
        u = agree.get("u_probability")
        if u is not None and u > cap:
            agree["u_probability"] = cap
            for lv in rest:
                if lv.get("u_probability") is not None:
                    lv["u_probability"] = (1 - cap) / len(rest)
    return settings


def train(
    work: duckdb.DuckDBPyConnection, path: Path, report: Path | None = None, seed: int = 42
) -> TrainResult:
    """Train on the work store's records."""
    table, _stop = feature_table(work)
    return train_table(table, path, report, seed)


def write_report(linker: Any, path: Path, records: int, prior: float, em_rules: int) -> None:
    """One self-contained HTML page: the match weights chart and the m/u chart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = []
    for title, chart in (
        ("Match weights", linker.visualisations.match_weights_chart()),
        ("m and u probabilities", linker.visualisations.m_u_parameters_chart()),
    ):
        piece = path.with_name(f".{path.stem}.part.html")
        try:
            chart.save(str(piece), inline=True)
            body = piece.read_text(encoding="utf-8")
        except Exception as exc:
            raise ResolveError(
                f"cannot draw the {title} chart ({exc}): report not written"
            ) from exc
        finally:
            piece.unlink(missing_ok=True)
        parts.append(
            f'<h2>{title}</h2>\n<iframe srcdoc="{_attr(body)}" width="100%" '
            'height="700" style="border:0"></iframe>'
        )
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>osint resolution model</title>"
        "</head><body>"
        f"<h1>{model.MODEL_NAME}.v{model.MODEL_VERSION}</h1>"
        f"<p>Trained on {records:,} records; prior {prior:.3g}; EM rules used: {em_rules}.</p>"
        + "\n".join(parts)
        + "</body></html>\n",
        encoding="utf-8",
    )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;")
