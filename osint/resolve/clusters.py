"""Clustering scored pairs into entities, with the rules that overrule the model.

Greedy union-find over edges taken strongest first. Analysts' judgements come first: a
positive one is an edge that always applies, a negative one forbids its two records from ever
ending in one cluster. Exclusive identifiers (two different USCC or IMO numbers mean two
different entities) forbid a merge the same way. Connected components alone could not honour
"never together" constraints, which is why Splink's own clustering is not used here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

EXCLUSIVE_SCHEMES = ("uscc", "imo")


class Clusters:
    """Union-find that refuses merges forbidden by judgements or exclusive identifiers."""

    def __init__(
        self,
        records: Iterable[str],
        identifiers: Mapping[str, Iterable[str]],
        forbidden: Iterable[tuple[str, str]],
    ) -> None:
        self.parent: dict[str, str] = {r: r for r in records}
        self.members: dict[str, set[str]] = {r: {r} for r in self.parent}
        self.exclusive: dict[str, dict[str, set[str]]] = {}
        for record in self.parent:
            by_scheme: dict[str, set[str]] = {}
            for ident in identifiers.get(record, ()):
                scheme, _, value = ident.partition(":")
                if scheme in EXCLUSIVE_SCHEMES:
                    by_scheme.setdefault(scheme, set()).add(value)
            self.exclusive[record] = by_scheme
        self.forbidden: dict[str, set[str]] = {}
        for a, b in forbidden:
            self.forbidden.setdefault(a, set()).add(b)
            self.forbidden.setdefault(b, set()).add(a)
        self.refused = 0

    def find(self, record: str) -> str:
        root = record
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[record] != root:
            self.parent[record], record = root, self.parent[record]
        return root

    def _allowed(self, ra: str, rb: str) -> bool:
        small, large = sorted((ra, rb), key=lambda r: len(self.members[r]))
        for record in self.members[small]:
            if self.forbidden.get(record, set()) & self.members[large]:
                return False
        for scheme in EXCLUSIVE_SCHEMES:
            va = self.exclusive[ra].get(scheme)
            vb = self.exclusive[rb].get(scheme)
            if va and vb and not (va & vb):
                return False
        return True

    def union(self, a: str, b: str) -> bool:
        """Merge the clusters of a and b unless a rule forbids it. True if they are together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self._allowed(ra, rb):
            self.refused += 1
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        for scheme, values in self.exclusive.pop(rb).items():
            self.exclusive[ra].setdefault(scheme, set()).update(values)
        return True

    def groups(self) -> list[list[str]]:
        """Clusters as sorted lists of record ids, in a stable order."""
        return sorted(sorted(m) for m in self.members.values())
