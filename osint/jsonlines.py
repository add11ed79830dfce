"""JSON lines as the command line's output and the screening journals write them.

Through orjson (several times faster than the standard library on the screening batch path,
where every result and audit entry is a JSON line). What the standard library's
`json.dumps(value, default=str, ensure_ascii=False)` wrote is kept where it matters to a
reader: dates and times and dataclasses go through `str` (not orjson's own forms), keys that
are not strings become strings, text stays UTF-8. Spacing differs (no blank after `:` and
`,`); both are JSON.
"""

from __future__ import annotations

from typing import Any

import orjson

_OPTIONS = (
    orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_APPEND_NEWLINE
)


def json_line(value: Any, sort_keys: bool = False) -> bytes:
    """One JSON line (UTF-8, ending in a newline)."""
    options = _OPTIONS | orjson.OPT_SORT_KEYS if sort_keys else _OPTIONS
    return orjson.dumps(value, default=str, option=options)
