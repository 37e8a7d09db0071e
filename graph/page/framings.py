"""The framings in the page: each issue's positions grouped by side, and whose claim each entity is.

`bilateral framings` (graph/explore/framings.py) decides the sides and the
groups; this module only packs its result for the page script
(static/framings.js), which shows an issue's framings in its card and lets the
reader see one side's account with the claims only others make dimmed.

A *claim* is something the graph attributes to a holder: a position (its
bl:holder), a proposal (bl:proposedBy), a statement (its bl:agent) and an
author's interpretation.  `claims[iri]` lists the groups it belongs to: every
side whose circle holds one of its holders, else "others"; an interpretation is
always "interpretations" (an author's reading, in no side's account).
Everything else (actors, events, accords, issues and the relations the
documents report) is nobody's claim and is never dimmed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bilateral.graph.explore.framings import INTERPRETATIONS, OTHERS, Framer
from bilateral.graph.namespaces import BL, RDF, SCHEMA

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["page_framings"]

#: The attributed kinds of thing and the property that names whose claim each is.
_CLAIMANT = {"Position": "holder", "Interpretation": "holder", "Proposal": "proposedBy", "Statement": "agent"}


def page_framings(store: Store, entities: Iterable[str]) -> dict:
    """The page's `framings`: sides, groups, positions, issues' groups, claims and source addresses.

    Only what is on the page: the issues among `entities` that positions
    concern, and the claims among `entities`.
    """
    framer = Framer(store)
    on_page = set(entities)
    issues: dict[str, dict[str, list[str]]] = {}
    for issue in sorted(on_page & _typed(store, "Issue")):
        positions = framer.positions_on(issue)
        if positions:
            issues[issue] = {g: [p["iri"] for p in ps] for g, ps in framer.grouped(positions).items() if ps}
    shown = {iri for groups in issues.values() for members in groups.values() for iri in members}
    return {
        "sides": [{"name": s.name, "iri": s.iri, "role": s.role} for s in framer.sides],
        "groups": framer.groups,
        "positions": {iri: _compact(framer, iri) for iri in sorted(shown)},
        "issues": issues,
        "claims": _claims(store, framer, on_page),
        "links": _source_links(store, framer),
    }


def _compact(framer: Framer, iri: str) -> dict:
    """A position as the card shows it: no IRIs but its own, holders and sources by name."""
    p = framer.public(iri)
    return {
        "label": p["label"],
        "holders": [h["label"] for h in p["holders"]],
        "stance": p["stance"],
        "quotes": p["quotes"],
        "date": p["date"],
        "sources": p["sources"],
        "claim": _groups_of(framer, iri, "holder"),
    }


def _claims(store: Store, framer: Framer, on_page: set[str]) -> dict[str, list[str]]:
    """Each attributed claim on the page → the groups whose claim it is."""
    claims: dict[str, list[str]] = {}
    for kind, predicate in _CLAIMANT.items():
        for iri in sorted(on_page & _typed(store, kind)):
            if kind != "Statement" or framer.values(iri, BL + predicate):
                claims[iri] = _groups_of(framer, iri, predicate)
    return claims


def _groups_of(framer: Framer, iri: str, predicate: str) -> list[str]:
    """Interpretations apart; else every side one of its claimants is in; else others."""
    if BL + "Interpretation" in framer.values(iri, RDF + "type"):
        return [INTERPRETATIONS]
    return framer.sides_of(framer.values(iri, BL + predicate)) or [OTHERS]


def _typed(store: Store, local: str) -> set[str]:
    import pyoxigraph as ox

    pattern = store.ox.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(BL + local))
    return {q.subject.value for q in pattern if isinstance(q.subject, ox.NamedNode)}


def _source_links(store: Store, framer: Framer) -> dict[str, str]:
    """Source display name → its address, for sources that record one (schema:url); http(s) only."""
    links: dict[str, str] = {}
    for source in sorted(framer.sources):
        for url in framer.values(source, SCHEMA + "url"):
            if url.lower().startswith(("https://", "http://")):
                links.setdefault(framer.index.label(source), url)
    return links
