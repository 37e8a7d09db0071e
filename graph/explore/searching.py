"""Fuzzy search over labels and aliases in every language (`bilateral search`)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, TypedDict

from bilateral.graph.labels import LabelIndex, label_index, normalise
from bilateral.graph.namespaces import BL

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["SearchHit", "search", "name_score"]


class SearchHit(TypedDict):
    """One match of `search`: the entity, its English label and types, the score and the name that matched."""

    iri: str
    label: str
    types: list[str]
    score: float
    matched: str


def name_score(query: str, name: str, floor: float = 0.0) -> float:
    """How well a normalised query matches a normalised name, from 0 to 1.

    Exact 1.0; the name starting with the query 0.9; every query word found
    in the name 0.8; a substring (works for Korean and Japanese, which have no
    spaces) 0.75; otherwise the difflib similarity scaled down.  A caller
    that only wants scores above `floor` gets 0.0 for a name whose similarity
    cannot reach it (difflib's cheap upper bounds, checked first), without
    paying for the full comparison.

    >>> name_score("gsomia", "gsomia")
    1.0
    >>> name_score("kang", "kang kyung wha")
    0.9
    """
    if not query or not name:
        return 0.0
    if query == name:
        return 1.0
    if name.startswith(query):
        return 0.9
    words = query.split()
    if len(words) > 1 and all(w in name.split() for w in words):
        return 0.8
    if query in name:
        return 0.75
    matcher = difflib.SequenceMatcher(None, query, name)
    if floor and (
        round(0.7 * matcher.real_quick_ratio(), 3) <= floor or round(0.7 * matcher.quick_ratio(), 3) <= floor
    ):
        return 0.0
    return round(0.7 * matcher.ratio(), 3)


def search(
    store: Store, text: str, *, type_iri: str | None = None, limit: int = 20, minimum: float = 0.35
) -> list[SearchHit]:
    """Entities ranked by how well one of their names matches `text`: [{iri, label, types, score, matched}]."""
    index = label_index(store)
    query = normalise(text)
    ranked: list[tuple[float, str, SearchHit]] = []  # (score, label, hit)
    for iri in set(index.labels) | set(index.aliases):
        if iri not in index.types:
            continue  # only typed entities (not ontology terms, schemes)
        if type_iri and not _has_type(store, iri, type_iri, index):
            continue
        best, matched = 0.0, ""
        for name, _lang in index.names(iri):
            # Only a score above both the best so far and just under `minimum` can change the outcome.
            score = name_score(query, normalise(name), floor=max(best, minimum - 0.001))
            if score > best:
                best, matched = score, name
        if best >= minimum:
            score, label = round(best, 3), index.label(iri)
            hit = SearchHit(iri=iri, label=label, types=index.type_labels(iri), score=score, matched=matched)
            ranked.append((score, label, hit))
    ranked.sort(key=lambda r: (-r[0], len(r[1]), r[1]))
    return [hit for _score, _label, hit in ranked[:limit]]


def _has_type(store: Store, iri: str, type_iri: str, index: LabelIndex) -> bool:
    import pyoxigraph as ox

    node = ox.NamedNode(iri)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return bool(next(iter(store.ox.quads_for_pattern(node, rdf_type, ox.NamedNode(type_iri))), None))


def class_iri(store: Store, text: str) -> str:
    """Resolve a class name (Meeting, bl:Meeting, meeting) to its IRI; BadInput listing classes otherwise."""
    from bilateral.graph.errors import BadInput
    from bilateral.graph.namespaces import expand_curie

    iri = expand_curie(text) or BL + text.strip()
    names = {normalise(c): c for c in _classes(store)}
    found = names.get(normalise(iri[len(BL) :] if iri.startswith(BL) else text))
    if found:
        return BL + found
    raise BadInput(f"unknown class {text!r}; choose one of {', '.join(sorted(names.values()))}")


def _classes(store: Store) -> list[str]:
    rows = store.ox.query(
        f'SELECT DISTINCT ?c WHERE {{ ?c a <http://www.w3.org/2002/07/owl#Class> FILTER(STRSTARTS(STR(?c), "{BL}")) }}',
        use_default_graph_as_union=True,
    )
    return [r["c"].value[len(BL) :] for r in rows]


__all__ += ["class_iri"]
