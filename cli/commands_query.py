"""query: SPARQL over the union graph, from an argument, a file or the named library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bilateral.cli.options import memory_option, query_timeout_option
from bilateral.cli.output import echo_data, emit_json, out, table


@click.command("query")
@click.argument("sparql", required=False)
@click.option(
    "-f", "--file", "query_file", type=click.Path(path_type=Path), help="Read the query from FILE ('-' for stdin)."
)
@click.option("--named", "named", metavar="NAME", help="Run a query from the shipped library (see --list).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries with one-line descriptions.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv"]),
    default="table",
    show_default=True,
    help="json is the W3C SPARQL 1.1 results JSON.",
)
@query_timeout_option()
@click.option("--allow-service", is_flag=True, help="Permit SERVICE (federated queries to other endpoints).")
@memory_option()
@click.pass_obj
def query_command(app, sparql, query_file, named, list_named, fmt, timeout, allow_service, memory_mb) -> None:
    """Run a read-only SPARQL 1.1 query over the union of all source graphs.

    Prefixes bl, id, rdf, rdfs, owl, xsd, skos, dcterms, prov, schema, foaf and
    sem are predeclared. GRAPH ?g reaches each source's graph.
    """
    from bilateral.graph.explore.named import list_queries, named_query

    if list_named:
        for q in list_queries():
            out(f"{q.name:32} {q.title}")
        return
    given = [x for x in (sparql, query_file, named) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE or --named NAME (or --list)")
    if query_file:
        if str(query_file) == "-":
            sparql = sys.stdin.read()
        else:
            try:
                sparql = query_file.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise click.BadParameter(f"{query_file}: cannot read: {exc}", param_hint="-f") from None
    elif named:
        sparql = named_query(named).sparql
    from bilateral.graph.storage.query import run_query

    store = app.store()
    if not app.endpoint:  # imported coded events (issue 15) are queried with the curated graph
        from bilateral.graph.events.imports import combined_store

        store = combined_store(store)
    result = run_query(store, sparql, timeout=timeout, allow_service=allow_service, memory_mb=memory_mb)
    _print(result, fmt)


def _print(result, fmt: str) -> None:
    import pyoxigraph as ox

    from bilateral.graph.namespaces import PREFIXES, curie

    if result.kind == "ask":
        if fmt == "json":
            emit_json({"head": {}, "boolean": result.boolean})
        else:
            out("true" if result.boolean else "false")
        return
    if result.kind == "construct":
        data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES))
        out((data or b"").decode("utf-8"))
        return
    if fmt in ("json", "csv", "tsv"):
        echo_data(_serialise(result, fmt), nl=fmt == "json")
        return
    rows = [[_cell(term, curie) for term in row] for row in result.rows]
    table(None, result.variables, rows)
    out(f"{len(rows)} row(s)")


def _cell(term, curie) -> str:
    if term is None:
        return ""
    if hasattr(term, "language") and hasattr(term, "datatype"):
        return term.value + (f"@{term.language}" if term.language else "")
    return curie(term.value) if hasattr(term, "value") else str(term)


def _serialise(result, fmt: str) -> str:
    """W3C SPARQL 1.1 results JSON, CSV or TSV from the rows already fetched.

    Written here rather than with pyoxigraph's serialiser because the rows
    were consumed inside the time-limited worker.
    """
    return _manual(result, fmt)


def _manual(result, fmt: str) -> str:
    import json

    if fmt == "json":
        bindings = []
        for row in result.rows:
            binding = {}
            for var, term in zip(result.variables, row, strict=True):
                if term is None:
                    continue
                binding[var] = _json_term(term)
            bindings.append(binding)
        return json.dumps(
            {"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=2
        )
    sep = "," if fmt == "csv" else "\t"
    lines = [sep.join(result.variables if fmt == "csv" else ["?" + v for v in result.variables])]
    for row in result.rows:
        lines.append(sep.join(_flat_term(t, fmt) for t in row))
    return "\r\n".join(lines) + "\r\n" if fmt == "csv" else "\n".join(lines) + "\n"


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out_term = {"type": "literal", "value": term.value}
    if term.language:
        out_term["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out_term["datatype"] = term.datatype.value
    return out_term


def _flat_term(term, fmt: str) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if fmt == "csv":
        value = term.value if not isinstance(term, ox.BlankNode) else "_:" + term.value
        if any(c in value for c in ',"\n\r'):
            value = '"' + value.replace('"', '""') + '"'
        return value
    return str(term).replace("\t", "\\t").replace("\n", "\\n")
