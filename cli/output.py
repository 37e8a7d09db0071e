"""Printing: JSON for machines, rich tables for people (colour only on a terminal)."""

from __future__ import annotations

import json

import click

__all__ = [
    "console",
    "display_width",
    "echo_data",
    "emit_json",
    "out",
    "plain_table",
    "safe_text",
    "table",
    "visible",
    "warn",
]


def emit_json(value) -> None:
    """Print `value` as indented UTF-8 JSON (Korean and Japanese unescaped)."""
    echo_data(json.dumps(value, ensure_ascii=False, indent=2))


def console():
    """A rich console writing to stdout; plain text when stdout is not a terminal."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, emoji=False, markup=False)


def table(title: str | None, columns: list[str], rows: list[list]) -> None:
    """Print a table: on a terminal, a rich table fitted to its width; otherwise plain aligned columns.

    Piped output (to a file, `less -S`, `grep`) gets one line per row at full
    width, with no box drawing and no folded cells, which is both more
    useful there and about fifty times cheaper than laying out a rich table
    for an 80-column page nobody sees.  (For machines, --format json/csv/tsv
    or --json are the stable forms.)
    """
    import sys

    if not sys.stdout.isatty():
        click.echo(plain_table(title, columns, rows), nl=False)
        return
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, show_lines=False, expand=False, title_justify="left")
    for column in columns:
        t.add_column(column, overflow="fold")
    for row in rows:
        t.add_row(*[Text("" if v is None else safe_text(str(v))) for v in row])
    console().print(t)


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK, Hangul) characters count two, combining marks none."""
    import unicodedata

    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def plain_table(title: str | None, columns: list[str], rows: list[list]) -> str:
    """A table as aligned plain text: a header, a rule, one line per row (newlines in cells become spaces)."""
    header = [safe_text(c) for c in columns]
    cells = [
        [safe_text("" if v is None else str(v)).replace("\n", " ").replace("\t", " ") for v in row[: len(header)]]
        for row in rows
    ]
    # each cell's display width, measured once: it sets the column width and then the padding
    measured = [[(v, display_width(v)) for v in row] for row in [header, *cells]]
    widths = [max(row[i][1] for row in measured if i < len(row)) for i in range(len(header))]

    def line(values: list[tuple[str, int]]) -> str:
        return "  ".join(v + " " * (w - n) for (v, n), w in zip(values, widths, strict=True)).rstrip()

    lines = [title] if title else []
    lines += [line(measured[0]), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in measured[1:]]
    if title:
        lines.append("")  # titled tables come in series (stats): keep them apart
    return "\n".join(lines) + "\n"


def warn(message: str) -> None:
    """A warning on stderr (control characters from data or servers shown escaped)."""
    click.echo(f"warning: {visible(message)}", err=True)


def _is_control(c: str) -> bool:
    code = ord(c)
    return (code < 32 and c not in "\n\t") or code == 127 or 0x80 <= code < 0xA0


def visible(text: str) -> str:
    r"""`text` with terminal control characters shown as escapes (ESC as \x1b): nothing reaches the terminal raw.

    For messages that echo untrusted text (a path, a name, a server's error
    body), so the user sees what was there, and no escape sequence can set
    the window title, write the clipboard or clear the screen.
    """
    return "".join(f"\\x{ord(c):02x}" if _is_control(c) else c for c in text)


def echo_data(text: str, nl: bool = True) -> None:
    """Print machine-readable output (CSV, TSV, JSON): exact in a pipe or file, control characters escaped on a terminal."""
    import sys

    click.echo(visible(text) if sys.stdout.isatty() else text, nl=nl)


def safe_text(text: str) -> str:
    """Strip terminal control characters from data before printing it (data is untrusted)."""
    return "".join(c for c in text if c in "\n\t" or (ord(c) >= 32 and ord(c) != 127 and not 0x80 <= ord(c) < 0xA0))


def out(text: str = "") -> None:
    """Print a line of (untrusted) text."""
    click.echo(safe_text(text))
