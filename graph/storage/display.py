"""bl:displayDate, computed at build: every date as the one formatting rule shows it.

A named or custom SPARQL query reads `?x bl:displayDate ?when` and gets
"2019-07" for a month, "2019" for a year, "between 2019-06 and 2019-08" for
bounds, exactly as the CLI, the page and the exports print them
(graph/dates.py).  Each value sits in the graph whose dating it formats, so
documents that date a thing differently each keep their own.
"""

from __future__ import annotations

from bilateral.graph.dates import Dating
from bilateral.graph.namespaces import BL, DCTERMS

__all__ = ["DISPLAY_DATE", "display_dates"]

#: The predicate the build adds.
DISPLAY_DATE = BL + "displayDate"

_PARTS = {
    BL + "startDate": "start",
    BL + "datePrecision": "precision",
    BL + "notBefore": "not_before",
    BL + "notAfter": "not_after",
    DCTERMS + "issued": "start",  # a source's date, with its bl:datePrecision
}


def display_dates(quads: list) -> list:
    """One bl:displayDate quad per (subject, graph) that carries a date or a bound."""
    import pyoxigraph as ox

    found: dict[tuple, dict[str, str]] = {}
    for q in quads:
        part = _PARTS.get(q.predicate.value)
        if part is not None:
            found.setdefault((q.subject, q.graph_name), {}).setdefault(part, q.object.value)
    added = []
    predicate = ox.NamedNode(DISPLAY_DATE)
    for (subject, graph), parts in found.items():
        text = Dating.of(**parts).text()
        if text:
            added.append(ox.Quad(subject, predicate, ox.Literal(text), graph))
    return added
