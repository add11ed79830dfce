"""One hierarchy for every error `osint` reports to a person.

Two families, kept apart on purpose (as Scrapy's ``DropItem`` vs ``CloseSpider``):

* :class:`ItemError` - one item (a row, an entry, a page, a manifest line) is bad. The caller
  logs it, skips it and keeps the good data around it.
* everything else under :class:`OsintError` - the run cannot go on. The CLI prints the message
  on one line (what failed, where, and the fix) and exits with :attr:`OsintError.exit_code`.
"""

from __future__ import annotations

from collections.abc import Sequence


class OsintError(Exception):
    """A handled error: its message is shown to the user as it is, without a traceback."""

    exit_code: int = 1


class ConfigError(OsintError):
    """The configuration (file, value, source definition) is missing or invalid.

    Carries every problem found, so that a user fixes them all in one go.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} configuration problems: " + "; ".join(self.problems)
        super().__init__(message)


class UsageError(OsintError):
    """The command line is wrong (missing or contradictory options, an unreadable query file)."""

    exit_code = 2


class StoreError(OsintError):
    """A store file cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another run holds the work store's writer lock."""

    exit_code = 3


class StoreVersionError(StoreError):
    """A store was written by a newer version of osint than this one."""


class NotPublishedError(StoreError):
    """No profile store has been published yet."""


class SourceFormatError(OsintError):
    """A source file's shape is not the one its parser knows (columns changed, truncated body)."""


class ResolveError(OsintError):
    """Resolution cannot run (no records, a bad model file, a blocking budget exceeded)."""


class ItemError(Exception):
    """One item is bad: skip it, log the reason, keep going. Never stops a run by itself."""


class Interrupted(OsintError):
    """The user pressed Ctrl-C (or the job was sent SIGINT)."""

    exit_code = 130
