"""The offline demo: real sample publications served from a local HTTP server."""

from osint.demo.run import DEMO_QUERIES, demo_config, run_demo, serve_directory

__all__ = ["DEMO_QUERIES", "demo_config", "run_demo", "serve_directory"]
