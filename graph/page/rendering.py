"""The explorer page (`bilateral render`, `bilateral path --html`): one offline HTML file.

The page carries everything inline: the vendored vis-network build
(graph/vendor/, pinned, with its licence), our own template
(graph/page/templates/explorer.html.j2, rendered by one autoescaping Jinja
environment, with our CSS and JavaScript from graph/page/static/ inlined) and the data as JSON inside ``<script type="application/json">``
with ``<``, ``>`` and ``&`` escaped, read by the page with JSON.parse.  Data is
untrusted: the page puts it on screen only as canvas text or DOM
``textContent``, never as HTML.

Positions are computed in Python, not in the browser (graph/layout.py: a
seeded force layout from a pivot-MDS start).  Physics is off in the page, so
it is interactive as soon as it has drawn, and the same graph always draws
the same way.

The network's node and edge lists and vis options are plain lists and
dicts in vis-network's shape (pyvis, which once held them, cost a tenth of a
second to import and did nothing else here; `to_pyvis` in
graph/explore/interop.py still gives a pyvis Network for Jupyter).
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from bilateral.graph.errors import BadInput
from bilateral.graph.namespaces import BL
from bilateral.graph.page.layout import layout, node_size
from bilateral.graph.page.storylayout import story_data
from bilateral.graph.vocabulary import EVENT, local_name, vocabulary

if TYPE_CHECKING:
    import jinja2
    import networkx as nx

    from bilateral.graph.storage.protocol import Store

__all__ = [
    "CLASS_STYLES",
    "EDGE_STYLES",
    "LARGE_VIEW",
    "PAGE_LAYOUTS",
    "VIS_NETWORK_VERSION",
    "View",
    "ViewChoices",
    "layout",
    "plan_view",
    "prepare",
    "render",
    "render_paths",
    "render_view",
    "write_page",
]

#: Views larger than this draw slowly and read badly; the CLI suggests --around.
LARGE_VIEW = 3000
#: How many relations to entities not on the page a card lists per predicate (the rest are counted).
OFF_PAGE_SHOWN = 20
#: Above this many entities, events and positions are folded into clusters (graph.aggregation).
AGGREGATE_ABOVE = 2000
#: The layouts a page can open in (`render --layout`); it switches between them itself.
PAGE_LAYOUTS = ("network", "time")
#: The vendored vis-network release (graph/vendor/VERSION says where it came from).
VIS_NETWORK_VERSION = "9.1.13"

_HERE = Path(__file__).resolve().parent
_VENDOR_JS = _HERE / "vendor" / "vis-network.min.js"

#: Colour, vis shape and legend group of each class (the most specific bl: class).
CLASS_STYLES: dict[str, tuple[str, str, str]] = {
    "State": ("#1b3a6b", "hexagon", "Actors"),
    "Person": ("#e07a1f", "dot", "Actors"),
    "Organization": ("#2f7f9e", "square", "Actors"),
    "Office": ("#8a9bb4", "triangleDown", "Actors"),
    "Accord": ("#c79a00", "diamond", "Accords"),
    "Declaration": ("#e0bf3e", "diamond", "Accords"),
    "Issue": ("#7a4fb5", "triangle", "Issues"),
    "Event": ("#b23a48", "dot", "Events"),
    "Meeting": ("#d9544f", "dot", "Events"),
    "Ruling": ("#7d1128", "square", "Events"),
    "Measure": ("#e8464f", "triangle", "Events"),
    "Mediation": ("#1f9e89", "star", "Events"),
    "Statement": ("#f08a7e", "dot", "Events"),
    "Position": ("#5f6b7a", "triangleDown", "Positions"),
    "Interpretation": ("#a3acb9", "triangleDown", "Positions"),
    "Proposal": ("#3d9a50", "star", "Positions"),
    "Observation": ("#8bb83f", "square", "Observations"),
    "Cluster": ("#475569", "dot", "Clusters"),
}
_DEFAULT_STYLE = ("#9aa1ab", "dot", "Other")

#: How the relations that carry the story are drawn: kind, colour, width, dashes.
EDGE_STYLES: dict[str, dict] = {
    BL + "respondsTo": {"kind": "response", "name": "responds to", "color": "#e07a1f", "width": 2.2, "dashes": False},
    BL + "retaliatesAgainst": {
        "kind": "retaliation",
        "name": "retaliates against",
        "color": "#d62839",
        "width": 3,
        "dashes": [10, 5],
    },
    BL + "reverses": {"kind": "reversal", "name": "reverses", "color": "#7a4fb5", "width": 2.4, "dashes": [3, 4]},
    BL + "mediator": {
        "kind": "mediation",
        "name": "mediator",
        "color": "#1f9e89",
        "width": 2.4,
        "dashes": [12, 4, 3, 4],
    },
}
#: A link a document only hedges or attributes: drawn faint and dotted, labelled with whose reading it is.
_INTERPRETED_EDGE = {
    "kind": "interpreted",
    "name": "according to someone (hedged)",
    "color": "#a08c5b",
    "width": 1.6,
    "dashes": [2, 5],
}
_PLAIN_EDGE = {"kind": "plain", "name": "other relations", "color": "#b9c0c9", "width": 0.7, "dashes": False}
_PATH_COLOR = "#f2b705"


@dataclass
class View:
    """What one page shows: a subgraph of the projection and how to present it."""

    graph: nx.MultiDiGraph  # a copy: never the cached projection
    title: str
    description: str
    warnings: list[str] = field(default_factory=list)
    focus: str | None = None
    paths: list[dict] = field(default_factory=list)
    path_nodes: set[str] = field(default_factory=set)
    path_edges: set[tuple[str, str, str]] = field(default_factory=set)
    fixed: dict[str, tuple[float, float]] = field(default_factory=dict)
    layout: str = "network"  # the layout the page opens in: network or time (graph/page/storylayout.py)


# --------------------------------------------------------------------------- choosing the view


def _class_ancestors(store: Store) -> dict[str, set[str]]:
    """Each bl: class local name → itself and its bl: ancestors (Meeting → {Meeting, Event}), from graph/vocabulary.py."""
    return {name: set(lineage) for name, lineage in vocabulary().class_lineage.items()}


def _is_event(data: dict, ancestors: dict[str, set[str]]) -> bool:
    return any(local_name(EVENT) in ancestors.get(t, {t}) for t in data.get("types", []))


def _period(data: dict) -> tuple[_dt.date, _dt.date] | None:
    """The days an entity's date covers, from its start date, precision and end date."""
    from bilateral.graph.dates import period_end

    try:
        first = _dt.date.fromisoformat(str(data["date"])[:10])
    except (KeyError, ValueError):
        return None
    last = period_end(first, data.get("precision") or "day")
    try:
        if data.get("end"):
            last = max(last, _dt.date.fromisoformat(str(data["end"])[:10]))
    except ValueError:
        pass
    return first, last


