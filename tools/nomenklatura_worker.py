"""Score screening cases with OpenSanctions' nomenklatura `logic-v2` (yente's default matcher).

Run by `osint eval screen` with the interpreter of `.venv-baseline` (nomenklatura pins
duckdb<2, which osint cannot share; see docs/decisions/0004-screening.md). Reads one JSON
document on stdin: {"cases": [{"id", "query": {schema, properties},
"candidates": [{"id", "schema", "properties"}]}]}; writes one JSON line per case with every
candidate's score and the matcher's feature explanations. Imports nothing from osint.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from followthemoney import model
from nomenklatura.matching import get_algorithm


def _entity(data: dict[str, Any]) -> Any:
    entity = model.make_entity(data["schema"])
    entity.id = data["id"]
    for prop, values in data["properties"].items():
        for value in values:
            if value:
                entity.add(prop, value, cleaned=False, quiet=True)
    return entity


def main() -> None:
    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        raise SystemExit("nomenklatura has no logic-v2 algorithm")
    config = algorithm.default_config()
    request = json.load(sys.stdin)
    for case in request["cases"]:
        query = _entity(case["query"])
        scored = []
        for cand in case["candidates"]:
            result = algorithm.compare(query, _entity(cand), config)
            features = {
                name: [round(ft.score, 3), ft.detail]
                for name, ft in result.explanations.items()
                if ft.score
            }
            scored.append({"id": cand["id"], "score": round(result.score, 3), "features": features})
        scored.sort(key=lambda r: -r["score"])
        sys.stdout.write(json.dumps({"id": case["id"], "results": scored[:3]}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
