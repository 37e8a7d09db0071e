"""Entity resolution: one function that turns what a user typed into an IRI.

Accepts an IRI (bare or in <>), a CURIE (id:japan, bl:Event), or any label or
alias in any language, insensitive to case, accents, hyphens and spacing.
Every command that takes an entity calls `resolve`, or `resolve_as` when it
expects a kind of entity (`--issue` an issue, `chain` an event, `--actor` an
actor) or prefers one (`path` prefers issues): a name that fits several
entities then takes the one of that kind, and says which in `Resolved.note`
(the CLI prints it on stderr); a name of the wrong kind is an error naming
the kind expected, never a silent empty answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilateral.graph.errors import Ambiguous, BadInput, NotFound, WrongKind
from bilateral.graph.kinds import KIND_NAMES, KINDS
from bilateral.graph.labels import label_index, normalise
from bilateral.graph.namespaces import ID, RDF, expand_curie

if TYPE_CHECKING:
    from bilateral.graph.labels import LabelIndex
    from bilateral.graph.storage.protocol import Store

__all__ = ["Resolved", "exists", "kind", "resolve", "resolve_as"]


@dataclass(frozen=True)
class Resolved:
    """The entity a name was taken to mean, and what to tell the user when a choice was made."""

    iri: str
    note: str | None = None


def exists(store: Store, iri: str) -> bool:
    """True when the IRI occurs as a subject or object in the store."""
    import pyoxigraph as ox

    node = ox.NamedNode(iri)
    return bool(next(iter(store.ox.quads_for_pattern(node, None, None)), None)) or bool(
        next(iter(store.ox.quads_for_pattern(None, None, node)), None)
    )


def kind(store: Store, iri: str) -> str | None:
    """The kind of an entity ("issue", "event", "actor" …; see graph/kinds.py), from its (inferred) classes."""
    import pyoxigraph as ox

    node, a = ox.NamedNode(iri), ox.NamedNode(RDF + "type")
    for name, classes in KINDS.items():
        for cls in classes:
            if next(iter(store.ox.quads_for_pattern(node, a, ox.NamedNode(cls))), None):
                return name
    return None


def resolve(store: Store, text: str) -> str:
    """The IRI `text` names; NotFound or Ambiguous (both exit 2) listing candidates otherwise."""
    return resolve_as(store, text).iri


def resolve_as(store: Store, text: str, *, expect: str | None = None, prefer: str | None = None) -> Resolved:
    """The entity `text` names, of the kind `expect` (required) or `prefer` (chosen among several).

    `expect`: a name that fits entities of several kinds takes the one of
    that kind; when none is of that kind, one entity of that kind whose name
    contains the text as words is taken ("GSOMIA" → the issue "GSOMIA
    intelligence sharing"), else WrongKind (exit 2) names what was expected.
    `prefer`: among several entities, the only one of that kind is taken.
    """
    text = (text or "").strip()
    if not text:
        raise BadInput("an empty name names nothing")
    explicit = _explicit_iri(store, text)
    if explicit is not None:
        if expect and kind(store, explicit) != expect:
            raise WrongKind(text, KIND_NAMES[expect], [_described(store, explicit)], [])
        return Resolved(explicit)
    index = label_index(store)
    by_label, by_alias = _matches(index, normalise(text))
    wanted = expect or prefer
    if wanted:
        chosen = _the_one_of_kind(store, text, by_label, by_alias, wanted)
        if chosen is not None:
            return chosen
    if expect:
        return _by_words(store, text, expect, sorted(by_label | by_alias))
    matches = by_label or by_alias
    if len(matches) == 1:
        return Resolved(next(iter(matches)))
    if len(matches) > 1:
        raise Ambiguous(text, sorted(((m, index.label(m)) for m in matches), key=lambda p: p[1]))
    raise NotFound(text, _closest(store, text))


def _the_one_of_kind(store: Store, text: str, by_label: set[str], by_alias: set[str], wanted: str) -> Resolved | None:
    """The only entity of kind `wanted` among those the name fits (by label before alias); None if not one."""
    matches = by_label | by_alias
    of_kind = {m for m in matches if kind(store, m) == wanted}
    if len(of_kind) > 1:
        of_kind = (of_kind & by_label) or of_kind
    if len(of_kind) != 1:
        return None
    chosen = next(iter(of_kind))
    return Resolved(chosen, _note(store, text, chosen, matches - of_kind, wanted))


def _explicit_iri(store: Store, text: str) -> str | None:
    """An IRI, CURIE or bare slug that exists; NotFound for an IRI that does not; None for a name."""
    iri: str | None
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif text.startswith(("http://", "https://", "urn:")):
        iri = text
    else:
        iri = expand_curie(text)
        if iri is None and all(c.isalnum() or c in "-_." for c in text) and exists(store, ID + text):
            return ID + text  # a bare slug such as issue-forced-labor
    if iri is None:
        return None
    try:
        if exists(store, iri):
            return iri
    except ValueError:
        raise BadInput(f"{text!r} is not a valid IRI") from None
    if text.startswith(("<", "http", "urn:")):
        raise NotFound(text, _closest(store, text.rsplit("/", 1)[-1].rsplit(":", 1)[-1]))
    return None


def _matches(index: LabelIndex, wanted: str) -> tuple[set[str], set[str]]:
    by_label = {iri for iri, names in index.labels.items() if any(normalise(n) == wanted for n, _ in names)}
    by_alias = {iri for iri, names in index.aliases.items() if any(normalise(n) == wanted for n, _ in names)}
    return by_label, by_alias


def _described(store: Store, iri: str) -> tuple[str, str, str]:
    return iri, label_index(store).label(iri), kind(store, iri) or "entity"


def _note(store: Store, text: str, chosen: str, others: set[str], wanted: str) -> str | None:
    if not others:
        return None
    index = label_index(store)
    also = ", ".join(f"the {kind(store, o) or 'entity'} {index.label(o)} <{o}>" for o in sorted(others))
    return f"{text!r}: took the {wanted} {index.label(chosen)} <{chosen}> (the name also fits {also})"


def _by_words(store: Store, text: str, expect: str, matches: list[str]) -> Resolved:
    """No exact name of the expected kind: the one entity of that kind whose name holds the text's words."""
    index = label_index(store)
    words = normalise(text).split()
    found = sorted(
        iri
        for iri in set(index.labels) | set(index.aliases)
        if any(_holds(normalise(n).split(), words) for n, _ in index.names(iri)) and kind(store, iri) == expect
    )
    if len(found) == 1 and words:
        chosen = found[0]
        named = "; ".join(
            f"it names the {k} {label} <{iri}>" for iri, label, k in (_described(store, m) for m in matches)
        )
        return Resolved(
            chosen, f"{text!r}: took the {expect} {index.label(chosen)} <{chosen}>" + (f" ({named})" if named else "")
        )
    candidates = [(iri, index.label(iri)) for iri in found[:8]]
    if not matches and not candidates:
        raise NotFound(text, _closest(store, text))
    raise WrongKind(text, KIND_NAMES[expect], [_described(store, m) for m in matches], candidates)


def _holds(name_words: list[str], words: list[str]) -> bool:
    """The words appear in the name, consecutively."""
    n = len(words)
    return any(name_words[i : i + n] == words for i in range(len(name_words) - n + 1))


def _closest(store: Store, text: str, n: int = 5) -> list[tuple[str, str]]:
    """The entities whose names look most like `text`."""
    from bilateral.graph.explore.searching import search

    return [(hit["iri"], hit["label"]) for hit in search(store, text, limit=n, minimum=0.2)]
