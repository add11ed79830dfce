"""Records numbered by their place among the sorted record ids, on a DuckDB connection.

Clustering and stable ids work on integer positions. Turning a million record ids into
positions with a Python dict costs seconds; a hash join in DuckDB takes a fraction of one.
`RecordIndex` registers the sorted ids with their positions (`_record_index`: record_id, i)
and looks pairs and lists of ids up against it.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pyarrow as pa

from osint.resolve.clusters import EXCLUSIVE_SCHEMES
from osint.resolve.components import Edges, Exclusive, IntArray
from osint.resolve.ids import Previous

TABLE = "_record_index"


class RecordIndex:
    """The sorted record ids of `records` on `con`, registered as `_record_index` until
    `close`."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        ids = con.sql("SELECT record_id FROM records ORDER BY record_id").to_arrow_table()
        self.ids: pa.Array = ids["record_id"].combine_chunks()
        con.register(TABLE, pa.table({"record_id": self.ids, "i": np.arange(len(self.ids))}))

    def close(self) -> None:
        """Unregister the index (use `contextlib.closing`)."""
        self.con.unregister(TABLE)

    def __len__(self) -> int:
        return len(self.ids)

    def edges(
        self,
        a: pa.Array | pa.ChunkedArray | Sequence[str],
        b: pa.Array | pa.ChunkedArray | Sequence[str],
    ) -> Edges:
        """Positions of the pairs (a[k], b[k]), in order; pairs naming a record that is not
        in the index are left out."""
        n = len(a)
        pairs = pa.table({"a": _strings(a), "b": _strings(b), "k": np.arange(n)})
        self.con.register("_pair_ends", pairs)
        try:
            found = self.con.sql(
                f"SELECT x.i AS a, y.i AS b FROM _pair_ends p "
                f"JOIN {TABLE} x ON x.record_id = p.a JOIN {TABLE} y ON y.record_id = p.b "
                "ORDER BY p.k"
            ).fetchnumpy()
        finally:
            self.con.unregister("_pair_ends")
        return Edges(_ints(found["a"]), _ints(found["b"]))

    def exclusive(self) -> Exclusive:
        """The records' exclusive identifiers (USCC, IMO), by position."""
        schemes = ", ".join(f"'{s}'" for s in EXCLUSIVE_SCHEMES)
        rows = self.con.sql(
            f"""
            SELECT x.i AS pos, split_part(ident, ':', 1) AS scheme,
                   substr(ident, strpos(ident, ':') + 1) AS value
            FROM (SELECT record_id, unnest(identifiers) AS ident FROM records) r
            JOIN {TABLE} x USING (record_id)
            WHERE split_part(ident, ':', 1) IN ({schemes})
            ORDER BY pos, scheme, value
            """
        ).to_arrow_table()
        return Exclusive(
            _ints(rows["pos"].to_numpy()),
            rows["scheme"].combine_chunks(),
            rows["value"].combine_chunks(),
        )

    def previous(self) -> Previous:
        """The last build's profile of every record still present."""
        rows = self.con.sql(
            f"SELECT x.i AS pos, pm.profile_id FROM profile_members pm "
            f"JOIN {TABLE} x USING (record_id) ORDER BY pos"
        ).to_arrow_table()
        return Previous(_ints(rows["pos"].to_numpy()), rows["profile_id"].combine_chunks())


def _strings(values: pa.Array | pa.ChunkedArray | Sequence[str]) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    return pa.array(values, pa.string())


def _ints(values: object) -> IntArray:
    return np.asarray(values, dtype=np.int64)
