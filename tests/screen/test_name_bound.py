"""The cheap bound on a candidate's name (`may_reach`): it turns a candidate down only when
the full evaluation of the model's name levels would turn it down too."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from osint.screen.features import Party
from osint.screen.model import Comparison, Model
from osint.screen.scoring import _name_reaches, may_reach, query_record, records_of

MODEL_FILE = Path(__file__).resolve().parents[2] / "config" / "resolve" / "records.model.json"
WORDS = ["bilal", "bilai", "mohsen", "wehbe", "al", "rawi", "ivan", "ltd", "golden", "gold"]


def _name_comparison(model: Model) -> Comparison:
    return next(c for c in model.comparisons if c.name == "name")


def _reweighted(name: Comparison) -> Comparison:
    """The name comparison with its spelling levels weighing less than its word-set ones,
    so that the bound has Jaccard levels to reckon with too."""
    levels = tuple(
        dataclasses.replace(lv, weight=lv.weight / 4) if lv.kind == "jaro_winkler" else lv
        for lv in name.levels
    )
    return Comparison.build(name.name, name.description, name.null_columns, levels)


def _cases(seed: int) -> list[tuple[Party, dict[str, list[str]]]]:
    """Queries and profiles whose names are drawn from a few words: the same words, the
    same words reordered, a word more or less, a letter changed, other words."""
    rnd = random.Random(seed)  # noqa: S311 (reproducible test cases)
    out = []
    for _ in range(600):
        query = rnd.sample(WORDS, rnd.randint(1, 4))
        names = []
        for _ in range(rnd.randint(0, 3)):
            name = list(query)
            rnd.shuffle(name)
            if rnd.random() < 0.5:
                name[rnd.randrange(len(name))] = rnd.choice(WORDS)
            if rnd.random() < 0.3:
                name.append(rnd.choice(WORDS))
            names.append(" ".join(name))
        q = " ".join(query)
        out.append((Party("traveler", q, q, ("person",)), {"names_norm": names}))
    return out


def test_the_bound_never_turns_down_a_name_the_model_would_reach() -> None:
    model = Model.from_json(MODEL_FILE.read_text(encoding="utf-8"), str(MODEL_FILE))
    for name in (_name_comparison(model), _reweighted(_name_comparison(model))):
        weights = sorted({lv.weight for lv in name.levels})
        # Each level's weight, just above and below it, and past the strongest.
        needed = [w + d for w in weights for d in (-0.01, 0.0, 0.01)] + [weights[-1] + 1]
        planned = rejected = 0
        for party, profile in _cases(seed=len(weights)):
            query = query_record(party)
            for bits in needed:
                plan = name.name_plan(bits)
                if plan is None:
                    continue
                planned += 1
                records = records_of(dict(profile))
                full = _name_reaches(name, query, party, records, bits)
                if not may_reach(plan, party, profile["names_norm"]):
                    rejected += 1
                    assert not full, (party.name_norm, profile, bits)
        # The bound is used at most strengths and turns many candidates down.
        assert planned > 1000
        assert rejected > 300


def test_the_bound_says_nothing_where_a_spelling_level_could_reach() -> None:
    model = Model.from_json(MODEL_FILE.read_text(encoding="utf-8"), str(MODEL_FILE))
    name = _name_comparison(model)
    close = name.find("jaro_winkler", "name_norm")
    assert close is not None
    # A level of close spelling can reach these bits: no word-set bound.
    assert name.name_plan(close.weight) is None
    strongest = max(lv.weight for lv in name.levels)
    plan = name.name_plan(strongest)
    assert plan is not None
    assert plan.same_words
    assert name.name_plan(strongest + 1) == dataclasses.replace(plan, same_words=False)
    reweighted = _reweighted(name)
    jaccard = [lv for lv in reweighted.levels if lv.kind == "jaccard"]
    lowest = min(jaccard, key=lambda lv: lv.weight)
    plan = reweighted.name_plan(lowest.weight)
    assert plan is not None
    assert plan.jaccard == min(lv.threshold for lv in jaccard)
