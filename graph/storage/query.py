r"""SPARQL over the store: read-only, no SERVICE unless allowed, with time and memory limits.

The union of all graphs is the default graph, and `GRAPH ?g` reaches each
source's graph.  The common prefixes (see namespaces.PREFIXES) are
predeclared; a query may redeclare them.

What a query may do is decided on its parse tree, never on its text:
pyoxigraph 0.5 has no switch that turns SERVICE off and no public parser,
so the query is parsed with rdflib's SPARQL 1.1 parser and refused when the
tree holds a ServiceGraphPattern (or when the text is an update).  Where the
two lexers could disagree, the text rdflib sees is made to lex like
Oxigraph's: a bare carriage return ends a comment, and `\u` escapes (which
Oxigraph reads only inside IRIs and strings, rdflib everywhere) are
neutralised.  A query rdflib cannot parse runs only if the word SERVICE
appears nowhere in it.  Length and nesting are capped before any parser sees
the text (deep nesting crashes both).  Local queries then run in a worker
process that cannot open network sockets (graph.storage.sandbox), so a
parser disagreement still reaches no other host.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilateral.graph.errors import BadInput, BilateralError, QueryRefused, QueryTimeout
from bilateral.graph.namespaces import PREFIXES

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = [
    "QueryResult",
    "check_query",
    "check_size",
    "code_only",
    "run_query",
    "select_rows",
    "syntax_error",
    "term_text",
]

#: A query longer than this is refused before parsing (a query, not a data upload).
MAX_QUERY_CHARS = 128 * 1024
#: Brackets nested deeper than this are refused before parsing (10,000 crashed the engine).
MAX_NESTING = 64

_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


@dataclass
class QueryResult:
    """A query's answer: SELECT gives `variables` and `rows`; ASK gives `boolean`; CONSTRUCT gives `triples`."""

    kind: str  # "select" | "ask" | "construct"
    variables: list[str]
    rows: list[list]  # pyoxigraph terms or None
    boolean: bool | None = None
    triples: list | None = None


def code_only(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked to spaces, offsets kept.

    For finding a query's form and its PREFIX declarations by pattern (the
    remote client does both) without matching inside a literal or an IRI;
    never for deciding what a query may do (that is `check_query`'s parse).
    """
    return _NOISE.sub(lambda m: " " * len(m.group(0)), sparql)


def check_size(sparql: str) -> None:
    """Refuse (BadInput) a query too long or too deeply nested to parse safely; cheap, before any parser."""
    if len(sparql) > MAX_QUERY_CHARS:
        raise BadInput(f"query is {len(sparql):,} characters; at most {MAX_QUERY_CHARS:,} are accepted")
    depth = deepest = 0
    for char in sparql:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth -= 1
    if deepest > MAX_NESTING:
        raise BadInput(f"query nests brackets {deepest} deep; at most {MAX_NESTING} levels are accepted")


def _as_oxigraph_lexes(sparql: str) -> str:
    """The text rdflib should parse so that it sees the tokens Oxigraph sees (see the module docstring)."""
    return _ESCAPE.sub("x", sparql.replace("\r", "\n"))


def _has_service(tree) -> bool:
    """Whether rdflib's parse tree holds a SERVICE pattern anywhere."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    return False


def _parse(text: str):
    """Rdflib's parse tree of a query, or None when it cannot parse it; "update" when it is an update."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))  # pyparsing recurses per bracket; nesting is capped above
    try:
        try:
            return parseQuery(text)
        except (ParseException, RecursionError, ValueError, TypeError):
            pass
        try:
            parseUpdate(text)
            return "update"
        except (ParseException, RecursionError, ValueError, TypeError):
            return None
    finally:
        sys.setrecursionlimit(old)


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Refuse an oversized query (BadInput), an update and SERVICE unless allowed (QueryRefused), on the parse tree."""
    check_size(sparql)
    tree = _parse(_as_oxigraph_lexes(sparql))
    if tree == "update":
        raise QueryRefused("refused: this is a SPARQL update; the store is read-only", "update")
    if allow_service:
        return
    if tree is None:
        if "service" in sparql.lower():
            raise QueryRefused(
                "refused: the query could not be parsed to check it for SERVICE, and it holds the word SERVICE",
                "service",
            )
        return  # Oxigraph gives the syntax error (or runs an extension rdflib does not know)
    if _has_service(tree):
        raise QueryRefused(
            "refused: SERVICE would query a remote endpoint; pass --allow-service to permit it", "service"
        )


_POSITION = re.compile(r"error at (\d+):(\d+):\s*")


_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_DECLARATION = re.compile(r"\b(?:PREFIX\s+[^\s:]*:|BASE)(?=\s)", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w\\%]|\s|$)")
_DECLARED = re.compile(r"PREFIX\s+([^\s:]*):", re.IGNORECASE)


