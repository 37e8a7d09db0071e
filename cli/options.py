"""Click options that several commands share, written once so their names, types, defaults and help agree.

A command takes the shared option by decorator (``@json_option``); where the
meaning really differs for one command (what a timeout does to an HTTP
request, which events a date bounds) it says so in the argument, and only there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = [
    "DATE_FORMS",
    "asserted_only_option",
    "count_option",
    "date_range_options",
    "json_option",
    "memory_option",
    "query_timeout_option",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The date forms every command accepts (graph/dates.py parse_user_date).
DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"


def json_option(command: F) -> F:
    """``--json`` (``as_json``): the command's JSON contract on stdout instead of text."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON instead of text (its shape: README, JSON contracts)."
    )(command)


def date_range_options(things: str = "events") -> Callable[[F], F]:
    """``--from DATE`` (``start``) and ``--to DATE`` (``end``), both ends included."""

    def decorate(command: F) -> F:
        command = click.option("--to", "end", metavar="DATE", help=f"Only {things} up to DATE ({DATE_FORMS}).")(command)
        return click.option("--from", "start", metavar="DATE", help=f"Only {things} from DATE on ({DATE_FORMS}).")(
            command
        )

    return decorate


def query_timeout_option(then: str = "") -> Callable[[F], F]:
    """``--timeout SECONDS`` for a SPARQL query (default 30); `then` says what the caller sees when it strikes."""
    return click.option(
        "--timeout",
        metavar="SECONDS",
        type=click.FloatRange(min=0.001),
        default=30.0,
        show_default=True,
        help=f"Seconds before a running query is stopped{then}.",
    )


def memory_option(where: str = "") -> Callable[[F], F]:
    """``--memory MB`` (``memory_mb``): a query's memory cap (default 1024); `where` says what enforces it."""
    return click.option(
        "--memory",
        "memory_mb",
        metavar="MB",
        type=click.IntRange(64, 1 << 20),
        default=1024,
        show_default=True,
        help=f"MB a query may allocate before it is stopped{where}.",
    )


def asserted_only_option(command: F) -> F:
    """``--asserted-only``: leave out interpreted links (bl:Interpretation), keep what documents assert."""
    return click.option(
        "--asserted-only", is_flag=True, help="Leave out links a document only hedges or attributes (interpretations)."
    )(command)


def count_option(*decls: str, low: int, high: int | None, default: int, help: str) -> Callable[[F], F]:
    """A whole-number option within ``low``..``high`` (``high`` None: no upper bound), its default shown in --help.

    One spelling for every count a command takes (ports, workers, depths,
    page sizes), so an out-of-range value gets click's one message and exit 2.
    """
    return click.option(*decls, type=click.IntRange(low, high), default=default, show_default=True, help=help)
