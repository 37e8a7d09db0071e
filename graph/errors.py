"""The errors the library raises; `cli/` turns each into a message and an exit code.

Usage errors and bad input (a query that does not parse, an entity nobody
knows, a date that is no date) are `BadInput` and its kinds: the CLI exits 2.
A run that worked but found a problem (the data does not validate, there is
no path) is a `Problem`: the CLI exits 1.
"""

from __future__ import annotations

__all__ = [
    "BilateralError",
    "BadInput",
    "NotFound",
    "Ambiguous",
    "WrongKind",
    "Problem",
    "InvalidData",
    "NoPath",
    "QueryTimeout",
    "RemoteError",
    "Unreachable",
    "AuthFailed",
    "TruncatedResult",
    "PublishFailed",
    "QueryRefused",
    "NoSuchEndpoint",
]


class BilateralError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 1


class BadInput(BilateralError):
    """The caller asked for something malformed: exit 2."""

    exit_code = 2


class NotFound(BadInput):
    """An entity name matched nothing; `candidates` are the closest labels."""

    def __init__(self, name: str, candidates: list[tuple[str, str]] | None = None):
        self.name = name
        self.candidates = candidates or []
        hint = ""
        if self.candidates:
            hint = "; closest: " + ", ".join(f"{label} <{iri}>" for iri, label in self.candidates)
        super().__init__(f"no entity matches {name!r}{hint}")


class Ambiguous(BadInput):
    """An entity name matched several entities; `matches` lists them."""

    def __init__(self, name: str, matches: list[tuple[str, str]]):
        self.name = name
        self.matches = matches
        listed = ", ".join(f"{label} <{iri}>" for iri, label in matches)
        super().__init__(f"{name!r} is ambiguous: {listed}; give an IRI or CURIE")


class WrongKind(BadInput):
    """A name (or IRI) names entities, but none of the kind the command expects (an accord for --issue)."""

    def __init__(self, name: str, expected: str, found: list[tuple[str, str, str]], candidates: list[tuple[str, str]]):
        self.name = name
        self.expected = expected
        self.found = found  # (iri, label, kind)
        self.candidates = candidates  # entities of the expected kind whose names contain the text
        named = ", ".join(f"the {kind} {label} <{iri}>" for iri, label, kind in found)
        message = f"{name!r} names {named}, not {expected}" if found else f"no {expected} is named {name!r}"
        if candidates:
            message += "; did you mean " + ", ".join(f"{label} <{iri}>" for iri, label in candidates)
        super().__init__(message)


class Problem(BilateralError):
    """The command ran and found a problem: exit 1."""

    exit_code = 1


class InvalidData(Problem):
    """Parsing or SHACL validation failed; `problems` holds one line per finding."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the data:\n" + "\n".join(problems))


class NothingFound(Problem):
    """A search or listing ran and found nothing: exit 1, with --json too (after printing `[]`)."""


class NoPath(Problem):
    """No path joins the two entities under the given constraints."""


class QueryTimeout(Problem):
    """A query ran past its time limit."""


class RemoteError(Problem):
    """A remote SPARQL server failed us (an error answer, an unreadable answer): exit 1."""


class Unreachable(RemoteError):
    """No connection to the server (refused, unknown host, TLS failure)."""


class AuthFailed(RemoteError):
    """The server refused the credentials (HTTP 401/403)."""


class TruncatedResult(RemoteError):
    """The server cut a result short (e.g. Virtuoso's ResultSetMaxRows) without saying so in the body.

    `limit` is the row count it stopped at, when known.
    """

    def __init__(self, message: str, limit: int | None = None):
        self.limit = limit
        super().__init__(message)


class PublishFailed(RemoteError):
    """Publishing stopped or did not verify; the message names the graph."""


class QueryRefused(BadInput):
    """A query the store will not run, whatever the data: an update, or SERVICE without permission.

    `reason` is "update" or "service" (`bilateral serve` answers 403 either way
    and names SERVICE when that was the reason).
    """

    def __init__(self, message: str, reason: str):
        self.reason = reason
        super().__init__(message)


class NoSuchEndpoint(BadInput):
    """A server answered HTTP 404: nothing at that URL (a mistyped endpoint, or a graph not there yet)."""
