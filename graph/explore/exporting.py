"""Export the graph for other tools: RDF (ttl, trig, nq, jsonld) and networks (graphml, gexf, csv).

RDF exports carry the ontology and every source graph (TriG, N-Quads and
JSON-LD keep the named graphs; Turtle is the union).  Network exports carry
the NetworkX projection, with list attributes joined by "; " since GraphML
and GEXF hold scalars only.  Every file is written atomically.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bilateral.graph.errors import BadInput

__all__ = ["FORMATS", "export"]

FORMATS = ("ttl", "trig", "nq", "jsonld", "graphml", "gexf", "csv")


def export(store, fmt: str, output: Path) -> list[Path]:
    """Write the graph in `fmt` to `output` (for csv, a directory receiving nodes.csv and edges.csv)."""
    from bilateral.graph.files import check_output, is_stdout

    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        if is_stdout(output):
            raise BadInput("csv export writes two files (nodes.csv, edges.csv) into a directory; give -o DIRECTORY")
    else:
        check_output(output)  # before the work: a missing directory fails fast
    if fmt in ("ttl", "trig", "nq", "jsonld"):
        return [_write(output, _rdf_bytes(store, fmt))]
    from bilateral.graph.explore.projection import project

    graph = _flat(project(store))
    if fmt == "csv":
        return _write_csv(graph, output)
    import networkx as nx

    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer, encoding="utf-8")
    else:
        nx.write_gexf(graph, buffer, encoding="utf-8")
    return [_write(output, buffer.getvalue())]


def _write(path: Path, data: bytes) -> Path:
    """Write where the user points (graph.files: `-` is stdout, devices and symlinks written through)."""
    from bilateral.graph.files import write_output

    write_output(path, data)
    return path


def _rdf_bytes(store, fmt: str) -> bytes:
    import pyoxigraph as ox

    if fmt == "trig":
        return store.ox.dump(format=ox.RdfFormat.TRIG, prefixes=_prefixes())
    if fmt == "nq":
        return store.ox.dump(format=ox.RdfFormat.N_QUADS)
    if fmt == "jsonld":
        return store.ox.dump(format=ox.RdfFormat.JSON_LD)
    triples = {q.triple for q in store.ox}
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=_prefixes())


def _prefixes() -> dict[str, str]:
    from bilateral.graph.namespaces import PREFIXES

    return dict(PREFIXES)


def _flat(graph):
    """A copy whose list attributes are joined strings (GraphML/GEXF take scalars only)."""
    flat = graph.copy()
    for _, data in flat.nodes(data=True):
        for key, value in list(data.items()):
            if isinstance(value, list):
                data[key] = "; ".join(value)
    for _, _, data in flat.edges(data=True):
        for key, value in list(data.items()):
            if isinstance(value, list):
                data[key] = "; ".join(value)
    return flat


_NODE_FIELDS = ["iri", "label", "type", "types", "date", "precision", "end", "description"]
_EDGE_FIELDS = ["source", "target", "predicate", "label", "sources", "source_iris"]


def _write_csv(graph, directory: Path) -> list[Path]:
    if directory.exists() and not directory.is_dir():
        raise BadInput(f"{directory}: csv export writes nodes.csv and edges.csv into a directory; this is a file")
    if not directory.parent.is_dir():
        raise BadInput(f"cannot write {directory}: directory {directory.parent} does not exist")
    try:
        directory.mkdir(exist_ok=True)
    except OSError as exc:
        raise BadInput(f"{directory}: cannot create: {exc.strerror or exc}") from None
    nodes = io.StringIO()
    writer = csv.DictWriter(nodes, fieldnames=_NODE_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for iri, data in graph.nodes(data=True):
        writer.writerow({"iri": iri, **data})
    edges = io.StringIO()
    writer = csv.DictWriter(edges, fieldnames=_EDGE_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for s, o, data in graph.edges(data=True):
        writer.writerow({"source": s, "target": o, **data})
    return [
        _write(directory / "nodes.csv", nodes.getvalue().encode("utf-8")),
        _write(directory / "edges.csv", edges.getvalue().encode("utf-8")),
    ]
