"""The Typer command line (see osint.cli.main)."""