class ViewChoices(TypedDict, total=False):
    """What part of the graph a page draws: the keyword options of `plan_view`, `render_view` and `render`.

    Declared once here so the three (and the page cache's key) cannot drift
    apart; every key is optional and `view_choices` fills in the defaults.

    - `around`: an entity's IRI (resolve names first); only its ego network;
    - `depth`: the radius of that ego network on the undirected view (default 1);
    - `start` / `end`: user dates (YYYY, YYYY-MM, YYYY-MM-DD) bounding events;
    - `types`: class names or IRIs; a class includes its sub-classes.
    """

    around: str | None
    depth: int
    start: str | None
    end: str | None
    types: list[str] | None


def view_choices(choices: ViewChoices) -> ViewChoices:
    """`choices` with every key present (defaults filled, `types` sorted): one spelling of one view."""
    unknown = set(choices) - set(ViewChoices.__annotations__)
    if unknown:
        raise TypeError(f"unknown view option(s): {', '.join(sorted(unknown))}")
    return {
        "around": choices.get("around"),
        "depth": choices.get("depth", 1),
        "start": choices.get("start"),
        "end": choices.get("end"),
        "types": sorted(choices.get("types") or []) or None,
    }


def plan_view(store: Store, **choices: Unpack[ViewChoices]) -> View:
    """Choose what `render` draws: the whole projection or an ego network, then filter it.

    `around` is an IRI (resolve names first); `depth` the radius of its ego
    network on the undirected view.  `start`/`end` are user dates (YYYY,
    YYYY-MM, YYYY-MM-DD): events whose whole period lies outside the range, and
    undated events, are left out; other entities stay.  `types` are class
    names or IRIs; a class includes its sub-classes (Event includes Meeting).
    The centre of an ego network is always kept.  The two best-connected
    states are pinned apart (see `_state_pins`).
    """
    from bilateral.graph.explore.interpreted import linked_projection
    from bilateral.graph.labels import label_index

    chosen = view_choices(choices)
    around, depth, start, end = chosen["around"], chosen["depth"], chosen["start"], chosen["end"]
    lower, upper = _date_bounds(start, end)
    if depth < 0:
        raise BadInput("--depth must be 0 or more")
    wanted = _wanted_classes(store, chosen["types"])
    full = linked_projection(store)  # the projection with hedged links as edges "according to" (issue 13)
    index = label_index(store)
    nodes = set(full)
    notes = []
    if around is not None:
        if around not in full:
            raise BadInput(f"{index.label(around)} <{around}> is not an entity of the graph")
        import networkx as nx

        nodes = set(nx.ego_graph(full.to_undirected(as_view=True), around, radius=depth))
        notes.append(f"around {index.label(around)} (depth {depth})")
    if lower or upper:
        notes.append(f"events {start or '…'} – {end or '…'}")
    if wanted:
        notes.append("classes " + ", ".join(sorted(wanted)))
    ancestors = _class_ancestors(store)
    kept = {node for node in nodes if node == around or _wanted(full.nodes[node], ancestors, wanted, lower, upper)}
    if len(kept) <= AGGREGATE_ABOVE:
        graph = full.subgraph(kept).copy()
    else:  # folded below into a new graph, which only reads this one: no copy needed
        graph = full if len(kept) == len(full) else full.subgraph(kept)
    view = View(graph=graph, title="explorer", description="; ".join(notes) or "the whole graph", focus=around)
    view.fixed = _state_pins(graph)
    return _folded_if_large(view)


