"""How a source document is named to an analyst: one rule, used by the CLI, the page and the exports.

A source's display name is built from what the graph records about the
document, not from a free-form label, so every document is named alike:

    Lee Ji-young and Mintaro Oba, “Japan-Korea Relations: Thaws and Tremors”
    (Comparative Connections, January 2020)

its authors (dcterms:creator, in the order of their IRIs), its title, its
publisher and its date at the precision recorded.  A source that lacks a
title keeps its rdfs:label.  Its address (schema:url) is given only where the
document itself shows one.  The label index uses these names, so every
command, the page's footnotes and the exports print the same words.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilateral.graph.namespaces import BL, DCTERMS, RDF, RDFS, SCHEMA

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["SourceName", "display_name", "source_names"]


@dataclass(frozen=True)
class SourceName:
    """A document as an analyst sees it: its display name and, when the document shows one, its address."""

    iri: str
    name: str
    url: str | None = None


def display_name(
    title: str | None,
    creators: list[str],
    publisher: str | None = None,
    issued: str | None = None,
    precision: str | None = "day",
) -> str | None:
    """The display name from a document's parts; None without a title.

    >>> display_name("Thaws and Tremors", ["Lee Ji-young", "Mintaro Oba"], "Comparative Connections", "2020-01-01", "month")
    'Lee Ji-young and Mintaro Oba, “Thaws and Tremors” (Comparative Connections, January 2020)'
    >>> display_name("A strategy", ["Okonogi Masao"], "Yeosijae", "2021-01-11", "day")
    'Okonogi Masao, “A strategy” (Yeosijae, 11 January 2021)'
    """
    if not title:
        return None
    authors = _joined(creators)
    when = _in_words(issued, precision)
    place = ", ".join(p for p in (publisher, when) if p)
    return (f"{authors}, " if authors else "") + f"“{title}”" + (f" ({place})" if place else "")


def _joined(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _in_words(issued: str | None, precision: str | None) -> str | None:
    try:
        day = _dt.date.fromisoformat(issued or "")
    except ValueError:
        return None
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{calendar.month_name[day.month]} {day.year}"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def source_names(store: Store) -> dict[str, SourceName]:
    """Every source of the store by IRI, with its display name and address."""
    import pyoxigraph as ox

    from bilateral.graph.labels import choose_label

    def values(s, p, graph=None) -> list:
        return [q.object for q in store.ox.quads_for_pattern(s, ox.NamedNode(p), None, graph)]

    def label(node) -> str:
        found = [(o.value, getattr(o, "language", None) or "") for o in values(node, RDFS + "label")]
        return choose_label(found, node.value)

    found: dict[str, SourceName] = {}
    for q in store.ox.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(BL + "Source")):
        s = q.subject
        if not isinstance(s, ox.NamedNode) or s.value in found:
            continue
        own = s  # the source describes itself in its own graph; fall back to the union
        title = next((o.value for o in values(s, DCTERMS + "title", own)), None) or next(
            (o.value for o in values(s, DCTERMS + "title")), None
        )
        creators = [label(o) for o in sorted({o for o in values(s, DCTERMS + "creator")}, key=lambda o: o.value)]
        publisher = next((label(o) for o in values(s, DCTERMS + "publisher") if isinstance(o, ox.NamedNode)), None)
        issued = next((o.value for o in values(s, DCTERMS + "issued")), None)
        precision = next((o.value for o in values(s, BL + "datePrecision", own)), None) or "day"
        url = next((o.value for o in values(s, SCHEMA + "url")), None)
        name = display_name(title, creators, publisher, issued, precision) or label(s)
        found[s.value] = SourceName(s.value, name, url)
    return found
