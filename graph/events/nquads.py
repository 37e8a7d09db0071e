r"""An import's named graph as N-Quads, written straight from the checked rows (no RDF objects).

A million coded events are about nine million quads: building them as
pyoxigraph or rdflib terms would cost more than the rest of the import.  Every
term that repeats (an actor, a CAMEO type, a day, a file) is spelt once and
reused; literals are escaped once, with json's escaping, which N-Quads accepts
(`\"`, `\\`, `\n`, `\uXXXX`).

Each coded event carries an English rdfs:label such as
"Government (Japan) — Make statement → South Korea, 2015-12-28", so that every
generic view (search, cards, SPARQL results) shows it readably.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from bilateral.graph.events.cameo import QUAD_IRIS, cameo, cameo_iri
from bilateral.graph.events.linking import Actor
from bilateral.graph.namespaces import BL, DCTERMS, ID, RDF, RDFS, SKOS, XSD

__all__ = ["CAMEO_GRAPH", "EventColumns", "cameo_nquads", "coded_event_iri", "coded_event_label", "write_import"]

CAMEO_GRAPH = ID + "graph-cameo"
_EPOCH = _dt.date(1970, 1, 1).toordinal()
#: Events written per block (one write call each).
_BLOCK = 20_000


def escaped(text: str) -> str:
    """The inside of an N-Quads string literal for `text` (json's escaping, without the quotes)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def coded_event_iri(name: str, file: int, line: int) -> str:
    """The IRI of the coded event read from line `line` of file number `file` of import `name`."""
    return f"{ID}coded-{name}-{file}-{line}"


def coded_event_label(agent: str, kind: str, target: str, date: str) -> str:
    """The display label of a coded event: who — what → whom, when."""
    return f"{agent} \u2014 {kind} \u2192 {target}, {date}"


@dataclass
class EventColumns:
    """The kept events, column by column (indexes into `actors`, cameo().types and `files`)."""

    day: Sequence[int]
    cameo: Sequence[int]
    agent: Sequence[int]
    target: Sequence[int]
    file: Sequence[int]
    line: Sequence[int]
    event_id: Sequence[str | None]


def _header(g: str, name: str, files: list[str], formats: list[str], licence: str | None) -> list[str]:
    from bilateral.graph.events.reading import DATAVERSE

    t = f"<{RDF}type>"
    lines = [f"{g} {t} <{BL}Import> {g} .", f'{g} <{RDFS}label> "import {escaped(name)}"@en {g} .']
    for file, fmt in zip(files, formats):
        dataset = "ICEWS (Dataverse 20-column records)" if fmt == DATAVERSE else "ICEWS (4-column TSV)"
        lines.append(f'{g} <{DCTERMS}source> "{escaped(file)}" {g} .')
        lines.append(f'{g} <{BL}dataset> "{dataset}" {g} .')
    if licence:
        lines.append(f'{g} <{DCTERMS}license> "{escaped(licence)}" {g} .')
    return lines


def _actor_lines(g: str, actors: list[Actor]) -> list[str]:
    t = f"<{RDF}type>"
    lines = []
    for a in actors:
        if a.curated:
            continue
        node = f"<{a.iri}>"
        lines += [f"{node} {t} <{BL}CodedActor> {g} .", f"{node} {t} <{BL}Actor> {g} ."]
        if a.is_state:
            lines.append(f"{node} {t} <{BL}State> {g} .")
        lines.append(f'{node} <{RDFS}label> "{escaped(a.label)}"@en {g} .')
        if a.state:
            lines.append(f"{node} <{BL}belongsToState> <{a.state}> {g} .")
    return lines


def write_import(
    out: TextIO,
    graph: str,
    name: str,
    files: list[str],
    formats: list[str],
    licence: str | None,
    actors: list[Actor],
    events: EventColumns,
    sample: set[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Write the import's graph (metadata, coded actors, coded events) to `out`.

    Returns the quads a validation should look at: the metadata, every coded
    actor, and the events whose positions are in `sample` (all of them when
    `sample` is None).
    """
    g = f"<{graph}>"
    head = _header(g, name, files, formats, licence) + _actor_lines(g, actors)
    out.write("\n".join(head) + "\n")
    checked = list(head)
    types = cameo().types
    type_node = [f"<{cameo_iri(t.code)}>" for t in types]
    type_name = [escaped(t.name) for t in types]
    actor_node = [f"<{a.iri}>" for a in actors]
    actor_name = [escaped(a.label) for a in actors]
    file_name = [escaped(f) for f in files]
    dates: dict[int, str] = {}
    t, bl = f"<{RDF}type>", BL
    prefix = f"<{ID}coded-{name}-"
    block: list[str] = []
    for i in range(len(events.day)):
        day, kind, agent, target = events.day[i], events.cameo[i], events.agent[i], events.target[i]
        file, line = events.file[i], events.line[i]
        date = dates.get(day) or dates.setdefault(day, _dt.date.fromordinal(day + _EPOCH).isoformat())
        e = f"{prefix}{file}-{line}>"
        text = (
            f"{e} {t} <{bl}CodedEvent> {g} .\n{e} {t} <{bl}Event> {g} .\n"
            f"{e} <{bl}agent> {actor_node[agent]} {g} .\n{e} <{bl}target> {actor_node[target]} {g} .\n"
            f'{e} <{bl}startDate> "{date}"^^<{XSD}date> {g} .\n'
            f"{e} <{bl}cameoType> {type_node[kind]} {g} .\n"
            f'{e} <{bl}sourceRow> "{file_name[file]}:{line}" {g} .\n'
            f'{e} <{RDFS}label> "{actor_name[agent]} \u2014 {type_name[kind]} \u2192 {actor_name[target]}, {date}"@en'
            f" {g} .\n"
        )
        if events.event_id[i]:
            text += f'{e} <{bl}icewsEventId> "{escaped(events.event_id[i] or "")}" {g} .\n'
        block.append(text)
        if sample is None or i in sample:
            checked.extend(text.splitlines())
        if len(block) >= _BLOCK:
            out.write("".join(block))
            block.clear()
            if progress:
                progress(i + 1)
    out.write("".join(block))
    if progress:
        progress(len(events.day))
    return checked


def cameo_nquads() -> str:
    """The CAMEO scheme as N-Quads in its own graph: one skos:Concept per code with score and quad class."""
    g = f"<{CAMEO_GRAPH}>"
    scheme = f"<{ID}cameo>"
    lines = [
        f"{scheme} <{RDF}type> <{SKOS}ConceptScheme> {g} .",
        f'{scheme} <{RDFS}label> "CAMEO event types"@en {g} .',
    ]
    for c in cameo().types:
        node = f"<{cameo_iri(c.code)}>"
        lines += [
            f"{node} <{RDF}type> <{SKOS}Concept> {g} .",
            f"{node} <{RDF}type> <{BL}CameoType> {g} .",
            f"{node} <{SKOS}inScheme> {scheme} {g} .",
            f'{node} <{SKOS}notation> "{escaped(c.code)}" {g} .',
            f'{node} <{SKOS}prefLabel> "{escaped(c.name)}"@en {g} .',
            f'{node} <{BL}goldstein> "{c.goldstein:g}"^^<{XSD}decimal> {g} .',
            f"{node} <{BL}quadClass> <{QUAD_IRIS[c.quad]}> {g} .",
        ]
        if c.code != c.root:
            lines.append(f"{node} <{SKOS}broader> <{cameo_iri(c.root)}> {g} .")
    return "\n".join(lines) + "\n"