def _date_bounds(start: str | None, end: str | None) -> tuple[_dt.date | None, _dt.date | None]:
    """The first and last day of the --from/--to range (None where open); an inverted range is bad input."""
    from bilateral.graph.dates import parse_user_date, period_end

    lower = parse_user_date(start)[0] if start else None
    upper = period_end(*parse_user_date(end)) if end else None
    if lower and upper and lower > upper:
        raise BadInput(f"--from {start} is after --to {end}")
    return lower, upper


def _wanted_classes(store: Store, types: list[str] | None) -> set[str]:
    """The bl: local names of the classes --types asks for ("Meeting,Measure" or IRIs); empty for all."""
    from bilateral.graph.explore.searching import class_iri

    wanted: set[str] = set()
    for name in types or []:
        for part in str(name).split(","):
            if part.strip():
                iri = part.strip() if part.strip().startswith(BL) else class_iri(store, part)
                wanted.add(iri[len(BL) :])
    return wanted


def _wanted(data: dict, ancestors: dict[str, set[str]], wanted: set[str], lower, upper) -> bool:
    """Whether an entity passes the class filter and, if it is an event, the date range."""
    if wanted and not any(wanted & ancestors.get(t, {t}) for t in data.get("types", [])):
        return False
    if (lower or upper) and _is_event(data, ancestors):
        period = _period(data)
        if period is None or (lower and period[0] < lower) or (upper and period[1] > upper):
            return False
    return True


def _folded_if_large(view: View) -> View:
    """Warn above LARGE_VIEW entities and fold events and positions into clusters above AGGREGATE_ABOVE."""
    graph = view.graph
    if graph.number_of_nodes() > LARGE_VIEW:
        view.warnings.append(
            f"{graph.number_of_nodes()} entities are more than a page shows readably ({LARGE_VIEW}); "
            "events and positions are folded into clusters — narrow the view with --around ENTITY "
            "--depth N, --types or --from/--to to see each one"
        )
    if graph.number_of_nodes() > AGGREGATE_ABOVE:
        from bilateral.graph.page.aggregation import aggregate

        folded, note = aggregate(graph, AGGREGATE_ABOVE)
        view.graph = folded
        view.fixed = {node: at for node, at in view.fixed.items() if node in folded}
        if note:
            view.description += f" ({note})"
    return view


#: Views with fewer entities than this are small enough to read without pinning the states apart.
_PIN_STATES_ABOVE = 40


def _state_pins(graph) -> dict[str, tuple[float, float]]:
    """The two best-connected states of a view pinned far apart on one line (the first on the left).

    Left free, the two hubs of a bilateral graph settle on top of each other
    in the middle; pinned apart, what concerns one side sits by it and what
    they share sits between them, and the page reads left to right.
    """
    if graph.number_of_nodes() < _PIN_STATES_ABOVE:
        return {}
    states = [n for n, d in graph.nodes(data=True) if "State" in (d.get("types") or [d.get("type")])]
    undirected = {n: len(set(graph.predecessors(n)) | set(graph.successors(n))) for n in states}
    ranked = sorted((n for n in states if undirected[n] > 0), key=lambda n: (-undirected[n], n))
    if len(ranked) < 2 or undirected[ranked[1]] < 0.1 * graph.number_of_nodes():
        return {}
    half = 30.0 * graph.number_of_nodes() ** 0.5  # about a quarter of the drawing's width
    return {ranked[0]: (-half, 0.0), ranked[1]: (half, 0.0)}


# --------------------------------------------------------------------------- the page


