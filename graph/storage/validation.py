"""Check the data: syntax (from loading) and the SHACL shapes (pyshacl-turbo or pySHACL).

Every finding is one line: `path:line: CURIE (label): path: message`, so an
editor can jump to it.  The line is where the focus node is first written
as a subject; pyshacl itself knows nothing of files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bilateral.graph.labels import choose_label
from bilateral.graph.locations import shapes_path
from bilateral.graph.namespaces import BL, ID, RDFS, curie
from bilateral.graph.storage.loading import LoadedData, load

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.term import Node

#: A label for an IRI, or None when it has none (a finding then shows the CURIE alone).
LabelOf = Callable[[str], "str | None"]

__all__ = ["ENGINES", "dates_per_graph", "validate_data", "validate_loaded"]

_ASSERTED_IN = BL + "assertedIn"


def validate_data(
    data_dir: Path, extra_files: list[Path] | None = None, engine: str = "turbo"
) -> tuple[LoadedData, list[str]]:
    """Parse and validate a data directory (plus files not yet in it); return data and problems.

    `extra_files` lets a curator check a draft file against the whole graph
    before moving it into the data directory.
    """
    loaded = load(data_dir, extra_files or [])
    if loaded.problems:
        return loaded, list(loaded.problems)  # shapes over a half-parsed graph only add noise
    return loaded, validate_loaded(loaded, engine)


def _asserted_in(quads: list[ox.Quad]) -> list[ox.Quad]:
    """`?s bl:assertedIn ?graph` for every subject of every source graph (see shapes.ttl)."""
    import pyoxigraph as ox

    asserted = ox.NamedNode(_ASSERTED_IN)
    return list(
        {
            ox.Quad(q.subject, asserted, q.graph_name)
            for q in quads
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(ID)
        }
    )


def _to_rdflib(quads: list[ox.Quad]) -> Graph:
    """The union of all graphs as one rdflib Graph (for pySHACL, the reference engine)."""
    import pyoxigraph as ox
    from rdflib import Graph

    triples = [q.triple for q in quads] + [q.triple for q in _asserted_in(quads)]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    if data is None:  # only when given an output file
        raise TypeError("pyoxigraph wrote to a file where bytes were asked for")
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def _to_oxigraph(quads: list[ox.Quad]) -> ox.Store:
    """The union of all graphs as an in-memory pyoxigraph Store (for pyshacl-turbo)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in _asserted_in(quads))
    return store


ENGINES = ("turbo", "pyshacl")


def _shapes() -> Graph:
    """shapes.ttl as a fresh rdflib Graph: parsed once per process (40 ms), copied per validation (3 ms).

    A copy, so that no engine's bookkeeping on the shapes graph can reach the
    next validation; re-parsed when the file changes.
    """
    from rdflib import Graph

    path = shapes_path()
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _SHAPES:
        _SHAPES.clear()
        _SHAPES[key] = tuple(Graph().parse(path, format="turtle"))
    shapes = Graph()
    shapes.addN((subject, predicate, obj, shapes) for subject, predicate, obj in _SHAPES[key])
    return shapes


#: shapes.ttl's triples, under its (path, mtime, size): one entry.
_SHAPES: dict[tuple[str, int, int], tuple[tuple[Node, Node, Node], ...]] = {}


def validate_loaded(loaded: LoadedData, engine: str = "turbo") -> list[str]:
    """Run the SHACL shapes over the loaded quads; one message per violation.

    Two engines read the same shapes.ttl and give the same results (a test
    holds them to it): pyshacl-turbo (a Rust SHACL engine with pySHACL's API,
    run on an in-memory pyoxigraph store, about 10x faster and needing no
    rdflib parse, so a million triples validate in seconds) and pySHACL, the
    reference (`bilateral validate --engine pyshacl`).  If pyshacl-turbo is
    not importable, pySHACL is used.
    """
    import logging

    from rdflib import Namespace, URIRef

    shapes = _shapes()
    rdflib_log = logging.getLogger("rdflib.term")
    level = rdflib_log.level
    rdflib_log.setLevel(logging.CRITICAL)  # ill-typed literals are reported as violations, not logged
    try:
        if engine == "turbo":
            try:
                import pyshacl_turbo
            except ImportError:
                engine = "pyshacl"
        if engine == "turbo":
            store = _to_oxigraph(loaded.quads)
            conforms, report, _ = pyshacl_turbo.validate(
                store, shacl_graph=shapes, inference="none", allow_warnings=True
            )
            label_of = _oxigraph_labels(store)
        else:
            import pyshacl

            graph = _to_rdflib(loaded.quads)
            try:
                conforms, report, _ = pyshacl.validate(
                    graph, shacl_graph=shapes, inference="none", allow_warnings=True, abort_on_first=False
                )
            except Exception as exc:  # noqa: BLE001 - pySHACL fails on some ill-typed literals
                return [
                    (
                        f"pySHACL could not validate this data ({type(exc).__name__}: {exc}); "
                        "an ill-typed literal is the usual cause: try --engine turbo"
                    )
                ]
            label_of = _rdflib_labels(graph)
    finally:
        rdflib_log.setLevel(level)
    where = _subject_lines(loaded)
    per_graph = dates_per_graph(loaded.quads, where, label_of)
    if conforms:
        return per_graph
    sh = Namespace("http://www.w3.org/ns/shacl#")
    lines = list(per_graph)
    for result in report.subjects(sh.resultSeverity, sh.Violation):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        message = report.value(result, sh.resultMessage)
        label = label_of(str(focus)) if focus is not None else None
        name = curie(str(focus)) + (f" ({label})" if label else "")
        place = where.get(str(focus), "")
        shown_path = curie(str(path)) if isinstance(path, URIRef) else "(path)" if path is not None else None
        # A node-level constraint (sh:or over the date and its bounds) has no path: say just the message.
        lines.append(f"{place + ': ' if place else ''}{name}: {shown_path + ': ' if shown_path else ''}{message}")
    return sorted(set(lines))


