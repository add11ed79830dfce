"""`python -m osint` is the `osint` command."""

from osint.cli.main import main

main()