def _template():
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        import jinja2

        _ENVIRONMENT = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _ENVIRONMENT.filters["csp_hash"] = _csp_hash
    return _ENVIRONMENT.get_template("explorer.html.j2")


_ENVIRONMENT: jinja2.Environment | None = None


def _static_files(suffix: str) -> list[Path]:
    """The page's own files with this suffix in static/: explorer.* first, then the others by name.

    One file per feature (an "as of" mode, a temperature strip ...) keeps each
    feature's code apart; a feature's script runs after explorer.js and reaches
    the page through ``window.explorer``.
    """
    files = sorted((_HERE / "static").glob(f"*{suffix}"))
    return sorted(files, key=lambda f: (f.stem != "explorer", f.name))


def page_css() -> str:
    """The page's style sheets, concatenated (static/*.css), safe to sit inside <style>."""
    text = "\n".join(f.read_text("utf-8") for f in _static_files(".css"))
    return text.replace("</style", "<\\/style").replace("</STYLE", "<\\/STYLE")


def page_scripts() -> list[str]:
    """The page's own scripts (static/*.js), each inlined as its own <script> with its own CSP hash."""
    return [_inline_script(f.read_text("utf-8")) for f in _static_files(".js")]


def _csp_hash(script) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    import base64
    import hashlib

    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _inline_script(text: str) -> str:
    """Make JavaScript safe to sit inside <script>: no closing tag, no source-map fetch."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//# sourceMappingURL=")]
    text = "\n".join(lines)
    for bad in ("</script", "</SCRIPT", "</Script"):
        text = text.replace(bad, "<\\/script")
    return text.replace("<!--", "<\\!--")


def json_for_script(value) -> str:
    """JSON that can sit inside <script type="application/json">: <, > and & escaped.

    >>> json_for_script({"label": "</script><b>&"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _style(data: dict) -> tuple[str, str, str]:
    for t in data.get("types", []):
        if t in CLASS_STYLES:
            return CLASS_STYLES[t]
    return _DEFAULT_STYLE


def _compact_card(card: dict, source_ids: dict[str, int], in_view: set[str]) -> dict:
    """The parts of `bilateral.graph.explore.cards.card` the side panel shows, with sources as numbers.

    A relation names its other end by IRI; the label and class ride along only
    when that entity is not on the page (the page knows the others).
    """

    def numbers(labels):
        return sorted(source_ids.setdefault(s, len(source_ids)) for s in labels)

    relations = []
    off_page: dict[tuple[str, str], int] = {}
    for r in card["relations"]:
        other = r["other"]
        entry = {"d": r["direction"], "p": r["predicate"], "o": other["iri"], "s": numbers(r["sources"])}
        if other["iri"] not in in_view:
            key = (r["direction"], r["predicate"])
            off_page[key] = off_page.get(key, 0) + 1
            if off_page[key] > OFF_PAGE_SHOWN:
                continue  # a hub of a big graph would otherwise carry thousands of names
            entry.update(l=other["label"], t=(other["types"] or [""])[0])
        relations.append(entry)
    for (direction, predicate), count in off_page.items():
        if count > OFF_PAGE_SHOWN:
            relations.append({"d": direction, "p": predicate, "more": count - OFF_PAGE_SHOWN, "s": []})
    result = {
        "curie": card["curie"],
        "aliases": card["aliases"],
        "labels": card["labels"],
        "facts": {
            name: [{"value": v["value"], "s": numbers(v["sources"])} for v in values]
            for name, values in card["facts"].items()
        },
        "sources": numbers(s["label"] for s in card["sources"]),
        "relations": relations,
    }
    if card.get("lifecycle"):  # an accord's or measure's status history (issue 14), sources as numbers
        result["lifecycle"] = [
            {
                "status": step["status"],
                "date": step["date"],
                "by": [e["label"] for e in step["set_by"]],
                "s": numbers(step["sources"]),
            }
            for step in card["lifecycle"]["history"]
        ]
    if "date" in card:
        result["date"] = card["date"]["display"] + (f" – {card['date']['end']}" if card["date"].get("end") else "")
    if card.get("dates_disagree"):  # each document's date with its footnote numbers (issue 13)
        from bilateral.graph.explore.cards import describe_date

        readings = [describe_date(d) + "".join(f" [{n + 1}]" for n in numbers(d["sources"])) for d in card["dates"]]
        result["date"] = "documents disagree: " + "; ".join(readings)
    return result


def _cluster_card(store: Store, graph, node: str, source_ids: dict[str, int], shown: int = 40) -> dict:
    """The side-panel card of a cluster: what it holds, its merged relations, their sources."""
    from bilateral.graph.labels import label_index

    index = label_index(store)
    data = graph.nodes[node]
    members = data.get("members", [])

    def numbers(labels):
        return sorted(source_ids.setdefault(s, len(source_ids)) for s in labels)

    relations = []
    for direction, edges in (("out", graph.out_edges(node, data=True)), ("in", graph.in_edges(node, data=True))):
        for u, v, edge in edges:
            relations.append(
                {
                    "d": direction,
                    "p": edge.get("label", ""),
                    "o": v if direction == "out" else u,
                    "s": numbers(edge.get("sources", [])),
                }
            )
    contains = [{"value": index.label(m), "s": []} for m in members[:shown]]
    if len(members) > shown:
        contains.append({"value": f"… and {len(members) - shown} more", "s": []})
    card = {
        "curie": "",
        "aliases": [],
        "labels": {},
        "facts": {"contains": contains},
        "sources": sorted({s for r in relations for s in r["s"]}),
        "relations": relations,
    }
    if data.get("date"):
        card["date"] = data["date"] + (f" – {data['end']}" if data.get("end") and data["end"] != data["date"] else "")
    return card


def _counts(graph, node: str, related: set[str] | None) -> dict[str, int]:
    """What the tooltip and the side panel count, so that they agree with each other and with `stats`.

    `related`: the entities the card relates `node` to (None for a cluster:
    then its neighbours on the page), counted as `bilateral stats` counts a
    degree.  `shown`: how many of them are drawn on this page (fewer when the
    view is narrowed, and sources and statuses are never drawn); `hedged`:
    neighbours drawn only through a link a document hedges (not a relation
    of the card).  The page's `degree` (size, label rank) counts lines drawn.
    """
    neighbours = set(graph.predecessors(node)) | set(graph.successors(node))
    if related is None:
        related = neighbours
    return {"related": len(related), "shown": len(neighbours & related), "hedged": len(neighbours - related)}


def _page_data(store: Store, view: View, positions: dict[str, tuple[float, float]]) -> dict:
    """Everything the page script needs: vis nodes and edges, entity cards, legend, sources."""
    from bilateral.graph.explore.cards import cards
    from bilateral.graph.page.framings import page_framings

    graph = view.graph
    in_view = set(graph)
    # every card of the page in a few whole-store queries rather than four per entity (graph/explore/cards.py)
    full_cards = cards(store, [node for node in graph if graph.nodes[node].get("type") != "Cluster"])
    ancestors = _class_ancestors(store)
    degree = dict(graph.degree())
    source_ids: dict[str, int] = {}
    nodes: list[dict] = []  # vis-network's node and edge lists
    edges: list[dict] = []
    entities = {}
    class_counts: dict[str, int] = {}
    for node in sorted(graph):
        data = graph.nodes[node]
        color, shape, _group = _style(data)
        kind = data.get("type") or "Thing"
        class_counts[kind] = class_counts.get(kind, 0) + 1
        d = degree[node]
        x, y = positions[node]
        # no vis label: the page draws names itself, so that they never overlap
        nodes.append(
            {
                "id": node,
                "x": round(x, 1),
                "y": round(y, 1),
                "shape": shape,
                "color": color,
                "size": round(1.3 * node_size(d), 1),
            }
        )
        period = _period(data)
        if kind == "Cluster":
            entity = {
                "label": data.get("label", node),
                "type": kind,
                "types": ["Cluster"],
                "degree": d,
                "event": _is_event({"types": [data.get("kind", "")]}, ancestors),
                "card": _cluster_card(store, graph, node, source_ids),
            }
            entity.update(_counts(graph, node, None))
        else:
            full_card = full_cards[node]
            entity = {
                "label": data.get("label", node),
                "type": kind,
                "types": data.get("types", []),
                "degree": d,
                "event": _is_event(data, ancestors),
                "card": _compact_card(full_card, source_ids, in_view),
            }
            entity.update(_counts(graph, node, {r["other"]["iri"] for r in full_card["relations"]}))
        if period:
            entity.update(start=period[0].isoformat(), end=period[1].isoformat())
        if data.get("description"):
            entity["description"] = data["description"]
        entities[node] = entity
    edge_meta = []
    edge_sources: dict[tuple, list[int]] = {}
    kinds_present = set()
    for number, (u, v, key, data) in enumerate(sorted(graph.edges(keys=True, data=True))):
        style = (
            _INTERPRETED_EDGE if data.get("interpreted") else EDGE_STYLES.get(data.get("predicate", key), _PLAIN_EDGE)
        )
        kind = style["kind"]
        kinds_present.add(kind)
        label = data.get("label", "") + (f", {data['according_to']}" if data.get("interpreted") else "")
        edges.append({"id": number, "from": u, "to": v, "label": label})
        sources = tuple(data.get("sources", []))
        if sources not in edge_sources:  # folded edges repeat long source lists: number each list once
            edge_sources[sources] = sorted(source_ids.setdefault(s, len(source_ids)) for s in sources)
        meta = {"kind": kind, "s": list(edge_sources[sources])}
        if (u, v, key) in view.path_edges:
            meta["path"] = True
        edge_meta.append(meta)
    order = list(CLASS_STYLES)
    classes = []
    for name in sorted(class_counts, key=lambda c: (order.index(c) if c in order else len(order), c)):
        color, shape, group = CLASS_STYLES.get(name, _DEFAULT_STYLE)
        classes.append({"name": name, "color": color, "shape": shape, "group": group, "count": class_counts[name]})
    relation_styles = [dict(s) for s in EDGE_STYLES.values() if s["kind"] in kinds_present]
    if "interpreted" in kinds_present:
        relation_styles.append(dict(_INTERPRETED_EDGE))
    relation_styles.append(dict(_PLAIN_EDGE))
    if view.path_edges:
        relation_styles.insert(
            0, {"kind": "path", "name": "on the path", "color": _PATH_COLOR, "width": 5, "dashes": False}
        )
    return {
        "title": view.title,
        "description": view.description,
        "focus": view.focus,
        "network": {"nodes": nodes, "edges": edges, "options": _vis_options()},
        "entities": entities,
        "edges": edge_meta,
        "classes": classes,
        "relations": relation_styles,
        "sources": sorted(source_ids, key=lambda source: source_ids[source]),
        "paths": view.paths,
        "path_nodes": sorted(view.path_nodes),
        **_lifecycles(store, _dated(store, entities)),
        "framings": page_framings(store, entities),  # issue 16: sides, positions by side, claims (static/framings.js)
        "layout": view.layout,
        "story": story_data(store, graph),  # the time layout's positions (static/story.js)
    }


def _dated(store: Store, entities: dict) -> dict:
    """Give `start`/`end` to entities the projection left undated because their documents only bound them.

    The most precise dating the documents give (graph/dates.py), so the range
    and the "as of" mode treat them like the rest.
    """
    from bilateral.graph.dates import best_dating
    from bilateral.graph.time.lifecycle import datings_by_graph

    per_thing: dict[str, list] = {}
    for (thing, _graph), dating in datings_by_graph(store).items():
        if thing in entities and "start" not in entities[thing]:
            per_thing.setdefault(thing, []).append(dating)
    for thing, datings in per_thing.items():
        dating = best_dating(datings)
        first, last = dating.earliest or dating.latest, dating.latest or dating.earliest
        if first and last:
            entities[thing].update(start=first.isoformat(), end=last.isoformat())
    return entities


#: Colours of accord and measure statuses in the page's "as of" mode.
STATUS_COLORS = {
    "Signed": "#2563eb",
    "InForce": "#2563eb",
    "TerminationNotified": "#dc2626",
    "TerminationSuspended": "#f59e0b",
    "Terminated": "#111827",
    "NormalisationAgreed": "#4ade80",
    "Normalised": "#16a34a",
    "Neutralised": "#6b7280",
    "Imposed": "#b91c1c",
    "Tightened": "#7f1d1d",
    "Eased": "#ea580c",
    "Suspended": "#ca8a04",
    "LiftingAnnounced": "#65a30d",
    "Lifted": "#16a34a",
}


def _lifecycles(store: Store, entities: dict) -> dict:
    """For the "as of" mode: each accord's or measure's status changes on the page, and the status legend.

    `lifecycle[iri]` is [[first day, status, label, formatted date], …] in the
    ordering rule's order (graph/time/lifecycle.py); a change counts from the
    first day its period allows.
    """
    from bilateral.graph.explore.timelines import response_links
    from bilateral.graph.labels import label_index
    from bilateral.graph.namespaces import BL
    from bilateral.graph.time.lifecycle import IN_FORCE, history, status_changes

    index = label_index(store)
    by_subject: dict[str, list] = {}
    for change in status_changes(store):
        if change.subject in entities and change.dating.sort_start:
            by_subject.setdefault(change.subject, []).append(change)
    if not by_subject:
        return {"lifecycle": {}, "statuses": []}
    links = response_links(store)
    lifecycle = {
        subject: [
            [str(c.dating.sort_start), c.status[len(BL) :], index.label(c.status), c.dating.text()]
            for c in history(changes, links, index.label)
        ]
        for subject, changes in sorted(by_subject.items())
    }
    used = {step[1] for steps in lifecycle.values() for step in steps}
    statuses = [
        {"name": name, "label": index.label(BL + name), "color": color, "in_force": BL + name in IN_FORCE}
        for name, color in STATUS_COLORS.items()
        if name in used
    ]
    return {"lifecycle": lifecycle, "statuses": statuses}


# The same stack as explorer.css's --font: CJK fonts after the Latin ones, so Korean and Japanese show as glyphs.
FONT_FACE = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK KR", "Noto Sans CJK JP", '
    '"Apple SD Gothic Neo", "Malgun Gothic", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif'
)


def _vis_options() -> dict:
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": False,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "zoomSpeed": 0.6,
        },
        "nodes": {"borderWidth": 1.5, "borderWidthSelected": 3, "font": {"face": FONT_FACE}},
        "edges": {
            "smooth": False,
            "selectionWidth": 1.5,
            "hoverWidth": 0.8,
            "font": {
                "face": FONT_FACE,
                "size": 10,
                "color": "#4b5563",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "middle",
            },
            # relation names along the lines only when zoomed in (10 px × scale ≥ 13)
            "scaling": {"label": {"enabled": False, "drawThreshold": 13}},
        },
    }


