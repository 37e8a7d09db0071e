"""What the library asks of a store, stated once so that mypy holds every store to it.

Every module that reads the graph takes a `store` argument typed `Store`: an
opened store with a quad store in `store.ox` and a place to keep values
derived from it (`cached`).  Two kinds exist:

* the local store, `GraphStore` (graph.storage.store), whose `ox` is a
  `pyoxigraph.Store` opened from disk;
* the remote store, `RemoteGraphStore` (graph.remote.client), whose `ox` is
  a `RemoteOx` answering the same calls over the SPARQL 1.1 Protocol.

`QuadStore` lists exactly the pyoxigraph calls the library makes on
`store.ox`; the remote adapter implements exactly these.  A module that
starts calling anything else on `store.ox` (`add`, `update`, `load` ...)
fails type checking here rather than breaking `--endpoint` at run time,
and so does a remote adapter that drops one of them.

Results are typed `Any` where pyoxigraph's own type is a union the callers
never narrow (`query` gives solutions, a boolean or triples by the form of
the query text; a quad's terms include RDF-star triples no store here
holds); the method set, the argument names and the keywords are what this
protocol pins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    import os

    from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, RdfFormat, Triple

__all__ = ["CodedEventsSource", "QuadReader", "QuadStore", "Store"]

_T = TypeVar("_T")


@runtime_checkable
class QuadStore(Protocol):
    """The subset of `pyoxigraph.Store` the library calls (and `RemoteOx` implements)."""

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
    ) -> Any:
        """Run a SPARQL query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""
        ...

    def quads_for_pattern(
        self,
        subject: NamedNode | BlankNode | Triple | None,
        predicate: NamedNode | None,
        object: NamedNode | BlankNode | Literal | Triple | None,
        graph_name: NamedNode | BlankNode | DefaultGraph | None = None,
    ) -> Iterator[Any]:
        """The quads (pyoxigraph.Quad) matching a pattern (None matches anything; DefaultGraph() the default graph).

        Typed Any: pyoxigraph types a quad's subject and object as unions with
        RDF-star triples, which no bilateral store holds, so every `.value`
        would need narrowing for nothing.
        """
        ...

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        """The names of the named graphs (one per source document)."""
        ...

    def dump(
        self,
        output: IO[bytes] | str | os.PathLike[str] | None = None,
        format: RdfFormat | None = None,
        *,
        from_graph: NamedNode | BlankNode | DefaultGraph | None = None,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
    ) -> bytes | None:
        """Serialise the store (or one graph of it) in an RDF format; the bytes when `output` is None."""
        ...

    def __iter__(self) -> Iterator[Any]:
        """Every quad, in every graph."""
        ...

    def __len__(self) -> int:
        """How many quads the store holds."""
        ...


@runtime_checkable
class Store(Protocol):
    """An opened store as every library function receives it (`GraphStore`, `RemoteGraphStore`)."""

    @property
    def ox(self) -> QuadStore:
        """The quads and the SPARQL engine."""
        ...

    @property
    def data_dir(self) -> Path:
        """The data directory the store was built from (a remote store has none: see RemoteGraphStore)."""
        ...

    @property
    def store_dir(self) -> Path:
        """The directory of the built store (a query worker opens it by itself)."""
        ...

    @property
    def warnings(self) -> list[str]:
        """What the caller should be told about how this store was opened (e.g. a failed rebuild)."""
        ...

    def cached(self, name: str, compute: Callable[[], _T]) -> _T:
        """`compute()` once per store and name, kept for the store's lifetime (and on disk, locally)."""
        ...

    def remembered(self, name: str, compute: Callable[[], _T]) -> _T:
        """`compute()` once per store and name, kept in memory only (never meets a value of older code)."""
        ...


@runtime_checkable
class QuadReader(Protocol):
    """Just the quads: all a reader that only runs SPARQL asks of a store.

    Every `Store` is one; so is the wrapper around an in-memory pyoxigraph.Store
    with which the build computes lifecycles before any store exists
    (graph.storage.display).
    """

    @property
    def ox(self) -> QuadStore:
        """The quads and the SPARQL engine."""
        ...


@runtime_checkable
class CodedEventsSource(Protocol):
    """A store that can add the imported coded events to what SPARQL sees: a server's (RemoteGraphStore).

    A local store has no such view (its imports are read from their columnar table instead), so
    `isinstance(store, CodedEventsSource)` is how the events code tells the two apart.
    """

    def with_coded_events(self) -> Store:
        """The same server, its queries reaching the published imports as well as the curated graphs."""
        ...
