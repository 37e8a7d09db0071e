"""Coded event data: import, imports, temperature, events (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bilateral.cli.options import count_option, date_range_options, json_option
from bilateral.cli.output import emit_json, out, table, warn

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

_DEFAULT_BETWEEN = ("Japan", "South Korea")


@click.group("import")
def import_command() -> None:
    """Import coded event data beside the curated graph (see `import icews --help`)."""


@import_command.command("icews")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--name", metavar="NAME", help="The import's name (default: from the first file's name).")
@click.option("--between", nargs=2, metavar="A B", help="Keep only events between these two states.")
@date_range_options()
@click.option("--strict", is_flag=True, help="Import nothing when any row is refused.")
@click.option("--licence", metavar="TEXT", help="The data set's licence, kept with the import's provenance.")
@click.pass_obj
def icews_command(app, files, name, between, start, end, strict, licence) -> None:
    """Import ICEWS files (4-column TSV or 20-column Dataverse .tab; .gz/.zip of them).

    Each import is one named graph with provenance; actors are linked to
    curated entities.  Exit 1 when any row was refused, 2 for an unreadable
    file or an unknown format.
    """
    from bilateral.cli.progress import ImportProgress
    from bilateral.graph.errors import Problem
    from bilateral.graph.events.imports import import_icews, refusal_lines
    from bilateral.graph.events.temperature import resolve_actor

    store = app.local_store()
    states = (resolve_actor(store, between[0]), resolve_actor(store, between[1])) if between else None
    with ImportProgress(files) as progress:
        report = import_icews(
            store, list(files), name=name, between=states, start=start, end=end, strict=strict,
            licence=licence, progress=progress,
        )  # fmt: skip
    if report.unchanged:
        out(f"unchanged: these files are already imported as {report.same_as!r} ({report.events} events)")
        return
    stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in report.stages.items())
    out(
        f"imported {report.events} coded events as {report.name!r} into <{report.graph}> in {report.seconds:.1f} s"
        + (f" ({stages})" if stages else "")
    )
    if report.outside:
        out(f"{report.outside} row(s) outside --between/--from/--to, not imported")
    _link_report(report)
    if report.refused:
        warn(f"{len(report.refused)} row(s) refused:")
        for line in refusal_lines(report.refused):
            click.echo(line, err=True)
        raise Problem(f"{len(report.refused)} row(s) refused")


def _link_report(report) -> None:
    out(f"linked: {report.linked_both} of {report.events} events have both actors reaching a curated entity")
    if report.unresolved:
        out("most frequent actors not linked to a curated entity (events):")
        for text, count in report.unresolved:
            out(f"  {count:7d}  {text}")
        out(
            "to link one next time, add its name as an alias of the curated entity "
            '(skos:altLabel "Name"@en in data/entities/*.ttl), rebuild, then `bilateral imports remove NAME` '
            "and import again"
        )


@click.group("imports", invoke_without_command=True)
@json_option
@click.pass_context
def imports_command(ctx, as_json: bool) -> None:
    """List the imports with their counts (`imports remove NAME` removes one)."""
    if ctx.invoked_subcommand:
        return
    from bilateral.graph.events.imports import list_imports

    app = ctx.obj
    items = list_imports(app.local_store().data_dir)
    if as_json:
        emit_json(items)
        return
    if not items:
        out("no imports (bilateral import icews FILE…)")
        return
    table(None, ["name", "events", "refused", "files", "imported"],
          [[i["name"], i["events"], i["refused"], ", ".join(i["files"]), i["imported"]] for i in items])  # fmt: skip


@imports_command.command("remove")
@click.argument("name")
@click.pass_obj
def remove_command(app, name: str) -> None:
    """Remove one import and its named graph."""
    from bilateral.graph.events.imports import remove_import

    entry = remove_import(app.local_store(), name)
    out(f"removed {name!r} ({entry['events']} events)")


def _between(store: Store, between) -> tuple[str, str]:
    from bilateral.graph.events.temperature import resolve_actor

    a, b = between or _DEFAULT_BETWEEN
    return resolve_actor(store, a), resolve_actor(store, b)


@click.command("temperature")
@click.option("--between", nargs=2, metavar="A B", help="The two states (default: Japan and South Korea).")
@click.option("--direction", type=click.Choice(["both", "A-B", "B-A"]), default="both", show_default=True)
@click.option("--by", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True)
@date_range_options()
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per period.")
@click.pass_obj
def temperature_command(app, between, direction, by, start, end, as_json, as_csv) -> None:
    """Per period: coded events between two states, mean and sum of Goldstein, quad classes, top types."""
    from bilateral.graph.events.temperature import actor_label, temperature

    store = app.store()
    a, b = _between(store, between)
    result = temperature(store, a, b, direction=direction, by=by, start=start, end=end)
    result["between"] = [{"iri": x, "label": actor_label(store, x)} for x in (a, b)]
    if as_json:
        emit_json(result)
    elif as_csv:
        click.echo(_csv(result), nl=False)
    else:
        _chart(result)


def _csv(result) -> str:
    import csv
    import io

    from bilateral.graph.events.cameo import QUAD_CLASSES

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["period", "start", "end", "events", "goldstein_mean", "goldstein_sum", *QUAD_CLASSES,
                     "top_types", "curated_events"])  # fmt: skip
    for p in result["periods"]:
        writer.writerow(
            [p["period"], p["start"], p["end"], p["events"], "" if p["goldstein_mean"] is None else p["goldstein_mean"],
             p["goldstein_sum"], *(p["quad_classes"][q] for q in QUAD_CLASSES),
             "; ".join(f"{t['code']} {t['name']} ({t['count']})" for t in p["top_types"]),
             "; ".join(e["label"] for e in p["curated_events"])]
        )  # fmt: skip
    return buffer.getvalue()


def _chart(result) -> None:
    """One line per period at 80 columns: period, events, mean Goldstein as a bar around 0, curated mark."""
    from bilateral.cli.output import safe_text

    a, b = (x["label"] for x in result["between"])
    out(f"temperature {safe_text(a)} – {safe_text(b)} by {result['by']} ({result['direction']}); "
        "bar: mean Goldstein, -10 left … +10 right; * curated events")  # fmt: skip
    half = 20
    for p in result["periods"]:
        mean = p["goldstein_mean"]
        if mean is None:
            bar = " " * half + "|" + " " * half
        else:
            n = min(half, round(abs(mean) / 10 * half))
            bar = (
                (" " * (half - n) + "=" * n + "|" + " " * half)
                if mean < 0
                else (" " * half + "|" + "=" * n + " " * (half - n))
            )
        mark = f"* {len(p['curated_events'])}" if p["curated_events"] else ""
        shown = "" if mean is None else f"{mean:+.2f}"
        out(f"{p['period']:>8} {p['events']:6d} {shown:>6} {bar} {mark}")


@click.command("events")
@click.option("--between", nargs=2, metavar="A B", help="Only events between these two states.")
@date_range_options()
@click.option("--type", "code", metavar="CODE", help='A CAMEO code, as a string ("010", not "10").')
@count_option("--limit", low=1, high=10000, default=50, help="Events per page.")
@count_option("--page", low=1, high=None, default=1, help="Which page of events (1 is the first).")
@json_option
@click.pass_obj
def events_command(app, between, start, end, code, limit, page, as_json) -> None:
    """Coded events in date order, paged, with their provenance (import, file, line)."""
    from bilateral.graph.events.temperature import list_events

    store = app.store()
    pair = _between(store, between) if between else None
    result = list_events(store, between=pair, start=start, end=end, code=code, limit=limit, offset=(page - 1) * limit)
    if as_json:
        emit_json(result)
        return
    rows = [[e["date"], e["agent"]["label"], f"{e['type']['code']} {e['type']['name']}", e["target"]["label"],
             e["type"]["goldstein"], f"{e['provenance']['file']}:{e['provenance']['line']}"] for e in result["events"]]  # fmt: skip
    table(None, ["date", "agent", "type", "target", "goldstein", "source"], rows)
    last = min(result["total"], result["offset"] + result["limit"])
    out(f"events {result['offset'] + 1 if rows else 0}–{last} of {result['total']} (--page N for more)")