def _checked_output(output: Path) -> Path:
    """The page's destination, made absolute ('-' is standard output), checked before any work."""
    from bilateral.graph.files import check_output, is_stdout

    if not is_stdout(output):
        output = Path(output).expanduser().absolute()
    check_output(output)  # before the layout: a missing directory fails fast
    return output


def _fill_and_write(output: Path, title: str, description: str, data_json: str) -> Path:
    """Fill the template with the page's data (JSON made safe for <script>) and write it."""
    from markupsafe import Markup

    from bilateral.graph.files import write_output

    page = _template().render(
        title=title,
        description=description,
        vis_version=VIS_NETWORK_VERSION,
        vis_js=Markup(_inline_script(_VENDOR_JS.read_text("utf-8"))),
        page_css=Markup(page_css()),
        page_scripts=[Markup(script) for script in page_scripts()],
        data_json=Markup(data_json),
    )
    write_output(output, page.encode("utf-8"))  # graph.files: '-', devices, symlinks, modes
    return output


def write_page(store: Store, view: View, output: Path) -> Path:
    """Lay out `view`, fill the template and write the page atomically; returns its absolute path."""
    output = _checked_output(output)
    positions = layout(view.graph, fixed=view.fixed)
    data = _page_data(store, view, positions)
    return _fill_and_write(output, view.title, view.description, json_for_script(data))


