"""The per-invocation state the callback passes to commands: configuration, loaded lazily."""

from __future__ import annotations

from collections.abc import Callable

import typer

from osint.config import Config


class State:
    """Loads the configuration on first use, so `--help` works without a config file."""

    def __init__(self, loader: Callable[[], Config]) -> None:
        self._loader = loader
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = self._loader()
        return self._config


def config_of(ctx: typer.Context) -> Config:
    state: State = ctx.obj
    return state.config