def _oxigraph_labels(store: ox.Store) -> LabelOf:
    import pyoxigraph as ox

    def label(iri: str) -> str | None:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return None
        found = [
            (q.object.value, getattr(q.object, "language", None) or "")
            for q in store.quads_for_pattern(node, ox.NamedNode(RDFS + "label"), None)
            if not isinstance(q.object, ox.Triple)  # never one (parse_file refuses them); the type allows it
        ]
        return choose_label(found, iri) if found else None

    return label


def _rdflib_labels(graph: Graph) -> LabelOf:
    from rdflib import URIRef

    def label(iri: str) -> str | None:
        found = [
            (str(v), getattr(v, "language", None) or "") for v in graph.objects(URIRef(iri), URIRef(RDFS + "label"))
        ]
        return choose_label(found, iri) if found else None

    return label


def _subject_lines(loaded: LoadedData) -> dict[str, str]:
    """Map an entity IRI to `path:line` where it is first written as a subject."""
    found: dict[str, str] = {}
    pattern = re.compile(r"^\s*(id:[A-Za-z0-9_.\-]+|<[^>]+>)")
    for path, text in loaded.texts.items():
        for number, line in enumerate(text.splitlines(), start=1):
            m = pattern.match(line)
            if not m:
                continue
            token = m.group(1)
            iri = ID + token[3:] if token.startswith("id:") else token[1:-1]
            found.setdefault(iri, f"{path}:{number}")
    return found


_SINGLE_PER_GRAPH = ("startDate", "endDate", "datePrecision", "notBefore", "notAfter")
_ORDERED_PER_GRAPH = (("startDate", "endDate"), ("notBefore", "notAfter"))


def dates_per_graph(quads: list[ox.Quad], where: dict[str, str], label_of: LabelOf) -> list[str]:
    """At most one date, precision and bound per entity *in each graph*; start not after end in that graph.

    Two documents may disagree on a date, and both dates stay, each in the
    graph of its document; so the cardinality holds per graph, not over the
    union (where the shapes would see two dates).  Same line format as SHACL.
    """
    import pyoxigraph as ox

    values: dict[tuple[str, str, str], set[str]] = {}
    for q in quads:
        p = q.predicate.value
        if not p.startswith(BL) or p[len(BL) :] not in _SINGLE_PER_GRAPH or not isinstance(q.subject, ox.NamedNode):
            continue
        if isinstance(q.object, ox.Triple):  # never one (parse_file refuses them); the type allows it
            continue
        graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        values.setdefault((q.subject.value, graph, p[len(BL) :]), set()).add(q.object.value)
    lines = []
    for (s, graph, name), found in values.items():
        if len(found) > 1:
            lines.append(
                _date_line(
                    s,
                    graph,
                    name,
                    f"at most one bl:{name} in a graph; found {', '.join(sorted(found))}",
                    where,
                    label_of,
                )
            )
    for first, last in _ORDERED_PER_GRAPH:
        for (s, graph, name), found in values.items():
            if name != first:
                continue
            ends = values.get((s, graph, last), set())
            if any(a > b for a in found for b in ends):  # ISO dates compare as text
                lines.append(
                    _date_line(s, graph, name, f"bl:{first} is after bl:{last} in this graph", where, label_of)
                )
    return sorted(set(lines))


def _date_line(s: str, graph: str, name: str, message: str, where: dict[str, str], label_of: LabelOf) -> str:
    label = label_of(s)
    place = where.get(s, "")
    in_graph = f" (in {curie(graph)})" if graph else " (in the default graph)"
    return f"{place + ': ' if place else ''}{curie(s)}{f' ({label})' if label else ''}: bl:{name}: {message}{in_graph}"