def _code_fingerprint() -> str:
    """Names, sizes and modification times of the package's Python files.

    A cached page built by other code (an upgrade, an edit) is not reused.
    """
    import hashlib

    package = _HERE.parent
    stats = sorted((str(f.relative_to(package)), f.stat().st_size, f.stat().st_mtime_ns) for f in package.rglob("*.py"))
    return hashlib.sha256(repr(stats).encode()).hexdigest()[:16]


def render_view(
    store: Store,
    output: Path,
    *,
    layout_name: str = "network",
    temperature: bool = True,
    temperature_between: tuple[str, str] | None = None,
    **choices: Unpack[ViewChoices],
) -> tuple[Path, list[str]]:
    """Write the explorer page (see `plan_view`); returns its path and the view's warnings.

    `layout_name` is the layout the page opens in ("network" or "time"); the
    page switches between them without a re-render.  `temperature` adds the
    strip of coded events under the graph (graph/page/temperature_strip.py,
    cached apart: an import changes it), between `temperature_between`
    (default Japan and South Korea).

    The page's data (positions, cards, legend: all that depends on the graph)
    is computed once per view and kept with the store (`GraphStore.cached`,
    invalidated with the store and when the code changes), so a second render
    of the same view only fills the template: about as fast as starting Python.
    `bilateral build` computes the whole graph's (`prepare`), so the first
    render after a build, and `serve`'s first page, are that fast too.
    """
    if layout_name not in PAGE_LAYOUTS:
        raise BadInput(f"--layout must be one of {', '.join(PAGE_LAYOUTS)}, not {layout_name!r}")
    output = _checked_output(output)
    chosen = view_choices(choices)
    page = _cached_page(store, chosen, layout_name)
    data_json = page["data_json"]
    if temperature:  # the temperature strip (issue 15)
        from bilateral.graph.page.temperature_strip import add_to_page_json, strip_json

        strip = strip_json(
            store, between=temperature_between, start=chosen["start"], end=chosen["end"], code=_code_fingerprint()
        )
        data_json = add_to_page_json(data_json, "temperature", strip)
    return _fill_and_write(output, page["title"], page["description"], data_json), page["warnings"]


