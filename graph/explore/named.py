"""The library of named queries shipped in graph/named_queries/*.rq.

Each file starts with comment lines `# title: …` (the one-line description
`query --list` shows) and optionally `# description: …`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bilateral.graph.errors import BadInput

__all__ = ["NamedQuery", "list_queries", "named_query"]

_DIR = Path(__file__).resolve().parent / "named_queries"


@dataclass
class NamedQuery:
    """A shipped query: its name (file stem), one-line title and text."""

    name: str
    title: str
    sparql: str


def _read(path: Path) -> NamedQuery:
    text = path.read_text("utf-8")
    title = ""
    for line in text.splitlines():
        if line.startswith("# title:"):
            title = line.split(":", 1)[1].strip()
            break
    return NamedQuery(path.stem, title, text)


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [_read(p) for p in sorted(_DIR.glob("*.rq"))]


def named_query(name: str) -> NamedQuery:
    """The named query `name`; BadInput (exit 2) listing the closest names otherwise."""
    path = _DIR / f"{name}.rq"
    if path.is_file() and path.parent == _DIR:
        return _read(path)
    import difflib

    names = [q.name for q in list_queries()]
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.3) or names[:5]
    raise BadInput(f"no named query {name!r}; closest: {', '.join(close)} (see `bilateral query --list`)")
