"""The README's command reference, generated from the commands themselves (their docstrings and options).

Usage: .venv/bin/python scripts/command_reference.py    (or `make readme`)
Rewrites the part of README.md between the two marker lines; tests/test_help.py
fails when that part differs from what this prints, so help is written once
(the click docstrings) and the README cannot drift from `--help`.

Why a script and a test, not cog: the same result without a new development
dependency, and the test's failure names the command that drifted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- BEGIN command reference: generated from each command's --help by `make readme`; tests/test_help.py checks it -->"
END = "<!-- END command reference -->"


def summary(command: click.Command) -> str:
    """The first paragraph of a command's docstring, on one line (what `bilateral --help` lists)."""
    return " ".join((command.help or "").split("\n\n")[0].split())


def option_names(command: click.Command) -> list[str]:
    """Options as a user types them, in --help order: `-o/--output FILE`, `--json`; arguments in capitals."""
    names = []
    ctx = click.Context(command, info_name=command.name)
    for param in command.get_params(ctx):
        if param.name in ("version", None) or param is command.get_help_option(ctx):
            continue
        if isinstance(param, click.Argument):
            names.append(param.make_metavar(ctx) if _metavar_takes_ctx() else param.make_metavar())
            continue
        record = param.get_help_record(ctx)
        if record:
            names.append(record[0].replace(", ", "/"))
    return names


def _metavar_takes_ctx() -> bool:
    """Whether make_metavar takes the context (click 8.2 on) or not (8.1)."""
    import inspect

    return "ctx" in inspect.signature(click.Argument.make_metavar).parameters


def rows(group: click.Group, prefix: str = "") -> list[str]:
    """One table row per command (and per sub-command of a group such as `imports`)."""
    ctx = click.Context(group)
    lines = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        usage = " ".join(f"`{n}`" for n in option_names(command))
        lines.append(_cells(f"`{prefix}{name}`", summary(command), usage))
        if isinstance(command, click.Group):
            lines.extend(rows(command, prefix=f"{prefix}{name} "))
    return lines


def _cells(*cells: str) -> str:
    """A Markdown table row; a `|` inside a cell (even in code) is escaped, or it would split the cell."""
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def reference() -> str:
    """The whole generated block, markers included."""
    from bilateral.cli.main import cli

    global_options = " ".join(f"`{n}`" for n in option_names(cli))
    return "\n".join(
        [
            BEGIN,
            f"Before the command name: {global_options}. `bilateral COMMAND --help` says more.",
            "",
            "| command | what it does | arguments and options |",
            "| --- | --- | --- |",
            *rows(cli),
            END,
        ]
    )


def current(text: str) -> str | None:
    """The block as it stands in `text` (None when the markers are missing)."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return None
    return text[start : end + len(END)]


def main() -> int:
    """Rewrite README.md's block in place (atomically); say whether it changed."""
    text = README.read_text("utf-8")
    old = current(text)
    if old is None:
        print(f"error: README.md has no line {BEGIN!r}", file=sys.stderr)
        return 1
    new = reference()
    if new == old:
        print("README.md: command reference up to date")
        return 0
    tmp = README.with_suffix(".md.tmp")
    tmp.write_text(text.replace(old, new), "utf-8")
    tmp.replace(README)
    print("README.md: command reference rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
