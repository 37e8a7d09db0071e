"""The `bilateral` command group and the one place where errors become exit codes.

Exit codes: 0 success; 1 the command ran and found a problem (invalid data,
no path, a query timeout); 2 usage or bad input (unknown option, bad date,
unknown or ambiguous entity, malformed or refused SPARQL).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bilateral.cli.output import visible, warn

if TYPE_CHECKING:
    from bilateral.graph.storage.store import GraphStore

__all__ = ["cli", "main"]


class BilateralGroup(click.Group):
    """A click group that turns library errors into one-line messages and exit codes."""

    def invoke(self, ctx: click.Context):
        from bilateral.graph.errors import BilateralError, InvalidData

        try:
            _check_argument_lengths(ctx)
            return super().invoke(ctx)
        except InvalidData as exc:
            for line in exc.problems:
                click.echo(visible(line), err=True)
            click.echo(f"error: {len(exc.problems)} problem(s) in the data", err=True)
            ctx.exit(exc.exit_code)
        except BilateralError as exc:
            click.echo(f"error: {visible(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            _quiet_stdout()  # the reader (head, less) has what it wanted: not an error
            ctx.exit(0)
        except (KeyboardInterrupt, click.exceptions.Abort):  # Ctrl-C, also at a prompt
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("BILATERAL_DEBUG"):
                raise
            click.echo(
                f"error: unexpected failure ({type(exc).__name__}: {visible(str(exc))}); "
                "set BILATERAL_DEBUG=1 to see the traceback",
                err=True,
            )
            ctx.exit(1)

    def get_command(self, ctx: click.Context, name: str):
        """Import a command's module only when it is called (keeps start-up fast)."""
        from importlib import import_module

        entry = _COMMANDS.get(name)
        if entry is None:
            return None
        module = entry[0]
        return getattr(import_module(f"bilateral.cli.{module}"), name.replace("-", "_") + "_command")

    def list_commands(self, ctx: click.Context):
        return list(_COMMANDS)

    def format_commands(self, ctx: click.Context, formatter) -> None:
        """List commands from the static table, so `--help` imports none of them."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in _COMMANDS.items()])


_COMMANDS_TABLE = {
    "build": ("commands_store", "Parse, validate and load the data into the store."),
    "validate": ("commands_store", "Check syntax and SHACL shapes; file:line messages."),
    "stats": ("commands_store", "Counts by class, relation and source; central entities."),
    "query": ("commands_query", "Read-only SPARQL over the union graph (or --named)."),
    "show": ("commands_explore", "An entity card: names, dates, relations, sources."),
    "search": ("commands_explore", "Fuzzy find over labels and aliases in every language."),
    "path": ("commands_explore", "The most meaningful paths between two entities."),
    "chain": ("commands_explore", "The response chain through an event, in time order."),
    "timeline": ("commands_explore", "Dated events in order, filtered by actor/issue/type."),
    "framings": ("commands_framings", "Positions on an issue side by side: Japan, South Korea, US, others."),
    "asof": ("commands_time", "The state of affairs on a date: statuses, offices, issues."),
    "render": ("commands_render", "Write the interactive explorer page (offline HTML)."),
    "export": ("commands_store", "Write ttl/trig/nq/jsonld/graphml/gexf/csv."),
    "lint": ("commands_lint", "Curation checks: dates, quotes, figures in their texts; states; time order."),
    "publish": ("commands_remote", "Push every graph to a SPARQL server (Graph Store PUTs)."),
    "serve": ("commands_remote", "Serve the local graph over the SPARQL protocol, page at /."),
    "import": ("commands_events", "Import coded event data (ICEWS) beside the curated graph."),
    "imports": ("commands_events", "List imports with counts; `imports remove NAME`."),
    "temperature": ("commands_events", "Coded events between two states per period: Goldstein, quads."),
    "events": ("commands_events", "Coded events, paged, with their provenance."),
}
_COMMANDS = _COMMANDS_TABLE


class AppContext:
    """What every command needs: the data directory (or a remote endpoint) and a lazily opened store."""

    def __init__(self, data_dir: Path | None, endpoint: str | None = None):
        self.data_dir = data_dir
        self.endpoint = endpoint
        self._store: GraphStore | None = None
        self._local: GraphStore | None = None

    def store(self):
        """The store read commands query: the remote one with --endpoint, else the local one."""
        if self.endpoint:
            if self._store is None:
                _check_endpoint_url(self.endpoint)
                import os

                from bilateral.graph.remote.client import open_remote

                # A protected endpoint (Virtuoso's /sparql-auth) takes the same credentials publish uses.
                self._store = open_remote(
                    self.endpoint,
                    user=os.environ.get("BILATERAL_USER") or None,
                    password=os.environ.get("BILATERAL_PASSWORD"),
                )
            return self._store
        return self.local_store()

    def local_store(self):
        """Open (and if needed rebuild) the local store; print its warnings once."""
        if self._local is None:
            from bilateral.graph.storage.store import open_store

            self._local = open_store(self.data_dir)
            for message in self._local.warnings:
                warn(message)
        return self._local


@click.group(cls=BilateralGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="BILATERAL_DATA",
    help="Data directory of .trig/.ttl files (default: the shipped curated graph).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    envvar="BILATERAL_ENDPOINT",
    help="Run read commands against this SPARQL 1.1 query endpoint instead of the local store.",
)
@click.version_option(package_name="bilateral", prog_name="bilateral")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, endpoint: str | None) -> None:
    """Explore the relations between two states as a sourced knowledge graph.

    Ships with a curated graph of Japan–South Korea relations built from five
    policy documents; every claim names the document that makes it.
    """
    ctx.obj = AppContext(data_dir, endpoint or None)


def _check_endpoint_url(url: str) -> None:
    """A malformed --endpoint URL is bad input (exit 2), said before any connection is tried."""
    import urllib.parse

    from bilateral.graph.errors import BadInput

    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise BadInput(f"--endpoint {url!r} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"--endpoint {url!r} is not an http:// or https:// URL")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise BadInput(f"--endpoint {url!r} holds spaces or control characters; percent-encode them")


#: Longest argument accepted (a name, a CURIE, an IRI, a date); a query may be as long as the query cap.
MAX_ARGUMENT = 2048


def _check_argument_lengths(ctx: click.Context) -> None:
    """Refuse an overlong argument before any work, echoing only its start (a 130 KB name cost a minute)."""
    from bilateral.graph.storage.query import MAX_QUERY_CHARS

    words = [*(getattr(ctx, "_protected_args", None) or []), *ctx.args]  # click 8.2: the subcommand and its args
    limit = MAX_QUERY_CHARS if words[:1] == ["query"] else MAX_ARGUMENT
    for word in words:
        if len(word) > limit:
            raise click.UsageError(
                f"argument too long ({len(word):,} characters, at most {limit:,}): {visible(word[:40])!s}…"
            )


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush into a closed pipe stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    """Console-script entry point.

    A closed pipe (`bilateral show X | head -1`) ends the command quietly
    with exit 0, so `set -o pipefail` scripts see head's success, not ours
    failing.
    """
    try:
        cli(prog_name="bilateral")
    except SystemExit:
        _flush_quietly()
        raise


def _flush_quietly() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