def prepare(store: Store) -> bool:
    """Compute and cache the whole graph's page data now (at build time), if the graph fits on a page.

    Returns whether it did: a graph of more than LARGE_VIEW entities is
    folded into clusters, which costs more than a build should wait for.
    """
    from bilateral.graph.explore.interpreted import linked_projection

    if linked_projection(store).number_of_nodes() > LARGE_VIEW:
        return False
    _cached_page(store, view_choices({}))
    return True


def _cached_page(store: Store, chosen: ViewChoices, layout_name: str = "network") -> dict:
    """The page data of one view (title, description, JSON, warnings), from the store's cache or computed.

    Keyed on the layout the page opens in, too (the data says which); a
    layout other than the network one is derived from the network page's
    data (the same data but that one word), so it costs no second layout.
    """
    import hashlib

    params = json.dumps([*chosen.values(), LARGE_VIEW, layout_name, _code_fingerprint()])
    name = "page-" + hashlib.sha256(params.encode()).hexdigest()[:20]

    def compute() -> dict:
        if layout_name != "network":
            page = dict(_cached_page(store, chosen))
            data = json.loads(page["data_json"])
            data["layout"] = layout_name
            page["data_json"] = json_for_script(data)
            return page
        view = plan_view(store, **chosen)
        view.layout = layout_name
        data = _page_data(store, view, layout(view.graph, fixed=view.fixed))
        return {
            "title": view.title,
            "description": view.description,
            "data_json": json_for_script(data),
            "warnings": list(view.warnings),
        }

    return store.cached(name, compute)


