"""What screening returns: hits with their reasons, and cargo line indicators."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# v4 (2026-12-02): retrieval ranks by common words too; word rules aware of common words
# and of sound-alike words spelled apart (docs/decisions/0004-screening.md).
ALGORITHM = "osint.screen.v4"


@dataclass(slots=True)
class Explanation:
    feature: str
    description: str
    query_value: str | None
    profile_value: str | None
    contribution: float  # bits: log2 of the likelihood ratio (the prior: its log2 odds)
    level: str = ""  # the model's comparison level reached (its label), if any

    def __reduce__(self) -> tuple[type[Explanation], tuple[Any, ...]]:
        # Results cross from batch workers to the parent by pickle: a constructor call with
        # the fields is a quarter of the cost of the default for slotted classes (unpickling
        # was the parent's largest cost in a batch).
        f = self
        return Explanation, (
            f.feature,
            f.description,
            f.query_value,
            f.profile_value,
            f.contribution,
            f.level,
        )


@dataclass(slots=True)
class Hit:
    profile_id: str
    name: str
    kind: str
    score: float
    match: bool
    role: str
    risk_flags: list[str]
    explanations: list[Explanation] = field(default_factory=list)
    query_name: str | None = None
    fingerprint: str | None = None

    def __reduce__(self) -> tuple[type[Hit], tuple[Any, ...]]:
        h = self  # as Explanation.__reduce__
        return Hit, (
            h.profile_id,
            h.name,
            h.kind,
            h.score,
            h.match,
            h.role,
            h.risk_flags,
            h.explanations,
            h.query_name,
            h.fingerprint,
        )


@dataclass(slots=True)
class Indicator:
    """A cargo line indicator, raised whatever the party matches say."""

    code: str
    description: str
    evidence: str


@dataclass(slots=True)
class Result:
    query_id: str
    algorithm: str
    hits: list[Hit]
    kind: str = "traveler"
    indicators: list[Indicator] = field(default_factory=list)
    # Profiles left out because an analyst recorded "not this profile" for this query.
    excluded: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)

    @property
    def matched(self) -> bool:
        return any(h.match for h in self.hits)

    def to_dict(self) -> dict[str, Any]:
        """The same as dataclasses.asdict, several times faster (it is on the batch path)."""
        return {
            "query_id": self.query_id,
            "algorithm": self.algorithm,
            "hits": [
                {
                    "profile_id": h.profile_id,
                    "name": h.name,
                    "kind": h.kind,
                    "score": h.score,
                    "match": h.match,
                    "role": h.role,
                    "risk_flags": list(h.risk_flags),
                    "explanations": [
                        {
                            "feature": e.feature,
                            "description": e.description,
                            "query_value": e.query_value,
                            "profile_value": e.profile_value,
                            "contribution": e.contribution,
                            "level": e.level,
                        }
                        for e in h.explanations
                    ],
                    "query_name": h.query_name,
                    "fingerprint": h.fingerprint,
                }
                for h in self.hits
            ],
            "kind": self.kind,
            "indicators": [
                {"code": i.code, "description": i.description, "evidence": i.evidence}
                for i in self.indicators
            ],
            "excluded": list(self.excluded),
            "fingerprints": dict(self.fingerprints),
        }
