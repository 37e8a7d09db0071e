"""Linking ICEWS actor strings to curated entities, with the CLI's own resolver.

Order of attempts for one actor string:
1. the string itself, through `resolution.resolve` ("Japan", "Moon Jae-in");
2. a personal name in the other order ("Shinzo Abe" -> Abe Shinzo);
3. a sector actor `Sector (Country)`: a coded actor tied to its state by bl:belongsToState;
4. otherwise a coded actor of the import, labelled, tied to its country where the data gives one.
Only exact (normalised) names resolve; a fuzzy guess would link events to the wrong person.
An ambiguous name stays unresolved (the link report lists it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from bilateral.graph.errors import BadInput
from bilateral.graph.labels import label_index, normalise
from bilateral.graph.namespaces import BL, ID, RDFS

if TYPE_CHECKING:
    from bilateral.graph.storage.protocol import Store

__all__ = ["Actor", "Linker", "coded_actor_iri"]

_SECTOR = re.compile(r"^(?P<sector>.+?)\s*\((?P<country>[^()]+)\)$")


@dataclass
class Actor:
    """A linked actor: its IRI, label, its state's IRI (if any), and whether it is curated."""

    iri: str
    label: str
    state: str | None = None
    curated: bool = False
    is_state: bool = False


def coded_actor_iri(text: str) -> str:
    """A stable IRI for an actor string no curated entity answers to."""
    return ID + "coded-actor-" + quote(normalise(text).replace(" ", "-"), safe="-")


@dataclass
class Linker:
    """Resolves actor strings once each, against the curated store."""

    store: Store
    countries: set[str] = field(default_factory=set)
    _known: set[str] = field(default_factory=set)
    _cache: dict[str, Actor] = field(default_factory=dict)
    _types: dict[tuple[str, str], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index = label_index(self.store)
        for table in (index.labels, index.aliases):
            for names in table.values():
                self._known.update(normalise(n) for n, _ in names)
        self._index = index

    def curated(self, text: str) -> str | None:
        """The curated IRI `text` names exactly (either name order), or None."""
        from bilateral.graph.explore.resolution import resolve

        words = text.split()
        candidates = [text] + (
            [" ".join(words[1:] + words[:1]), " ".join(words[-1:] + words[:-1])] if len(words) > 1 else []
        )
        for candidate in candidates:
            if normalise(candidate) not in self._known:
                continue
            try:
                iri = resolve(self.store, candidate)
            except BadInput:  # NotFound, Ambiguous: not a link we can make safely
                continue
            if self._is_a(iri, "Actor"):  # "International" names an ontology term, not an actor
                return iri
        return None

    def _is_a(self, iri: str, cls: str) -> bool:
        """Whether the curated `iri` is typed `bl:<cls>` (or a subclass of it)."""
        key = (iri, cls)
        if key not in self._types:
            sparql = f"ASK {{ <{iri}> a/<{RDFS}subClassOf>* <{BL}{cls}> }}"
            self._types[key] = bool(self.store.ox.query(sparql))
        return self._types[key]

    def actor(self, text: str, country: str | None = None) -> Actor:
        """The actor an ICEWS string stands for (cached per string and country)."""
        key = f"{text}\0{country or ''}"
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._link(text, country)
        return found

    def _link(self, text: str, country: str | None) -> Actor:
        iri = self.curated(text)
        if iri:
            return Actor(iri, self._index.label(iri), curated=True)
        sector = _SECTOR.match(text)
        if sector:
            country = sector.group("country").strip()
        if not sector and (text in self.countries or (country and text == country)):
            return Actor(coded_actor_iri(text), text, is_state=True)
        state = self.state(country) if country else None
        return Actor(coded_actor_iri(text), text, state=state)

    def known(self) -> list[Actor]:
        """Every actor linked so far."""
        return list(self._cache.values())

    def state(self, country: str) -> str | None:
        """The IRI of a country: the curated state when there is one, else a coded state actor.

        None when the name is a curated entity that is no state ("Protester (World Trade
        Organization)"): the sector actor then belongs to no state.
        """
        found = self.actor(country, country)
        return None if found.curated and not self._is_a(found.iri, "State") else found.iri
