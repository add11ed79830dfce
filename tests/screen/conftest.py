"""Fixture strategy: every screening test runs on a private copy of the session's real
pipeline output (OFAC and UN samples crawled, extracted, resolved and published; see
tests/conftest.py `published_copy`), through the real Screener; `screener` builds one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from osint.cli.screen import screening_paths
from osint.config import Config
from osint.screen import Screener

MakeScreener = Callable[..., Screener]


@pytest.fixture
def make_screener(published_copy: Config) -> Iterator[MakeScreener]:
    made: list[Screener] = []

    def make(**kwargs: object) -> Screener:
        screener = Screener(screening_paths(published_copy), **kwargs)  # type: ignore[arg-type]
        made.append(screener)
        return screener

    yield make
    for s in made:
        s.close()
