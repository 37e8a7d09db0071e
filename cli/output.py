"""Printing: JSON for machines, rich tables for people (colour only on a terminal)."""

from __future__ import annotations

import json

import click

__all__ = ["emit_json", "table", "console", "warn", "safe_text", "out"]


def emit_json(value) -> None:
    """Print `value` as indented UTF-8 JSON (Korean and Japanese unescaped)."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def console():
    """A rich console writing to stdout; plain text when stdout is not a terminal."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, emoji=False, markup=False)


def table(title: str | None, columns: list[str], rows: list[list]) -> None:
    """Print a table fitted to the terminal width."""
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, show_lines=False, expand=False, title_justify="left")
    for column in columns:
        t.add_column(column, overflow="fold")
    for row in rows:
        t.add_row(*[Text("" if v is None else safe_text(str(v))) for v in row])
    console().print(t)


def warn(message: str) -> None:
    """A warning on stderr."""
    click.echo(f"warning: {message}", err=True)


def safe_text(text: str) -> str:
    """Strip terminal control characters from data before printing it (data is untrusted)."""
    return "".join(c for c in text if c in "\n\t" or (ord(c) >= 32 and ord(c) != 127 and not 0x80 <= ord(c) < 0xA0))


def out(text: str = "") -> None:
    """Print a line of (untrusted) text."""
    click.echo(safe_text(text))

