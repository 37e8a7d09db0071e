"""bilateral's library: load, validate, store, query, explore, render, publish.

Knows nothing of click: anything the CLI can do, `import bilateral.graph` can
do.  Submodules import their heavy dependencies (rdflib, pyshacl, networkx)
inside functions, so each command pays only for what it uses.

The package is grouped by concern, lower layers first; a module imports only
from its own group or a lower one (tests/test_layers.py holds this):

- foundations (this folder): errors, namespaces, vocabulary (what the code
  knows of ontology.ttl, read once), dates, labels, locations;
- `storage`: parsing, validation, the closure, the persisted store, SPARQL;
- `explore`: resolution of names, search, cards, paths, chains, timelines,
  counts, named queries, exports;
- `page`: the explorer page (view planning, layout, clusters, template);
- `remote`: the SPARQL client for `--endpoint`, publish, and serve.

    >>> import bilateral.graph as graph
    >>> store = graph.open_store()            # doctest: +SKIP
    >>> graph.run_query(store, "ASK { ?s ?p ?o }").boolean   # doctest: +SKIP
    True
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "open_store",
    "build",
    "validate_data",
    "run_query",
    "stats",
    "export",
    "project",
    "resolve",
    "search",
    "card",
    "find_paths",
    "chain",
    "timeline",
    "render",
    "to_networkx",
    "to_rdflib",
    "to_pyvis",
    "open_remote",
    "publish",
    "make_server",
    "BadInput",
    "NotFound",
    "Ambiguous",
    "Problem",
    "InvalidData",
    "NoPath",
    "QueryTimeout",
]

_WHERE = {
    "open_store": "storage.store",
    "build": "storage.store",
    "validate_data": "storage.validation",
    "run_query": "storage.query",
    "stats": "explore.counting",
    "export": "explore.exporting",
    "project": "explore.projection",
    "resolve": "explore.resolution",
    "search": "explore.searching",
    "card": "explore.cards",
    "find_paths": "explore.pathfinding",
    "chain": "explore.chains",
    "timeline": "explore.timelines",
    "render": "page.rendering",
    "to_networkx": "explore.interop",
    "to_rdflib": "explore.interop",
    "to_pyvis": "explore.interop",
    "open_remote": "remote.client",
    "publish": "remote.publish",
    "make_server": "remote.serve",
    "BadInput": "errors",
    "NotFound": "errors",
    "Ambiguous": "errors",
    "Problem": "errors",
    "InvalidData": "errors",
    "NoPath": "errors",
    "QueryTimeout": "errors",
}


def __getattr__(name: str) -> Any:
    """Import lazily: `graph.find_paths` pulls in networkx only when used."""
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'bilateral.graph' has no attribute {name!r}")
