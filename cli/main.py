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

        module = _COMMANDS.get(name)
        if module is None:
            return None
        return getattr(import_module(f"bilateral.cli.{module}"), name.replace("-", "_") + "_command")

    def list_commands(self, ctx: click.Context):
        return list(_COMMANDS)

    def format_commands(self, ctx: click.Context, formatter) -> None:
        """List each command with the first sentence of its docstring: help is written once, there.

        Only `--help` imports every command module to read them (a few milliseconds: their
        heavy imports wait inside the command bodies).
        """
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=200)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


#: The module of each command, in the order `--help` lists them; what a command does is its docstring.
_COMMANDS = {
    "build": "commands_store",
    "validate": "commands_store",
    "stats": "commands_store",
    "query": "commands_query",
    "show": "commands_explore",
    "search": "commands_explore",
    "path": "commands_explore",
    "chain": "commands_explore",
    "timeline": "commands_explore",
    "framings": "commands_framings",
    "asof": "commands_time",
    "render": "commands_render",
    "export": "commands_store",
    "lint": "commands_lint",
    "publish": "commands_remote",
    "serve": "commands_remote",
    "import": "commands_events",
    "imports": "commands_events",
    "temperature": "commands_events",
    "events": "commands_events",
}


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
