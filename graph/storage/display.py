"""bl:displayDate, computed at build: every date as the one formatting rule shows it.

A named or custom SPARQL query reads `?x bl:displayDate ?when` and gets
"2019-07" for a month, "2019" for a year, "between 2019-06 and 2019-08" for
bounds, exactly as the CLI, the page and the exports print them
(graph/dates.py).  Each value sits in the graph whose dating it formats, so
documents that date a thing differently each keep their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.graph.dates import Dating
from bilateral.graph.namespaces import BL, DCTERMS
from bilateral.graph.vocabulary import DATING_PARTS, RESPONDS_TO

if TYPE_CHECKING:
    import pyoxigraph as ox

    from bilateral.graph.storage.protocol import QuadStore
    from bilateral.graph.time.lifecycle import StatusChange

__all__ = ["DISPLAY_DATE", "display_dates", "lifecycle_summary"]

#: The predicate the build adds.
DISPLAY_DATE = BL + "displayDate"

_PARTS = {**DATING_PARTS, DCTERMS + "issued": "start"}  # a source's date, with its bl:datePrecision


def display_dates(quads: list[ox.Quad]) -> list[ox.Quad]:
    """One bl:displayDate quad per (subject, graph) that carries a date or a bound."""
    import pyoxigraph as ox

    found: dict[
        tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode | ox.BlankNode | ox.DefaultGraph], dict[str, str]
    ]
    found = {}
    for q in quads:
        part = _PARTS.get(q.predicate.value)
        if part is not None and not isinstance(q.object, ox.Triple):  # never one (parse_file refuses them)
            found.setdefault((q.subject, q.graph_name), {}).setdefault(part, q.object.value)
    added: list[ox.Quad] = []
    predicate = ox.NamedNode(DISPLAY_DATE)
    for (subject, graph), parts in found.items():
        text = Dating.of(**parts).text()
        if text:
            added.append(ox.Quad(subject, predicate, ox.Literal(text), graph))
    return added


def lifecycle_summary(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Each status change's date and place in its subject's history, and each subject's current status.

    Computed at build with the rules of graph/time/lifecycle.py (which
    depend only on the foundations), so a plain SPARQL query, such as the
    `accords` named query, reads `bl:currentStatus`, `bl:displayDate` and
    `bl:historyIndex` in the default graph.  Nothing is done (and no store
    is made) when the data has no status change.
    """
    import pyoxigraph as ox

    if not any(q.predicate.value == BL + "statusOf" for q in quads):
        return []
    from bilateral.graph.time.lifecycle import history, status_changes

    memory = ox.Store()
    memory.bulk_extend(quads)
    reader = _Reader(memory)
    changes = status_changes(reader)
    answers: dict[str, set[str]] = {}
    for row in reader.ox.query(_ANSWERS, use_default_graph_as_union=True):
        answers.setdefault(row["a"].value, set()).add(row["b"].value)
    rows = reader.ox.query(_LABELS, use_default_graph_as_union=True)
    labels = {r["s"].value: r["l"].value for r in rows}
    by_subject: dict[str, list[StatusChange]] = {}
    for change in changes:
        by_subject.setdefault(change.subject, []).append(change)
    added: list[ox.Quad] = []
    for subject, own in sorted(by_subject.items()):
        ordered = history(own, answers, lambda iri: labels.get(iri, iri))
        for position, change in enumerate(ordered, 1):
            node = ox.NamedNode(change.iri)
            text = change.dating.text()
            if text:
                added.append(ox.Quad(node, ox.NamedNode(DISPLAY_DATE), ox.Literal(text), ox.DefaultGraph()))
            added.append(ox.Quad(node, ox.NamedNode(BL + "historyIndex"), ox.Literal(position), ox.DefaultGraph()))
        added.append(
            ox.Quad(
                ox.NamedNode(subject),
                ox.NamedNode(BL + "currentStatus"),
                ox.NamedNode(ordered[-1].status),
                ox.DefaultGraph(),
            )
        )
    return added


class _Reader:
    """The one attribute the lifecycle reader needs of a store."""

    def __init__(self, memory: QuadStore) -> None:
        self.ox = memory


_ANSWERS = f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{RESPONDS_TO}> ?b }}"
_LABELS = """SELECT ?s ?l WHERE {
  ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = "en")
}"""