def syntax_error(exc: SyntaxError, sparql: str = "") -> BadInput:
    """The engine's syntax error as BadInput `query:LINE:COL: message`, in words a user can act on.

    Shared by every place a query runs (this module's thread, the sandbox's
    workers), so the user reads one wording whichever ran it.
    """
    text = str(exc)
    m = _POSITION.search(text)
    where = f"query:{m.group(1)}:{m.group(2)}" if m else "query"
    message = _POSITION.sub("", text).strip()
    if sparql:
        message = _plainer(message, sparql) or message
    if len(message) > 300:
        message = message[:300] + "…"
    return BadInput(f"{where}: {message}")


def _plainer(message: str, sparql: str) -> str | None:
    """A clearer message for the two errors whose engine wording misleads: a misspelt form, an unknown prefix."""
    code = code_only(sparql)
    if "Prefix not found" in message:
        declared = {m.group(1) for m in _DECLARED.finditer(code)} | set(PREFIXES)
        for found in _PREFIXED.finditer(code):
            prefix = found.group(1) or ""
            if prefix not in declared:
                return (
                    f"prefix {prefix}: is not declared; add PREFIX {prefix}: <...> "
                    f"(predeclared: {', '.join(sorted(PREFIXES))})"
                )
        return "a prefix is not declared (add PREFIX name: <...>)"
    rest = _DECLARATION.sub(" ", code)  # IRIs are blanked already: what is left starts with the form
    first = (rest.split() or [""])[0]
    if first and first.upper() not in _FORMS and first.upper() not in ("PREFIX", "BASE"):
        return (
            f"a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE (after any PREFIX and BASE); found {first[:40]!r}"
        )
    return None


def run_query(
    store: Store,
    sparql: str,
    *,
    timeout: float | None = 30.0,
    allow_service: bool = False,
    memory_mb: int | None = None,
) -> QueryResult:
    """Run one read-only query over the union graph of `store` (a GraphStore).

    On a store on disk the query runs in a worker process
    (graph.storage.sandbox) with a memory budget and no network unless
    `allow_service`; when `timeout` seconds pass the worker is killed and
    QueryTimeout raised, so "stopped" is true.  A worker that dies under the
    query raises QueryCrashed.  A remote store (--endpoint) is queried in a
    thread: the server does the work, and its own limits apply.
    """
    if not sparql.strip():
        raise BadInput("empty query")
    check_size(sparql)
    store_dir = getattr(store, "store_dir", None)
    if _on_disk(store) and store_dir is not None:
        return _run_isolated(store_dir, sparql, timeout, allow_service, memory_mb)
    check_query(sparql, allow_service=allow_service)
    return _run_in_thread(store, sparql, timeout)


def _on_disk(store: Store) -> bool:
    """Whether `store` is a pyoxigraph store in a directory a worker can open by itself."""
    from pathlib import Path

    import pyoxigraph as ox

    store_dir = getattr(store, "store_dir", None)
    return isinstance(getattr(store, "ox", None), ox.Store) and isinstance(store_dir, Path) and store_dir.is_dir()


def _run_isolated(store_dir, sparql: str, timeout: float | None, allow_service: bool, memory_mb: int | None):
    import pyoxigraph as ox

    from bilateral.graph.storage.sandbox import DEFAULT_MEMORY_MB, shared_pool

    pool = shared_pool(store_dir, allow_service=allow_service, memory_mb=memory_mb or DEFAULT_MEMORY_MB)
    request = {
        "allow_service": allow_service,
        "result_formats": [["application/sparql-results+json", "JSON"]],
        "graph_formats": [["application/n-triples", "N_TRIPLES"]],
    }
    try:
        answer = pool.run(request, sparql, timeout, wait=float("inf") if timeout is None else 3600.0)
    except QueryTimeout:
        raise QueryTimeout(
            f"query still running after {timeout:g} s; stopped (raise --timeout to allow more)"
        ) from None
    header = answer.header
    if "error" in header:
        if header["error"] == 500:
            from bilateral.graph.storage.sandbox import QueryCrashed

            raise QueryCrashed(header["message"])
        if header.get("refused"):
            raise QueryRefused(header["message"], header["refused"])
        raise BadInput(header["message"])
    if header["kind"] == "construct":
        return QueryResult("construct", [], [], triples=list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)))
    results = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    if isinstance(results, ox.QueryBoolean):
        return QueryResult("ask", [], [], boolean=bool(results))
    variables = [v.value for v in results.variables]
    return QueryResult("select", variables, [[solution[v] for v in variables] for solution in results])


def _run_in_thread(store: Store, sparql: str, timeout: float | None) -> QueryResult:
    """A query to a store that is not ours to sandbox (a remote endpoint, an in-memory store)."""
    import pyoxigraph as ox

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
            outcome["error"] = syntax_error(exc, sparql)
        except BilateralError as exc:  # a remote store's errors (graph.remote) keep their kind
            outcome["error"] = exc
        except (OSError, ValueError, RuntimeError) as exc:
            outcome["error"] = BadInput(f"query failed: {exc}")

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"query still running after {timeout:g} s; gave up waiting (raise --timeout to allow more)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def term_text(term) -> str | None:
    """A term as plain text: an IRI's string, a literal's lexical value, None when unbound."""
    if term is None:
        return None
    return term.value


def select_rows(store: Store, sparql: str, **bindings: str) -> list[dict]:
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
