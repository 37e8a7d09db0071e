"""publish and serve: the graph on a SPARQL server, and the local graph as one."""

from __future__ import annotations

import os
import sys

import click

from bilateral.cli.options import count_option, memory_option, query_timeout_option
from bilateral.cli.output import out, table, warn


@click.command("publish")
@click.option(
    "--endpoint",
    "endpoint",
    metavar="URL",
    help="The server's SPARQL query endpoint (default: the global --endpoint / BILATERAL_ENDPOINT).",
)
@click.option(
    "--store-endpoint",
    metavar="URL",
    help="Its Graph Store Protocol endpoint (default: derived from --endpoint, see README).",
)
@click.option(
    "--user",
    metavar="NAME",
    envvar="BILATERAL_USER",
    help="User for HTTP Digest or Basic auth; the password comes from BILATERAL_PASSWORD or a prompt.",
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=1),
    default=600.0,
    show_default=True,
    help="Seconds to wait for the server on each request.",
)
@click.pass_obj
def publish_command(app, endpoint: str | None, store_endpoint: str | None, user: str | None, timeout: float) -> None:
    """Push the ontology, every source graph and the imports to a SPARQL server, then count back.

    One Graph Store Protocol PUT per named graph, each replacing what the
    graph held (publishing twice leaves the same triples). The local default
    graph (ontology and definitions) goes to the named graph
    <https://w3id.org/bilateral/id/graph-definitions>; each import of coded
    events keeps its own graph. Afterwards `bilateral --endpoint URL COMMAND`
    answers from the server (temperature and events included).
    """
    from bilateral.graph.errors import BadInput
    from bilateral.graph.remote.publish import publish

    endpoint = endpoint or app.endpoint
    if not endpoint:
        raise click.UsageError("give --endpoint URL (the server's SPARQL query endpoint)")
    password = None
    if user:
        password = os.environ.get("BILATERAL_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise BadInput(f"no password for {user!r}: set BILATERAL_PASSWORD (there is no terminal to ask on)")
            password = click.prompt(f"password for {user}", hide_input=True, err=True)
    from bilateral.graph.events.imports import coded_graphs, combined_store

    store = app.local_store()
    coded = coded_graphs(store.data_dir)
    with _progress() as report:
        counts = publish(
            combined_store(store), endpoint, store_endpoint, user, password, progress=report, timeout=timeout,
            coded=coded,
        )  # fmt: skip
    from bilateral.graph.namespaces import curie
    from bilateral.graph.remote.client import DEFINITIONS_GRAPH

    def holds(iri: str) -> str:
        return "ontology and definitions" if iri == DEFINITIONS_GRAPH else "coded events" if iri in coded else "source"

    rows = [[curie(iri), holds(iri), n] for iri, n in counts.items()]
    table(f"published to {endpoint}", ["graph", "holds", "triples"], rows)
    out(f"{sum(counts.values())} triples in {len(counts)} graphs, counted back from the server")


class _progress:
    """A rich progress bar on a terminal (one bar per graph, in bytes); nothing otherwise."""

    def __enter__(self):
        self.bar = None
        self.tasks: dict = {}
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self.bar.__enter__()
        return self.report

    def report(self, graph: str, index: int, count: int, sent: int, size: int) -> None:
        if self.bar is None:
            return
        task = self.tasks.get(graph)
        if task is None:
            from bilateral.graph.namespaces import curie

            task = self.tasks[graph] = self.bar.add_task(f"{index}/{count} {curie(graph)}", total=size)
        self.bar.update(task, completed=sent)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback exposes the graph to the network.",
)
@count_option("--port", low=0, high=65535, default=7878, help="Port to listen on (0: any free port).")
@query_timeout_option(" (HTTP 503)")
@click.option("--cors", is_flag=True, help="Allow web pages from other origins (e.g. YASGUI) to query.")
@click.option("--quiet", is_flag=True, help="Do not log each request on stderr.")
@count_option(
    "--workers",
    low=1,
    high=32,
    default=2,
    help="Query worker processes: queries that run at once (more wait, then get 503).",
)
@memory_option(": its worker process is ended (HTTP 500)")
@click.pass_obj
def serve_command(
    app, host: str, port: int, timeout: float, cors: bool, quiet: bool, workers: int, memory_mb: int
) -> None:
    """Serve the local graph over the SPARQL 1.1 Protocol, read-only, and the explorer page.

    SPARQL at /sparql (GET ?query=, POST form or application/sparql-query;
    JSON, XML, CSV or TSV results by Accept); the explorer page at /.
    Updates and SERVICE are refused. Stop with Ctrl-C.
    """
    from bilateral.graph.errors import BadInput
    from bilateral.graph.remote.serve import is_loopback, make_server

    if app.endpoint:
        raise BadInput("serve serves the local store; drop --endpoint (that server already speaks SPARQL)")
    store = app.local_store()
    server = make_server(
        store, host, port, timeout=timeout, cors=cors, quiet=quiet, workers=workers, memory_mb=memory_mb
    )
    if not is_loopback(host):
        warn(f"listening on {host}: anyone who can reach this machine can query the graph")
    out(f"SPARQL endpoint: {server.url}sparql")
    out(f"explorer page:   {server.url}")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
