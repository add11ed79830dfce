"""Cron schedules of sources (`schedule = "15 5 * * *"`) and which sources are due.

The five fields of POSIX crontab (minute 0-59, hour 0-23, day of month 1-31, month 1-12, day
of week 0-7 with 0 and 7 both Sunday), each ``*``, a number, a range ``a-b``, a step ``*/n`` or
``a-b/n``, or a comma-separated list of those; month and weekday names (``jan``, ``mon``) are
accepted. As in cron, when both day of month and day of week are restricted, a day matching
either counts. Times are UTC.

A source is *due* when a scheduled time has passed since its last crawl started (or it was
never crawled): `osint run --due` run every few minutes by a timer then crawls each source on
its own schedule, and catches up once (not once per missed time) after downtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("weekday", 0, 7))
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_NAMES = {
    "month": {m: i for i, m in enumerate(_MONTHS, 1)},
    "weekday": {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())},
}


@dataclass(frozen=True, slots=True)
class Cron:
    """A parsed cron expression: the allowed values of each field."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool

    def matches_day(self, when: datetime) -> bool:
        weekday = (when.weekday() + 1) % 7
        if when.month not in self.months:
            return False
        day_ok, weekday_ok = when.day in self.days, weekday in self.weekdays
        if self.any_day or self.any_weekday:
            return day_ok and weekday_ok
        return day_ok or weekday_ok


def _value(text: str, name: str, low: int, high: int) -> int:
    key = text.lower()
    value = _NAMES.get(name, {}).get(key)
    if value is None:
        if not text.isdigit():
            raise ValueError(f"{name} field: {text!r} is not a number")
        value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{name} field: {value} is outside {low}-{high}")
    return value


def _field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"{name} field: step {step_text!r} must be a positive number")
            step = int(step_text)
        if body == "*":
            start, end = low, high
        elif "-" in body:
            a, _, b = body.partition("-")
            start, end = _value(a, name, low, high), _value(b, name, low, high)
            if start > end:
                raise ValueError(f"{name} field: range {body!r} runs backwards")
        else:
            start = _value(body, name, low, high)
            end = high if step_text else start
        values.update(range(start, end + 1, step))
    return frozenset(values)


def parse_cron(expression: str) -> Cron:
    """Parse a 5-field cron expression; ValueError names the field that is wrong."""
    parts = expression.split()
    if len(parts) != 5:
        raise ValueError(
            f"{expression!r} is not a cron expression of 5 fields (minute hour day month weekday)"
        )
    sets = [_field(p, name, lo, hi) for p, (name, lo, hi) in zip(parts, FIELDS, strict=True)]
    weekdays = frozenset(d % 7 for d in sets[4])
    return Cron(sets[0], sets[1], sets[2], sets[3], weekdays, parts[2] == "*", parts[4] == "*")


def last_time(cron: Cron, now: datetime, since: datetime) -> datetime | None:
    """The latest scheduled minute in (since, now], or None. Days are skipped whole."""
    minute = now.replace(second=0, microsecond=0)
    day = minute
    while day > since:
        if cron.matches_day(day):
            for hour in sorted((h for h in cron.hours if h <= day.hour), reverse=True):
                top = day.minute if hour == day.hour else 59
                for m in sorted((m for m in cron.minutes if m <= top), reverse=True):
                    candidate = day.replace(hour=hour, minute=m)
                    return candidate if candidate > since else None
        day = (day - timedelta(days=1)).replace(hour=23, minute=59)
    return None


def is_due(schedule: str | None, last_started: datetime | None, now: datetime) -> bool:
    """True when the source should be crawled now: no schedule means every run, never crawled
    means due, otherwise a scheduled time passed since the last crawl started."""
    if schedule is None or last_started is None:
        return True
    # Look back at most a year: a source unscheduled longer than that is due anyway.
    since = max(last_started, now - timedelta(days=366))
    return last_time(parse_cron(schedule), now, since) is not None or since != last_started
