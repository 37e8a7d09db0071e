"""lint: the curation checks beyond the shapes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bilateral.cli.options import json_option
from bilateral.cli.output import emit_json, out

if TYPE_CHECKING:
    from bilateral.cli.main import AppContext


@click.command("lint")
@click.option(
    "--texts",
    "texts_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="The documents' texts (NNN_*.txt): also check dates, bounds, quotes and figures against them.",
)
@json_option
@click.pass_obj
def lint_command(app: AppContext, texts_dir: Path | None, as_json: bool) -> None:
    """Curation checks beyond the shapes; one `file:line: check: message` per finding.

    Without --texts: every national organisation has a state, no response
    link runs backwards in time, no two entities of one kind share a name,
    every event has a participant that is or reaches a state. With --texts:
    dates, bounds, quotes and figures are found in their own document's text.
    Exit 1 on any finding, 0 when clean, 2 for a missing directory or an
    unreadable text.
    """
    from bilateral.graph.errors import Problem
    from bilateral.graph.lint import lint
    from bilateral.graph.locations import shipped_data_dir

    findings = lint(app.data_dir or shipped_data_dir(), texts_dir)
    if as_json:
        emit_json([f.as_json() for f in findings])
    else:
        for finding in findings:
            out(str(finding))
    checked = "data and texts" if texts_dir is not None else "data (no texts given)"
    if findings:
        raise Problem(f"{len(findings)} finding(s) in the {checked}")
    if not as_json:
        click.echo(f"0 finding(s) in the {checked}", err=True)
