"""Label choice and the label index: one rule for what an entity is called.

Every entity has one English rdfs:label; Korean and Japanese names are
rdfs:label @ko/@ja, aliases are skos:altLabel.  `choose_label` is the single
rule for display, used by every command and the page.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from bilateral.graph.namespaces import BL, RDFS, SKOS, curie

__all__ = ["LabelIndex", "choose_label", "label_index", "normalise"]

_LANG_ORDER = {"en": 0, "": 1, "ko": 2, "ja": 3}


def choose_label(labels: list[tuple[str, str]], iri: str) -> str:
    """Pick the display label from (text, language) pairs: English first; the CURIE when none.

    >>> choose_label([("독도", "ko"), ("Dokdo / Takeshima", "en")], "x")
    'Dokdo / Takeshima'
    """
    if not labels:
        return curie(iri)
    return min(labels, key=lambda tl: (_LANG_ORDER.get(tl[1], 9), tl[0]))[0]


@lru_cache(maxsize=1 << 16)  # the resolver and the event linker normalise the same labels again and again
def normalise(text: str) -> str:
    """Fold case, accents, hyphens and spacing so "Kang Kyung wha" meets "Kang Kyung-wha".

    >>> normalise("Tōkyō")
    'tokyo'
    >>> normalise("Kang  Kyung-wha") == normalise("kang kyung wha")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    recomposed = unicodedata.normalize("NFKC", stripped).casefold()
    out = []
    for c in recomposed:
        if c.isalnum():
            out.append(c)
        elif out and out[-1] != " ":
            out.append(" ")
    return "".join(out).strip()


@dataclass
class LabelIndex:
    """All names of all entities: for display, resolution and search."""

    labels: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # iri -> rdfs:label
    aliases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # iri -> skos:altLabel
    types: dict[str, list[str]] = field(default_factory=dict)  # iri -> most specific bl: class IRIs

    def label(self, iri: str) -> str:
        """The display label of `iri`."""
        return choose_label(self.labels.get(iri, []), iri)

    def type_labels(self, iri: str) -> list[str]:
        """The local names of its most specific bl: classes (e.g. ["Meeting"])."""
        return [t[len(BL) :] if t.startswith(BL) else curie(t) for t in self.types.get(iri, [])]

    def names(self, iri: str) -> list[tuple[str, str]]:
        """Every label and alias of `iri` as (text, language)."""
        return self.labels.get(iri, []) + self.aliases.get(iri, [])


_QUERY = f"""
SELECT ?s ?p ?text WHERE {{
  {{ ?s <{RDFS}label> ?text }} UNION {{ ?s <{SKOS}altLabel> ?text BIND(<{SKOS}altLabel> AS ?p) }}
}}"""

_TYPES = f"""
SELECT DISTINCT ?s ?type WHERE {{
  ?s a ?type .
  FILTER(STRSTARTS(STR(?type), "{BL}"))
  FILTER NOT EXISTS {{
    ?s a ?sub . ?sub <{RDFS}subClassOf> ?type . FILTER(?sub != ?type && STRSTARTS(STR(?sub), "{BL}"))
  }}
}}"""


def label_index(store) -> LabelIndex:
    """Read every label, alias and most specific type from the store (one pass each)."""
    return store.cached("labels-v2", lambda: _read_index(store))


def _read_index(store) -> LabelIndex:
    index = LabelIndex()
    for row in store.ox.query(_QUERY, use_default_graph_as_union=True):
        s, p, text = row["s"], row["p"], row["text"]
        if not hasattr(text, "language"):
            continue
        entry = (text.value, text.language or "")
        target = index.aliases if p is not None else index.labels
        bucket = target.setdefault(s.value, [])
        if entry not in bucket:
            bucket.append(entry)
    for row in store.ox.query(_TYPES, use_default_graph_as_union=True):
        types = index.types.setdefault(row["s"].value, [])
        if row["type"].value not in types:
            types.append(row["type"].value)
    for table in (index.labels, index.aliases):
        for bucket in table.values():
            bucket.sort()
    for types in index.types.values():
        types.sort()  # a fixed order, whatever order the engine returned the rows in
    _name_sources(store, index)
    return index


def _name_sources(store, index: LabelIndex) -> None:
    """Sources are shown by their display name (graph/sources.py) everywhere; their curated label stays an alias."""
    from bilateral.graph.sources import source_names

    for iri, source in source_names(store).items():
        curated = [entry for entry in index.labels.get(iri, []) if entry[0] != source.name]
        index.labels[iri] = [(source.name, "en")] + [e for e in curated if e[1] not in ("en", "")]
        aliases = index.aliases.setdefault(iri, [])
        aliases.extend(e for e in curated if e[1] in ("en", "") and e not in aliases)
