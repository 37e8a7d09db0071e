"""Entity resolution: one function that turns what a user typed into an IRI.

Accepts an IRI (bare or in <>), a CURIE (id:japan, bl:Event), or any label or
alias in any language, insensitive to case, accents, hyphens and spacing.
Every command that takes an entity calls `resolve`.
"""

from __future__ import annotations

from bilateral.graph.errors import Ambiguous, BadInput, NotFound
from bilateral.graph.labels import label_index, normalise
from bilateral.graph.namespaces import ID, expand_curie

__all__ = ["resolve", "exists"]


def exists(store, iri: str) -> bool:
    """True when the IRI occurs as a subject or object in the store."""
    import pyoxigraph as ox

    node = ox.NamedNode(iri)
    return bool(next(iter(store.ox.quads_for_pattern(node, None, None)), None)) or bool(
        next(iter(store.ox.quads_for_pattern(None, None, node)), None)
    )


def resolve(store, text: str) -> str:
    """The IRI `text` names; NotFound or Ambiguous (both exit 2) listing candidates otherwise."""
    text = (text or "").strip()
    if not text:
        raise BadInput("an empty name names nothing")
    iri = None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif text.startswith(("http://", "https://", "urn:")):
        iri = text
    else:
        iri = expand_curie(text)
        if iri is None and all(c.isalnum() or c in "-_." for c in text) and exists(store, ID + text):
            return ID + text  # a bare slug such as issue-forced-labor
    if iri is not None:
        try:
            if exists(store, iri):
                return iri
        except ValueError:
            raise BadInput(f"{text!r} is not a valid IRI") from None
        if text.startswith(("<", "http", "urn:")):
            raise NotFound(text, _closest(store, text.rsplit("/", 1)[-1].rsplit(":", 1)[-1]))
    index = label_index(store)
    wanted = normalise(text)
    by_label, by_alias = set(), set()
    for iri_, names in index.labels.items():
        if any(normalise(n) == wanted for n, _ in names):
            by_label.add(iri_)
    for iri_, names in index.aliases.items():
        if any(normalise(n) == wanted for n, _ in names):
            by_alias.add(iri_)
    matches = by_label or by_alias
    if len(matches) == 1:
        return next(iter(matches))
    if len(matches) > 1:
        raise Ambiguous(text, sorted(((m, index.label(m)) for m in matches), key=lambda p: p[1]))
    raise NotFound(text, _closest(store, text))


def _closest(store, text: str, n: int = 5) -> list[tuple[str, str]]:
    """The entities whose names look most like `text`."""
    from bilateral.graph.explore.searching import search

    return [(hit["iri"], hit["label"]) for hit in search(store, text, limit=n, minimum=0.2)]
