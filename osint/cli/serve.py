"""`osint serve`: the screening HTTP API (FastAPI on uvicorn), on 127.0.0.1 by default."""

from __future__ import annotations

from typing import Annotated

import typer

from osint.cli.context import config_of
from osint.cli.output import info
from osint.cli.screen import make_screener
from osint.screen.http import create_app
from osint.screen.http import serve as serve_app


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback exposes the API.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0: any free one).")] = 8321,
    threshold: Annotated[
        float | None, typer.Option(help="Default match threshold (0..1); a request may override.")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, max=100, help="Hits per query.")] = None,
) -> None:
    """Serve POST /match (yente-shaped), POST /screen/cargo, /exclusions, /healthz, /version.

    Example: osint serve --port 8321   # then: curl -s localhost:8321/version
    """
    config = config_of(ctx)
    screener = make_screener(config, threshold, limit, interface="http")
    app = create_app(screener)
    info(f"osint: serving {config.profile_store} on http://{host}:{port}")
    try:
        serve_app(app, host, port)
    finally:
        screener.close()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
