"""Messages of a job on stderr: plain lines for people, JSON lines for job logs.

`--log-format json` writes one object per line: ``{"time", "level", "event", "message", ...}``,
so that a scheduler's log collector can parse every stage summary, warning and error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class JobLog:
    """Writes a run's messages in the chosen format (nothing but errors when quiet)."""

    def __init__(self, fmt: LogFormat, quiet: bool = False) -> None:
        self.fmt = fmt
        self.quiet = quiet

    def _write(self, level: str, event: str, message: str, **fields: Any) -> None:
        if self.fmt == LogFormat.json:
            line = {
                "time": datetime.now(UTC).isoformat(timespec="seconds"),
                "level": level,
                "event": event,
                "message": message,
                **fields,
            }
            sys.stderr.write(json.dumps(line, default=str, ensure_ascii=False) + "\n")
        else:
            sys.stderr.write((message if level == "info" else f"{level}: {message}") + "\n")

    def info(self, message: str, event: str = "stage", **fields: Any) -> None:
        if not self.quiet:
            self._write("info", event, message, **fields)

    def warning(self, message: str, event: str = "warning", **fields: Any) -> None:
        self._write("warning", event, message, **fields)

    def error(self, message: str, event: str = "error", **fields: Any) -> None:
        self._write("error", event, message, **fields)

    @contextmanager
    def capturing_logs(self) -> Iterator[None]:
        """Route the libraries' log records (warnings and up) through this log while a run
        lasts, so that a JSON job log stays one JSON object per line."""
        if self.fmt != LogFormat.json:
            yield
            return
        log = self

        class _Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                level = "error" if record.levelno >= logging.ERROR else "warning"
                log._write(level, "library", record.getMessage(), logger=record.name)

        handler = _Handler(level=logging.WARNING)
        root = logging.getLogger()
        root.addHandler(handler)
        logging.captureWarnings(True)
        try:
            yield
        finally:
            logging.captureWarnings(False)
            root.removeHandler(handler)
