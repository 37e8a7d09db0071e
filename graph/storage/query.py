"""SPARQL over the store: read-only, no SERVICE unless allowed, with a time limit.

The union of all graphs is the default graph, and `GRAPH ?g` reaches each
source's graph.  The common prefixes (see namespaces.PREFIXES) are
predeclared; a query may redeclare them.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from bilateral.graph.errors import BadInput, BilateralError, QueryTimeout
from bilateral.graph.namespaces import PREFIXES

__all__ = ["QueryResult", "run_query", "check_query", "select_rows", "term_text"]

_UPDATE = re.compile(r"(?<![\w:?$])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)(?![\w:])", re.IGNORECASE)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)


@dataclass
class QueryResult:
    """A query's answer: SELECT gives `variables` and `rows`; ASK gives `boolean`; CONSTRUCT gives `triples`."""

    kind: str  # "select" | "ask" | "construct"
    variables: list[str]
    rows: list[list]  # pyoxigraph terms or None
    boolean: bool | None = None
    triples: list | None = None
    raw: object = None  # the pyoxigraph results object, for its serialisers


def _code_only(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked, so keywords inside them don't count."""
    return _NOISE.sub(lambda m: " " * len(m.group(0)), sparql)


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Refuse updates always and SERVICE unless allowed (BadInput)."""
    code = _code_only(sparql)
    m = _UPDATE.search(code)
    if m:
        raise BadInput(f"refused: {m.group(1).upper()} is a SPARQL update; the store is read-only")
    if not allow_service and _SERVICE.search(code):
        raise BadInput("refused: SERVICE would query a remote endpoint; pass --allow-service to permit it")


_POSITION = re.compile(r"error at (\d+):(\d+):\s*")


def _syntax_error(exc: SyntaxError) -> BadInput:
    text = str(exc)
    m = _POSITION.search(text)
    if m:
        return BadInput(f"query:{m.group(1)}:{m.group(2)}: {_POSITION.sub('', text).strip()}")
    return BadInput(f"query: {text}")


def run_query(store, sparql: str, *, timeout: float | None = 30.0, allow_service: bool = False) -> QueryResult:
    """Run one read-only query over the union graph of `store` (a GraphStore).

    The query runs in a worker thread (pyoxigraph releases the GIL), so the
    caller regains control when `timeout` seconds pass; QueryTimeout is
    raised then.  The worker cannot be interrupted: a CLI process exits,
    which ends it.
    """
    import pyoxigraph as ox

    if not sparql.strip():
        raise BadInput("empty query")
    check_query(sparql, allow_service=allow_service)
    outcome: dict = {}

    def work() -> None:
        try:
            results = store.ox.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
            if isinstance(results, ox.QuerySolutions):
                variables = [v.value for v in results.variables]
                rows = [[solution[v] for v in variables] for solution in results]
                outcome["result"] = QueryResult("select", variables, rows)
            elif isinstance(results, ox.QueryBoolean):
                outcome["result"] = QueryResult("ask", [], [], boolean=bool(results))
            else:
                outcome["result"] = QueryResult("construct", [], [], triples=list(results))
        except SyntaxError as exc:
            outcome["error"] = _syntax_error(exc)
        except BilateralError as exc:  # a remote store's errors (graph.remote) keep their kind
            outcome["error"] = exc
        except (OSError, ValueError, RuntimeError) as exc:
            outcome["error"] = BadInput(f"query failed: {exc}")

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"query still running after {timeout:g} s; stopped (raise --timeout to allow more)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def term_text(term) -> str | None:
    """A term as plain text: an IRI's string, a literal's lexical value, None when unbound."""
    if term is None:
        return None
    return term.value


def select_rows(store, sparql: str, **bindings: str) -> list[dict]:
    """Internal helper: SELECT with `$name` bindings given as IRIs; rows of plain strings.

    Used by the library's own queries (cards, timelines, paths), which are
    fixed text: the bindings are IRIs substituted safely, never pasted in.
    """
    import pyoxigraph as ox

    for name, iri in bindings.items():
        sparql = sparql.replace(f"${name}", str(ox.NamedNode(iri)))  # NamedNode validates the IRI
    results = store.ox.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    variables = [v.value for v in results.variables]
    return [{v: term_text(s[v]) for v in variables} for s in results]
