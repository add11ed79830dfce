"""Retries wait longer each time, up to a cap."""

from __future__ import annotations

from osint.collect.backoff import delay_for


def test_delay_doubles_per_retry_and_is_capped() -> None:
    assert [delay_for(n, 2.0, 60.0) for n in range(6)] == [0.0, 2.0, 4.0, 8.0, 16.0, 32.0]
    assert delay_for(10, 2.0, 60.0) == 60.0
