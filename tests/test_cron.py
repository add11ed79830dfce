"""Cron schedules: parsing with clear errors, and which sources are due."""

from __future__ import annotations

from datetime import datetime

import pytest

from osint.cron import is_due, last_time, parse_cron

NOW = datetime(2026, 12, 1, 19, 40)  # a Tuesday


def test_fields_lists_ranges_steps_and_names() -> None:
    cron = parse_cron("*/15 5,17 1-7 jan-mar mon-fri")
    assert cron.minutes == {0, 15, 30, 45}
    assert cron.hours == {5, 17}
    assert cron.days == set(range(1, 8))
    assert cron.months == {1, 2, 3}
    assert cron.weekdays == {1, 2, 3, 4, 5}
    assert parse_cron("0 0 * * 7").weekdays == {0}  # 7 is Sunday too


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("* * * *", "5 fields"),
        ("60 * * * *", "minute field: 60 is outside 0-59"),
        ("* 5-2 * * *", "hour field: range '5-2' runs backwards"),
        ("*/0 * * * *", "step '0' must be a positive number"),
        ("* * * foo *", "month field: 'foo' is not a number"),
    ],
)
def test_bad_expressions_name_the_field(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_cron(expression)


def test_last_scheduled_time() -> None:
    daily = parse_cron("15 5 * * *")
    assert last_time(daily, NOW, datetime(2026, 11, 1)) == datetime(2026, 12, 1, 5, 15)
    assert last_time(daily, NOW, datetime(2026, 12, 1, 6, 0)) is None
    weekly = parse_cron("0 3 * * sun")
    assert last_time(weekly, NOW, datetime(2026, 11, 1)) == datetime(2026, 11, 29, 3, 0)
    # Day of month OR day of week when both are restricted, as cron does.
    either = parse_cron("0 0 1 * fri")
    assert last_time(either, NOW, datetime(2026, 11, 20)) == datetime(2026, 12, 1, 0, 0)


def test_due_since_the_last_crawl() -> None:
    assert is_due(None, datetime(2026, 12, 1, 19, 0), NOW)  # no schedule: every run
    assert is_due("15 5 * * *", None, NOW)  # never crawled
    assert is_due("15 5 * * *", datetime(2026, 11, 30, 5, 15), NOW)
    assert not is_due("15 5 * * *", datetime(2026, 12, 1, 5, 15), NOW)
    assert is_due("*/10 * * * *", datetime(2026, 12, 1, 19, 25), NOW)
    assert not is_due("*/10 * * * *", datetime(2026, 12, 1, 19, 40), NOW)
