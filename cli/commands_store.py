"""build, validate, stats, export: the commands that make and describe the store."""

from __future__ import annotations

from pathlib import Path

import click

from bilateral.cli.options import json_option
from bilateral.cli.output import emit_json, out, table


@click.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when no input changed.")
@click.pass_obj
def build_command(app, force: bool) -> None:
    """Parse, validate and load the data into the store the other commands use.

    A failed build leaves the previous store answering.
    """
    from bilateral.graph.storage.store import build

    report = build(app.data_dir, force=force)
    state = "built" if report.rebuilt else "up to date"
    out(
        f"{state}: {report.triples} quads ({report.inferred} inferred) from "
        f"{report.files} files in {report.seconds:.2f} s"
    )
    out(f"store: {report.store_dir}")
    # Counted while building (a query for them took longer than the build at 1M triples);
    # `bilateral stats` gives the full picture.
    top = list(report.classes.items())[:8]
    out(f"{report.entities} entities; " + ", ".join(f"{n} {iri.rsplit('#', 1)[-1]}" for iri, n in top))
    _prepare_page(app, report.entities)


def _prepare_page(app, entities: int) -> None:
    """Lay out the whole graph's page now, so the first `render` (and `serve`'s first page) only fills it in.

    Only for a graph a page shows whole: a larger one is folded into
    clusters, which a build should not wait for (nor compute its projection).
    """
    from bilateral.graph.page.rendering import LARGE_VIEW, prepare
    from bilateral.graph.storage.store import open_store

    if entities <= LARGE_VIEW:
        prepare(open_store(app.data_dir))


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--engine",
    type=click.Choice(["turbo", "pyshacl"]),
    default="turbo",
    show_default=True,
    help="SHACL engine: pyshacl-turbo (fast) or pySHACL (the reference); both read shapes.ttl.",
)
@click.pass_obj
def validate_command(app, files: tuple[Path, ...], engine: str) -> None:
    """Parse and check the data against the SHACL shapes.

    FILES (optional) are checked together with the data directory, so a draft
    can be tried before it is moved in. Prints one `file:line` message per
    problem and a summary; exits 1 on any problem.
    """
    from bilateral.graph.errors import Problem
    from bilateral.graph.locations import shipped_data_dir
    from bilateral.graph.storage.validation import validate_data

    for f in files:
        if not f.is_file():
            raise click.BadParameter(f"{f}: no such file", param_hint="FILES")
    data_dir = app.data_dir or shipped_data_dir()
    loaded, problems = validate_data(data_dir, list(files), engine)
    for line in problems:
        out(line)
    summary = f"{len(loaded.files)} files, {len(loaded.quads)} quads: "
    if problems:
        out(summary + f"{len(problems)} problem(s)")
        raise Problem(f"{len(problems)} problem(s) in the data")
    out(summary + "valid")


@click.command("stats")
@json_option
@click.pass_obj
def stats_command(app, as_json: bool) -> None:
    """Counts by class, relation and source, and the most central entities."""
    from bilateral.graph.explore.counting import stats

    result = stats(app.store())
    if as_json:
        emit_json(result)
        return
    out(f"{result['triples']} triples, {result['entities']} entities")
    table("classes", ["class", "count"], [[k, v] for k, v in result["classes"].items()])
    table("relations", ["relation", "count"], [[k, v] for k, v in result["relations"].items()])
    table("sources (triples)", ["source", "triples"], [[k, v] for k, v in result["sources"].items()])
    table(
        "most connected",
        ["entity", "type", "degree"],
        [[c["label"], ", ".join(c["types"]), c["degree"]] for c in result["central"]],
    )


@click.command("export")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["ttl", "trig", "nq", "jsonld", "graphml", "gexf", "csv"]),
    help="RDF (ttl, trig, nq, jsonld) or network (graphml, gexf, csv).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write, '-' for standard output (for csv: a directory that receives nodes.csv and edges.csv).",
)
@click.pass_obj
def export_command(app, fmt: str, output: Path) -> None:
    """Export the graph for Gephi, Neo4j and other RDF tools (written atomically)."""
    from bilateral.graph.explore.exporting import export

    for path in export(app.store(), fmt, output):
        if str(path) != "-":
            out(f"wrote {path}")
