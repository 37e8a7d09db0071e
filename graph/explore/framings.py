"""How each side frames one issue (`bilateral framings`): its positions grouped by holder side.

Comparing framings is the point of the issue view: what Japan says beside what
South Korea says, with the United States, other holders and authors'
interpretations apart, each position with its stance, quotes, date and sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.graph.dates import Dating, best_dating
from bilateral.graph.errors import NothingFound
from bilateral.graph.explore.timelines import actor_circle
from bilateral.graph.labels import label_index
from bilateral.graph.namespaces import BL, ID
from bilateral.graph.ordering import in_order

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["SIDES", "framings"]

# Group name -> the state whose circle (bodies, people, offices) counts as that side.
SIDES = {"Japan": "japan", "South Korea": "south-korea", "United States": "united-states"}
_GROUPS = [*SIDES, "others", "interpretations"]
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DATE_PARTS = {
    BL + "startDate": "start",
    BL + "datePrecision": "precision",
    BL + "notBefore": "not_before",
    BL + "notAfter": "not_after",
}


def framings(store: Store, issue_iri: str) -> dict:
    """The positions on `issue_iri`, grouped by side; NothingFound (exit 1) when there are none.

    A position goes to the side of the first of its holders that is a state of
    SIDES or reaches one (`actor_circle`: bodies, people, offices); a
    bl:Interpretation goes to "interpretations" whoever holds it.
    """
    import pyoxigraph as ox

    index = label_index(store)
    positions = _positions(store, ox, issue_iri)
    if not positions:
        raise NothingFound(f"no positions concern {index.label(issue_iri)!r}")
    circles = {side: actor_circle(store, _state_iri(store, ox, slug)) for side, slug in SIDES.items()}
    sources = _source_graphs(store, ox)
    grouped: dict[str, list[str]] = {g: [] for g in _GROUPS}
    described = {iri: _describe(store, ox, index, iri, sources) for iri in positions}
    for iri in positions:
        grouped[_group_of(store, ox, iri, described[iri], circles)].append(iri)
    groups = {}
    for name, members in grouped.items():
        ordered = in_order(sorted(members), lambda i: described[i]["_dating"].sort_start, index.label)
        groups[name] = [{k: v for k, v in described[i].items() if k != "_dating"} for i in ordered]
    return {"issue": {"iri": issue_iri, "label": index.label(issue_iri)}, "groups": groups}


def _state_iri(store: Store, ox, slug: str) -> str:
    """The IRI of a side's state, in the namespace the data uses (id:japan …)."""
    return ID + slug


def _positions(store: Store, ox, issue_iri: str) -> list[str]:
    """Positions (and interpretations) that bl:concerns the issue."""
    query = f"""
    SELECT DISTINCT ?p WHERE {{
      ?p <{BL}concerns> <{issue_iri}> .
      {{ ?p a <{BL}Position> }} UNION {{ ?p a <{BL}Interpretation> }}
    }}"""
    return sorted({r["p"].value for r in store.ox.query(query, use_default_graph_as_union=True)})


def _source_graphs(store: Store, ox) -> set[str]:
    return {
        q.subject.value for q in store.ox.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(BL + "Source"))
    }


def _values(store: Store, ox, node, predicate: str) -> list[str]:
    return sorted({q.object.value for q in store.ox.quads_for_pattern(node, ox.NamedNode(predicate), None)})


def _dating(store: Store, ox, node) -> Dating:
    """The shown dating of a position: each graph's dating read on its own, the most precise taken."""
    parts: dict[str, dict[str, str]] = {}
    for q in store.ox.quads_for_pattern(node, None, None):
        part = _DATE_PARTS.get(q.predicate.value)
        if part:
            parts.setdefault(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", {}).setdefault(
                part, q.object.value
            )
    return best_dating([Dating.of(**p) for p in parts.values()]) if parts else Dating.of()


def _describe(store: Store, ox, index, iri: str, sources: set[str]) -> dict:
    """The contract object of one position."""
    node = ox.NamedNode(iri)
    holders = _values(store, ox, node, BL + "holder")
    dating = _dating(store, ox, node)
    graphs = sorted(
        {
            q.graph_name.value
            for q in store.ox.quads_for_pattern(node, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in sources
        }
    )
    return {
        "iri": iri,
        "label": index.label(iri),
        "holder": {"iri": holders[0], "label": index.label(holders[0])} if holders else None,
        "holders": [{"iri": h, "label": index.label(h)} for h in holders],
        "stance": next(iter(_values(store, ox, node, BL + "stance")), None),
        "quotes": _values(store, ox, node, BL + "quote"),
        "date": dating.text() if dating.known else None,
        "interpretation": bool(
            next(
                iter(store.ox.quads_for_pattern(node, ox.NamedNode(_RDF_TYPE), ox.NamedNode(BL + "Interpretation"))),
                None,
            )
        ),
        "sources": [index.label(g) for g in graphs],
        "_dating": dating,
    }


def _group_of(store: Store, ox, iri: str, position: dict, circles: dict[str, set[str]]) -> str:
    """The group a position goes to: interpretations apart, else the side of its first holder that has one."""
    if position["interpretation"]:
        return "interpretations"
    for holder in position["holders"]:
        for side, circle in circles.items():
            if holder["iri"] in circle:
                return side
    return "others"
