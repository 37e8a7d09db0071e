"""render: write the interactive explorer page (one offline HTML file)."""

from __future__ import annotations

from pathlib import Path

import click

from bilateral.cli.options import count_option, date_range_options
from bilateral.cli.output import out, warn


@click.command("render")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("bilateral-explorer.html"),
    show_default=True,
    help="Where to write the page.",
)
@click.option("--around", metavar="X", help="Only the neighbourhood of entity X (name, alias, CURIE or IRI).")
@count_option("--depth", low=0, high=20, default=1, help="How many hops around X (with --around).")
@date_range_options()
@click.option(
    "--types",
    metavar="CLASS[,CLASS]",
    multiple=True,
    help="Only entities of these classes and their sub-classes (e.g. Meeting,Measure,State).",
)
@click.option(
    "--layout",
    "layout_name",
    type=click.Choice(["network", "time"]),
    default="network",
    show_default=True,
    help="The layout the page opens in: the network, or dated things on a time axis in lanes (the page switches).",
)
@click.option(
    "--no-temperature",
    "no_temperature",
    is_flag=True,
    help="Leave out the temperature strip (coded events per period under the graph).",
)
@click.option(
    "--temperature-between",
    nargs=2,
    metavar="A B",
    help="The two states of the temperature strip (default: Japan and South Korea).",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser afterwards.")
@click.pass_obj
def render_command(
    app,
    output: Path,
    around: str | None,
    depth: int,
    start: str | None,
    end: str | None,
    types: tuple[str, ...],
    layout_name: str,
    no_temperature: bool,
    temperature_between: tuple[str, str] | None,
    open_page: bool,
) -> None:
    """Write the interactive explorer page: one HTML file that works offline.

    The page draws the graph with positions computed beforehand, a legend that
    filters by class, a time range, search over names in every language,
    tooltips, and a side panel with each entity's card and sources; under
    the graph, a temperature strip of imported coded events (see `bilateral
    temperature`). Prints the page's absolute path.
    """
    from bilateral.graph.dates import parse_user_date
    from bilateral.graph.explore.searching import class_iri
    from bilateral.graph.files import check_output, is_stdout
    from bilateral.graph.page.rendering import render_view

    if open_page and is_stdout(output):
        raise click.UsageError("--open needs a file to open; give -o FILE, not -o -")
    check_output(output)  # a missing directory fails before the store is opened
    for value in (start, end):
        if value:
            parse_user_date(value)  # bad dates fail before the store is opened
    store = app.store()
    names = [part.strip() for value in types for part in value.split(",") if part.strip()]
    type_iris = [class_iri(store, name) for name in names]
    center = None
    if around:
        from bilateral.graph.explore.resolution import resolve

        center = resolve(store, around)
    written, warnings = render_view(
        store,
        output,
        around=center,
        depth=depth,
        start=start,
        end=end,
        types=type_iris or None,
        layout_name=layout_name,
        temperature=not no_temperature,
        temperature_between=temperature_between or None,
    )
    for message in warnings:
        warn(message)
    if is_stdout(output):
        return
    out(str(written))
    if open_page:
        import webbrowser

        webbrowser.open(written.as_uri())
