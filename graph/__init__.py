"""bilateral's library: load, validate, store, query, project, paths, render.

Knows nothing of click: anything the CLI can do, `import graph` can do.
Submodules import their heavy dependencies (rdflib, pyshacl, networkx,
pyvis) inside functions, so each command pays only for what it uses.

    >>> import graph
    >>> store = graph.open_store()            # doctest: +SKIP
    >>> graph.run_query(store, "ASK { ?s ?p ?o }").boolean   # doctest: +SKIP
    True
"""

from __future__ import annotations

from importlib import import_module

__all__ = [
    "open_store", "build", "validate_data", "run_query", "stats", "export", "project",
    "resolve", "search", "card", "find_paths", "chain", "timeline", "render",
    "open_remote", "publish", "make_server",
    "BadInput", "NotFound", "Ambiguous", "Problem", "InvalidData", "NoPath", "QueryTimeout",
]

_WHERE = {
    "open_store": "store", "build": "store", "validate_data": "validation", "run_query": "query",
    "stats": "counting", "export": "exporting", "project": "projection", "resolve": "resolution",
    "search": "searching", "card": "cards", "find_paths": "pathfinding", "chain": "chains",
    "timeline": "timelines", "render": "rendering",
    "open_remote": "remote", "publish": "publish", "make_server": "serve",
    "BadInput": "errors", "NotFound": "errors", "Ambiguous": "errors", "Problem": "errors",
    "InvalidData": "errors", "NoPath": "errors", "QueryTimeout": "errors",
}


def __getattr__(name: str):
    """Import lazily: `graph.find_paths` pulls in networkx only when used."""
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
