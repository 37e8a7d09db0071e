"""The graph in the Python tools analysts already use: NetworkX, rdflib, pyvis.

For notebooks.  `to_networkx` hands over the projection (a copy: change it
freely), `to_rdflib` every quad as an rdflib Dataset with one named graph per
document, and `to_pyvis` a pyvis Network of a view that shows itself inline in
Jupyter.  The explorer page stays on our own template (graph/page); pyvis is for
quick looks where a notebook is the interface.

Labels are untrusted data: in the pyvis output a node's label is drawn on the
canvas as text, and every tooltip (which pyvis may show as HTML) is escaped.

    >>> import bilateral.graph as graph
    >>> store = graph.open_store()                      # doctest: +SKIP
    >>> graph.to_pyvis(store, around="id:japan", depth=1)  # doctest: +SKIP
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from bilateral.graph.errors import BadInput
from bilateral.graph.vocabulary import vocabulary

if TYPE_CHECKING:
    import networkx as nx
    import rdflib
    from pyvis.network import Network

__all__ = ["to_networkx", "to_rdflib", "to_pyvis"]

#: Colours by class, close to the explorer page's legend; the rest are grey.
_COLOURS = {
    "Event": "#d95f02",
    "State": "#1b9e77",
    "Person": "#7570b3",
    "Organization": "#e7298a",
    "Office": "#e7298a",
    "Accord": "#66a61e",
    "Issue": "#e6ab02",
}


def _colour(type_name: str) -> str:
    """The colour of a class or of its coloured ancestor (graph/vocabulary.py): a Meeting is drawn as an Event."""
    lineage = vocabulary().class_lineage.get(type_name, frozenset({type_name}))
    return next((colour for name, colour in _COLOURS.items() if name in lineage), "#999999")


#: A <link> or <script> element of pyvis's template that loads from the network.
_CDN_TAG = re.compile(r"<(link|script)\b[^>]*\b(?:href|src)=\"https?://[^>]*>(?:\s*</script>)?", re.DOTALL)


def to_networkx(store: Any, *, around: str | None = None, depth: int = 1) -> nx.MultiDiGraph:
    """The projection of `store` (entities, relations, sources on edges) as a NetworkX graph.

    A copy, so a notebook may change it without touching the cached projection.
    With `around` (an IRI or a CURIE such as `id:japan`), only the entities within
    `depth` relations of it, in either direction.
    """
    import networkx as nx

    from bilateral.graph.explore.projection import project

    graph = project(store)
    if around is None:
        return graph.copy()
    centre = _iri(store, around)
    if centre not in graph:
        raise BadInput(f"{around!r} is not an entity of the graph")
    if depth < 0:
        raise BadInput("depth must be 0 or more")
    near = nx.ego_graph(graph.to_undirected(as_view=True), centre, radius=depth)
    return graph.subgraph(near.nodes).copy()


def to_rdflib(store: Any) -> rdflib.Dataset:
    """Every quad of `store` as an rdflib Dataset: one named graph per document, the definitions in the default graph.

    Read through the store's N-Quads dump, so it works for a local store and an
    `--endpoint` store alike.
    """
    import pyoxigraph as ox
    import rdflib

    data = store.ox.dump(format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data.decode("utf-8"), format="nquads")
    return dataset


def to_pyvis(
    store_or_graph: Any,
    *,
    around: str | None = None,
    depth: int = 1,
    height: str = "650px",
    heading: str = "",
) -> Network:
    """A pyvis Network of a view, for a notebook: evaluate it as a cell's last line to see it inline.

    `store_or_graph` is a store (the view is `to_networkx(store, around=, depth=)`)
    or any NetworkX graph from the projection, such as
    `plan_view(store, types=["Event"]).graph`.  The page inlines vis-network from
    the pyvis package: nothing is fetched from the network.
    """
    graph = (
        store_or_graph
        if hasattr(store_or_graph, "nodes") and hasattr(store_or_graph, "edges")
        else to_networkx(store_or_graph, around=around, depth=depth)
    )
    network = _inline_network(
        height=height, width="100%", directed=True, notebook=True, cdn_resources="in_line", heading=html.escape(heading)
    )
    for node, data in graph.nodes(data=True):
        network.add_node(
            node,
            label=str(data.get("label") or node),  # drawn on the canvas: text, never markup
            title=_node_title(node, data),
            color=_colour(str(data.get("type") or "")),
        )
    for u, v, data in graph.edges(data=True):
        network.add_edge(u, v, title=_edge_title(data), label=str(data.get("label") or ""), arrows="to")
    return network


def _inline_network(**kwargs: Any) -> Network:
    """The pyvis Network with `_repr_html_`, so Jupyter shows it in the cell (no file written, no server)."""
    from pyvis.network import Network

    class InlineNetwork(Network):
        """A Network that renders itself into an iframe's srcdoc, with nothing fetched from a CDN."""

        def generate_html(self, *args: Any, **kwargs: Any) -> str:
            # pyvis's template always links Bootstrap from a CDN (styling only); drop it.
            return str(_CDN_TAG.sub("", super().generate_html(*args, **kwargs)))

        def _repr_html_(self) -> str:
            page = self.generate_html(notebook=True)
            return (
                f'<iframe srcdoc="{html.escape(page, quote=True)}" '
                f'style="width: 100%; height: {html.escape(str(self.height))}; border: none"></iframe>'
            )

    return InlineNetwork(**kwargs)


def _node_title(node: str, data: dict) -> str:
    """The tooltip of a node: label, classes, date and IRI, each escaped (pyvis may show it as HTML)."""
    parts = [str(data.get("label") or node), ", ".join(data.get("types") or [])]
    if data.get("date"):
        parts.append(str(data["date"]))
    parts.append(node)
    return html.escape("\n".join(p for p in parts if p))


def _edge_title(data: dict) -> str:
    """The tooltip of an edge: the relation and the documents asserting it, escaped."""
    sources = "; ".join(data.get("sources") or [])
    return html.escape(str(data.get("label") or "") + (f"\n{sources}" if sources else ""))


def _iri(store: Any, name: str) -> str:
    """An IRI from an IRI, `<IRI>` or a CURIE (`id:japan`)."""
    from bilateral.graph.namespaces import expand_curie

    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return text
    return expand_curie(text) or text
