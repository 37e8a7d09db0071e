"""SHACL validation of an import before it counts (shapes.ttl: blsh:CodedEvent, CodedActor, Import, CameoType).

What is checked: the import's metadata, every coded actor, and a sample of its
events (`SAMPLE` spread evenly over the file order, first and last included;
every event when there are fewer), together with the CAMEO scheme, the
ontology (for rdfs:subClassOf) and the rdf:type of each curated entity the
import links to.  Events are written by one function from checked rows, so a
fault in it shows in any sample; the sample keeps validation near a tenth of a
second where validating a million events would take longer than the import.
The curated shapes (sources, participants) are not applied: coded data cites
its file and line, not a document.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from bilateral.graph.errors import InvalidData
from bilateral.graph.namespaces import RDF, curie

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph

    from bilateral.graph.storage.protocol import Store

__all__ = ["IMPORT_SHAPES", "SAMPLE", "check_import", "sample_positions"]

#: The shapes an import is checked against (their closures are taken from shapes.ttl).
IMPORT_SHAPES = ("CodedEvent", "CodedActor", "Import", "CameoType")
#: How many events of an import are validated.
SAMPLE = 500


def sample_positions(count: int, size: int = SAMPLE) -> set[int]:
    """Positions 0..count-1 to validate: all when few, else `size` spread evenly with first and last."""
    if count <= size:
        return set(range(count))
    step = (count - 1) / (size - 1)
    return {round(i * step) for i in range(size)}


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    """The import shapes of shapes.ttl with their blank-node closures (lists, property shapes)."""
    from rdflib import BNode, Graph, URIRef

    from bilateral.graph.locations import shapes_path

    every = Graph().parse(shapes_path(), format="turtle")
    chosen = Graph()
    todo: list[URIRef | BNode] = [URIRef(f"https://w3id.org/bilateral/shapes#{name}") for name in IMPORT_SHAPES]
    seen: set[URIRef | BNode] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in every.predicate_objects(node):
            chosen.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return chosen


def _curated_types(store: Store, iris: set[str]) -> str:
    """`<iri> rdf:type <class>` for each curated entity in `iris`, as N-Triples."""
    import pyoxigraph as ox

    lines = []
    kind = ox.NamedNode(RDF + "type")
    for iri in sorted(iris):
        for quad in store.ox.quads_for_pattern(ox.NamedNode(iri), kind, None):
            lines.append(f"<{iri}> <{RDF}type> {quad.object} .")
    return "\n".join(lines) + "\n"


def check_import(store: Store, checked: list[str], curated: set[str]) -> None:
    """Validate the quads `checked` (N-Quads lines of the import) against the import shapes.

    InvalidData (exit 1) lists the violations, one line each, when the import
    does not conform; nothing of it has counted yet, so nothing is half-imported.
    """
    import pyoxigraph as ox

    from bilateral.graph.events.nquads import cameo_nquads
    from bilateral.graph.locations import ontology_path

    data = ox.Store()
    data.load(("\n".join(checked) + "\n").encode(), format=ox.RdfFormat.N_QUADS, to_graph=ox.DefaultGraph())
    data.load(cameo_nquads().encode(), format=ox.RdfFormat.N_QUADS, to_graph=ox.DefaultGraph())
    data.load(_curated_types(store, curated).encode(), format=ox.RdfFormat.N_TRIPLES)
    data.load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
    problems = _violations(data)
    if problems:
        shown = problems[:10] + ([f"... and {len(problems) - 10} more"] if len(problems) > 10 else [])
        raise InvalidData(["the import does not conform to shapes.ttl, nothing imported:", *shown])


def _violations(data: ox.Store) -> list[str]:
    """One line per violation: `CURIE: path: message`."""
    import logging

    from rdflib import Namespace, URIRef

    rdflib_log = logging.getLogger("rdflib.term")
    level = rdflib_log.level
    rdflib_log.setLevel(logging.CRITICAL)
    try:
        try:
            import pyshacl_turbo as engine

            conforms, report, _ = engine.validate(data, shacl_graph=_shapes(), inference="none", allow_warnings=True)
        except ImportError:
            import pyoxigraph as ox
            import pyshacl
            from rdflib import Graph

            text = data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            if text is None:  # only when given an output file
                raise TypeError("pyoxigraph wrote to a file where bytes were asked for") from None
            graph = Graph().parse(data=text.decode("utf-8"), format="nt")
            conforms, report, _ = pyshacl.validate(graph, shacl_graph=_shapes(), inference="none", allow_warnings=True)
    finally:
        rdflib_log.setLevel(level)
    if conforms:
        return []
    sh = Namespace("http://www.w3.org/ns/shacl#")
    lines = []
    for result in report.subjects(sh.resultSeverity, sh.Violation):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        shown = curie(str(path)) if isinstance(path, URIRef) else "(path)"
        lines.append(f"{curie(str(focus))}: {shown}: {report.value(result, sh.resultMessage)}")
    return sorted(set(lines))
