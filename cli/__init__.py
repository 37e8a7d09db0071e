"""bilateral's command line: parse arguments, call `graph`, print. No graph logic here."""

from bilateral.cli.main import cli

__all__ = ["cli"]
