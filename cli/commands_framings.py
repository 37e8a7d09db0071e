"""framings: how each side frames one issue, side by side."""

from __future__ import annotations

import sys

import click

from bilateral.cli.options import json_option
from bilateral.cli.output import emit_json, out


@click.command("framings")
@click.argument("issue")
@json_option
@click.pass_obj
def framings_command(app, issue: str, as_json: bool) -> None:
    """Positions on ISSUE grouped by side: Japan, South Korea, United States, others, interpretations.

    On a terminal the sides stand in columns; piped, plain text grouped by side.
    """
    from bilateral.cli.commands_explore import _resolve
    from bilateral.graph.explore.framings import framings

    result = framings(app.store(), _resolve(app, issue, expect="issue"))
    if as_json:
        emit_json(result)
        return
    if sys.stdout.isatty():
        _columns(result)
    else:
        _plain(result)


def _position_lines(p: dict) -> list[str]:
    """One position as text lines: label, date, holders, stance, quotes, sources."""
    lines = [p["label"]]
    meta = ", ".join(h["label"] for h in p["holders"])
    if p["date"]:
        meta = f"{p['date']} · {meta}" if meta else p["date"]
    if meta:
        lines.append(f"  {meta}")
    if p["stance"]:
        lines.append(f"  {p['stance']}")
    lines += [f"  “{q}”" for q in p["quotes"]]
    if p["sources"]:
        lines.append(f"  sources: {'; '.join(p['sources'])}")
    return lines


def _plain(result: dict) -> None:
    out(f"framings of {result['issue']['label']}")
    for side, positions in result["groups"].items():
        if not positions:
            continue
        out("")
        out(f"{side} ({len(positions)})")
        for p in positions:
            for line in _position_lines(p):
                out(f"  {line}")


def _columns(result: dict) -> None:
    """A rich table with one column per non-empty side, one row per rank."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from bilateral.cli.output import safe_text

    sides = {s: ps for s, ps in result["groups"].items() if ps}
    table = Table(title=escape(safe_text(f"framings of {result['issue']['label']}")), show_lines=True, expand=True)
    for side, positions in sides.items():
        table.add_column(escape(f"{side} ({len(positions)})"), overflow="fold", ratio=1)
    depth = max(len(ps) for ps in sides.values())
    for rank in range(depth):
        table.add_row(
            *[
                escape(safe_text("\n".join(_position_lines(ps[rank])))) if rank < len(ps) else ""
                for ps in sides.values()
            ]
        )
    Console().print(table)
