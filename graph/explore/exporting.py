"""Export the graph for other tools: RDF (ttl, trig, nq, jsonld) and networks (graphml, gexf, csv).

RDF exports carry the ontology and every source graph (TriG, N-Quads and
JSON-LD keep the named graphs; Turtle is the union).  Network exports carry
the NetworkX projection, with list attributes joined by "; " since GraphML
and GEXF hold scalars only.  Every file is written atomically.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

from bilateral.graph.errors import BadInput

if TYPE_CHECKING:
    import networkx as nx

    from bilateral.graph.dates import Dating
    from bilateral.graph.storage.protocol import Store

__all__ = ["FORMATS", "export"]

FORMATS = ("ttl", "trig", "nq", "jsonld", "graphml", "gexf", "csv")


def export(store: Store, fmt: str, output: Path) -> list[Path]:
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

    graph = _flat(_timed(project(store), store))
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


def _rdf_bytes(store: Store, fmt: str) -> bytes:
    import pyoxigraph as ox

    if fmt == "trig":
        return _written(store.ox.dump(format=ox.RdfFormat.TRIG, prefixes=_prefixes()))
    if fmt == "nq":
        return _written(store.ox.dump(format=ox.RdfFormat.N_QUADS))
    if fmt == "jsonld":
        return _written(store.ox.dump(format=ox.RdfFormat.JSON_LD))
    triples = {q.triple for q in store.ox}
    return _written(ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=_prefixes()))


def _written(data: bytes | None) -> bytes:
    """The bytes pyoxigraph returns when given no output file (typed `bytes | None` for the file case)."""
    if data is None:
        raise TypeError("pyoxigraph wrote to a file where bytes were asked for")
    return data


def _prefixes() -> dict[str, str]:
    from bilateral.graph.namespaces import PREFIXES

    return dict(PREFIXES)


#: Statuses that end the life of an accord or a measure (its spell in GEXF ends there).
_ENDING = {"Terminated", "Neutralised", "Lifted"}


def _timed(projection: nx.MultiDiGraph, store: Store) -> nx.MultiDiGraph:
    """A copy with dates by the one rule and spells: `start`/`end` (ISO days) on nodes and edges.

    A node's spell starts at the start of its period (graph/dates.py: the
    most precise dating the documents give) and, for an accord or a measure,
    ends with the first status change that ends it (terminated, neutralised,
    lifted) or its bl:endDate; an edge lives while both its ends do.  Actors
    and issues have no spell: they are there throughout.  `date` is the
    formatted date ("2019-07"), `precision` day|month|year|bounds.
    """
    from bilateral.graph.dates import as_date, best_dating
    from bilateral.graph.namespaces import BL
    from bilateral.graph.time.lifecycle import datings_by_graph, status_changes

    graph = projection.copy()
    per_thing: dict[str, list[Dating]] = {}
    for (thing, _graph), dating in datings_by_graph(store).items():
        per_thing.setdefault(thing, []).append(dating)
    endings: dict[str, _dt.date] = {}
    for change in status_changes(store):
        day = change.dating.sort_start
        if change.status[len(BL) :] in _ENDING and day:
            endings[change.subject] = min(day, endings.get(change.subject, day))
    for iri, data in graph.nodes(data=True):
        dating = best_dating(per_thing.get(iri, []))
        expires = as_date(data.pop("end", None))
        data.pop("date", None), data.pop("precision", None)
        start = dating.sort_start
        if start is None:
            continue
        data.update(date=dating.text(), precision=dating.precision_label, start=start.isoformat())
        ends = [d for d in (endings.get(iri), expires) if d and d >= start]
        if ends:
            data["end"] = min(ends).isoformat()
    for s, o, data in graph.edges(data=True):
        starts = [graph.nodes[n]["start"] for n in (s, o) if "start" in graph.nodes[n]]
        ends = [graph.nodes[n]["end"] for n in (s, o) if "end" in graph.nodes[n]]
        if starts:
            data["start"] = max(starts)
        if ends and (not starts or min(ends) >= max(starts)):
            data["end"] = min(ends)
    return graph


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
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


# Gephi's spreadsheet import reads Id, Label, Source, Target and Type without mapping; ours follow.
_NODE_FIELDS = ["Id", "Label", "Type", "types", "date", "precision", "description"]
_EDGE_FIELDS = ["Source", "Target", "Type", "Label", "predicate", "sources", "source_iris"]


def _write_csv(graph: nx.MultiDiGraph, directory: Path) -> list[Path]:
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
        writer.writerow({**data, "Id": iri, "Label": data.get("label", ""), "Type": data.get("type", "")})
    edges = io.StringIO()
    writer = csv.DictWriter(edges, fieldnames=_EDGE_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for s, o, data in graph.edges(data=True):
        writer.writerow({**data, "Source": s, "Target": o, "Type": "Directed", "Label": data.get("label", "")})
    return [
        _write(directory / "nodes.csv", nodes.getvalue().encode("utf-8")),
        _write(directory / "edges.csv", edges.getvalue().encode("utf-8")),
    ]