def render(store: Store, output: Path, **options: Any) -> Path:
    """Write the explorer page for the whole graph or a part of it; returns its path.

    Takes `render_view`'s options (around, depth, start, end, types,
    layout_name, temperature, temperature_between) and drops its warnings,
    for callers that only want the file.
    """
    return render_view(store, output, **options)[0]


# --------------------------------------------------------------------------- paths


def render_paths(store: Store, path_result: dict, output: Path, *, neighbours: int = 8) -> Path:
    """Write a page for `bilateral.graph.explore.pathfinding.find_paths`'s result: the paths drawn left to right, highlighted.

    The page holds the paths' nodes and, for context, up to `neighbours` of
    each one's best-connected neighbours (dimmed).  Each path runs on its own
    row from the first entity (left) to the second (right).
    """
    from bilateral.graph.explore.interpreted import linked_projection
    from bilateral.graph.labels import label_index

    full = linked_projection(store)  # the projection with hedged links as edges "according to" (issue 13)
    index = label_index(store)
    path_nodes: set[str] = set()
    path_edges: set[tuple[str, str, str]] = set()
    fixed: dict[str, tuple[float, float]] = {}
    source, target = path_result["from"]["iri"], path_result["to"]["iri"]
    longest = max((p["length"] for p in path_result["paths"]), default=1)
    step = 330.0
    for row, path in enumerate(path_result["paths"]):
        offset = (row - (len(path_result["paths"]) - 1) / 2) * 200.0
        hops = path["hops"]
        for number, hop in enumerate(hops):
            a, b = hop["from"]["iri"], hop["to"]["iri"]
            path_nodes.update((a, b))
            u, v = (a, b) if hop["direction"] == "forward" else (b, a)
            key = f"interpreted:{hop['interpretation']}" if hop.get("interpreted") else hop["relation_iri"]
            path_edges.add((u, v, key))
            for position, node in ((number, a), (number + 1, b)):
                if node not in fixed:
                    x = position * step * longest / max(1, len(hops))
                    fixed[node] = (x, 0.0 if node in (source, target) else offset)
    missing = [n for n in path_nodes if n not in full]
    if missing:
        raise BadInput(f"{index.label(missing[0])} is not an entity of the graph")
    context: set[str] = set()
    for node in path_nodes:
        others = {o for o in full.predecessors(node)} | {o for o in full.successors(node)}
        others -= path_nodes
        context.update(sorted(others, key=lambda o: (-full.degree(o), o))[:neighbours])
    graph = full.subgraph(path_nodes | context).copy()
    title = f"{path_result['from']['label']} → {path_result['to']['label']}"
    view = View(
        graph=graph,
        title=title,
        description=f"{len(path_result['paths'])} path(s) from {path_result['from']['label']} "
        f"to {path_result['to']['label']}",
        focus=None,
        paths=path_result["paths"],
        path_nodes=path_nodes,
        path_edges=path_edges,
        fixed=fixed,
    )
    return write_page(store, view, output)
