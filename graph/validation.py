"""Check the data: syntax (from loading) and the SHACL shapes (pyshacl).

Every finding is one line: `path:line: CURIE (label): path: message`, so an
editor can jump to it.  The line is where the focus node is first written
as a subject; pyshacl itself knows nothing of files.
"""

from __future__ import annotations

import re
from pathlib import Path

from .loading import LoadedData, load
from .locations import shapes_path
from .namespaces import BL, ID, RDFS, curie

__all__ = ["validate_data", "validate_loaded"]

_ASSERTED_IN = BL + "assertedIn"


def validate_data(data_dir: Path, extra_files: list[Path] | None = None) -> tuple[LoadedData, list[str]]:
    """Parse and validate a data directory (plus files not yet in it); return data and problems.

    `extra_files` lets a curator check a draft file against the whole graph
    before moving it into the data directory.
    """
    loaded = load(data_dir, extra_files or [])
    if loaded.problems:
        return loaded, list(loaded.problems)  # shapes over a half-parsed graph only add noise
    return loaded, validate_loaded(loaded)


def _to_rdflib(quads: list):
    """The union of all graphs as one rdflib Graph, plus `bl:assertedIn` facts for the shapes."""
    import pyoxigraph as ox
    from rdflib import Graph

    extra = []
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(ID):
            extra.append(ox.Triple(q.subject, ox.NamedNode(_ASSERTED_IN), q.graph_name))
    triples = [q.triple for q in quads] + extra
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def validate_loaded(loaded: LoadedData) -> list[str]:
    """Run the SHACL shapes over the loaded quads; one message per violation."""
    import pyshacl
    from rdflib import Graph, Namespace, URIRef

    graph = _to_rdflib(loaded.quads)
    shapes = Graph().parse(shapes_path(), format="turtle")
    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True, abort_on_first=False
    )
    if conforms:
        return []
    sh = Namespace("http://www.w3.org/ns/shacl#")
    where = _subject_lines(loaded)
    lines = []
    for result in report.subjects(sh.resultSeverity, sh.Violation):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        message = report.value(result, sh.resultMessage)
        label = graph.value(focus, URIRef(RDFS + "label")) if focus is not None else None
        name = curie(str(focus)) + (f" ({label})" if label else "")
        place = where.get(str(focus), "")
        shown_path = curie(str(path)) if isinstance(path, URIRef) else "(path)" if path is not None else "-"
        lines.append(f"{place + ': ' if place else ''}{name}: {shown_path}: {message}")
    return sorted(set(lines))


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
