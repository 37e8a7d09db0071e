"""What lint reads: every quad with the file it is written in, indexed per graph and over the union.

Lint works on the parsed files directly (no store), because each finding
must name the file and line where the curator wrote the claim, which a store
no longer knows.  The class and property hierarchies come from the same
quads (ontology.ttl is loaded with the data), so a bl:Meeting is an event
and a bl:retaliatesAgainst is a response.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING

from bilateral.graph.errors import InvalidData
from bilateral.graph.namespaces import BL, ID, RDF, RDFS, SKOS, curie
from bilateral.graph.vocabulary import ancestors

if TYPE_CHECKING:
    from pyoxigraph import BlankNode, Literal, NamedNode

__all__ = ["Finding", "LintData", "Quad", "read_lint_data"]

_TYPE = RDF + "type"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: where it is written, which check found it, and what is wrong."""

    file: str
    line: int
    check: str
    message: str
    subject: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.check}: {self.message}"

    def as_json(self) -> dict[str, str | int]:
        """The --json object of a finding."""
        return {
            "file": self.file,
            "line": self.line,
            "check": self.check,
            "message": self.message,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class Quad:
    """One claim as written: subject, predicate, object term, graph (None = default) and file."""

    s: str
    p: str
    o: NamedNode | BlankNode | Literal  # never a triple term: parse_file refuses those
    g: str | None
    path: Path

    @property
    def value(self) -> str:
        """The object's lexical value."""
        return self.o.value


@dataclass
class LintData:
    """Every quad, indexed: per graph, over the union, with class and property closures."""

    quads: list[Quad]
    texts: dict[Path, list[str]]
    by_graph: dict[str | None, dict[str, dict[str, list[Quad]]]] = field(default_factory=dict)
    union: dict[str, dict[str, list[Quad]]] = field(default_factory=dict)
    superclasses: dict[str, frozenset[str]] = field(default_factory=dict)
    superproperties: dict[str, frozenset[str]] = field(default_factory=dict)
    _subject_lines: dict[Path, dict[str, list[int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_graph: dict[str | None, dict[str, dict[str, list[Quad]]]] = {}
        union: dict[str, dict[str, list[Quad]]] = {}
        for q in self.quads:
            by_graph.setdefault(q.g, {}).setdefault(q.s, {}).setdefault(q.p, []).append(q)
            union.setdefault(q.s, {}).setdefault(q.p, []).append(q)
        self.by_graph, self.union = by_graph, union
        self.superclasses = ancestors(self._pairs(RDFS + "subClassOf"))
        self.superproperties = ancestors(self._pairs(RDFS + "subPropertyOf"))
        self._subject_lines = {path: _subject_starts(lines) for path, lines in self.texts.items()}

    def _pairs(self, predicate: str) -> list[tuple[str, str]]:
        return [(q.s, q.value) for q in self.quads if q.p == predicate and hasattr(q.o, "value")]

    # ---------------------------------------------------------------- reading

    def values(self, s: str, p: str, graph: str | None | EllipsisType = ...) -> list[str]:
        """The object values of (s, p) in one graph (None: the default graph), or over the union when no graph is given."""
        table = self.union if graph is ... else self.by_graph.get(graph, {})
        return [q.value for q in table.get(s, {}).get(p, [])]

    def types(self, s: str) -> set[str]:
        """Every class of `s`, asserted anywhere, with their superclasses."""
        found = set(self.values(s, _TYPE))
        for t in list(found):
            found |= self.superclasses.get(t, set())
        return found

    def instances(self, cls: str) -> list[str]:
        """Every subject that is an instance of `cls` (through the subclass closure), sorted."""
        return sorted(s for s in self.union if cls in self.types(s))

    def subproperties(self, prop: str) -> set[str]:
        """`prop` and every property below it."""
        return {prop} | {p for p, ups in self.superproperties.items() if prop in ups}

    def source_graphs(self) -> list[str]:
        """The named graphs that are documents (their IRI is a bl:Source)."""
        return sorted(g for g in self.by_graph if g is not None and BL + "Source" in self.types(g))

    def names(self, s: str) -> list[tuple[str, str]]:
        """Every rdfs:label and skos:altLabel of `s` as (text, language)."""
        out = []
        for p in (RDFS + "label", SKOS + "altLabel"):
            for q in self.union.get(s, {}).get(p, []):
                out.append((q.value, getattr(q.o, "language", None) or ""))
        return out

    def label(self, s: str) -> str:
        """A readable name for messages: the English label, else the CURIE."""
        from bilateral.graph.labels import choose_label

        return choose_label(self._labels(s), s)

    def _labels(self, s: str) -> list[tuple[str, str]]:
        return [(q.value, getattr(q.o, "language", None) or "") for q in self.union.get(s, {}).get(RDFS + "label", [])]

    # ---------------------------------------------------------------- places

    def where(self, quad: Quad) -> tuple[str, int]:
        """The file and line where this claim is written (best effort: its subject's block)."""
        lines = self.texts.get(quad.path, [])
        starts = self._subject_lines.get(quad.path, {}).get(quad.s, [])
        if not starts:
            return str(quad.path), 1
        predicate = _predicate_tokens(quad.p)
        token = _object_token(quad.o)
        fallback = starts[0]
        for start in starts:
            end = _block_end(self._subject_lines[quad.path], start, len(lines))
            found = _find_in_block(lines, start, end, predicate, token)
            if found is not None:
                return str(quad.path), found
        return str(quad.path), fallback

    def where_subject(self, s: str, graph: str | None | EllipsisType = ...) -> tuple[str, int]:
        """Where `s` is first written as a subject (in `graph` when given)."""
        candidates = [q for ps in [self.union.get(s, {})] for qs in ps.values() for q in qs]
        if graph is not ...:
            candidates = [q for q in candidates if q.g == graph] or candidates
        best: tuple[str, int] | None = None
        for q in candidates:
            starts = self._subject_lines.get(q.path, {}).get(s)
            if starts:
                here = (str(q.path), starts[0])
                if q.p == _TYPE:
                    return here
                best = best or here
        if best:
            return best
        if candidates:
            return str(candidates[0].path), 1
        return "(unknown)", 0


_SUBJECT = re.compile(
    r"^\s*(id:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-]|<[^>\s]+>)(?:\s*$|\s+(?:a\s|[A-Za-z][\w\-]*:[A-Za-z_]|<))"
)


def _subject_starts(lines: list[str]) -> dict[str, list[int]]:
    """Map a subject IRI to the line numbers (1-based) where a block about it begins.

    A subject is a term at the start of a line followed by a predicate (a list
    continuation `id:x, id:y` or an object `id:x ;` is not one).
    """
    found: dict[str, list[int]] = defaultdict(list)
    for number, line in enumerate(lines, start=1):
        m = _SUBJECT.match(line)
        if m:
            token = m.group(1)
            iri = ID + token[3:] if token.startswith("id:") else token[1:-1]
            found[iri].append(number)
    return found


def _block_end(starts: dict[str, list[int]], start: int, total: int) -> int:
    later = [n for ns in starts.values() for n in ns if n > start]
    return min(later) - 1 if later else total


def _predicate_tokens(p: str) -> tuple[str, ...]:
    if p == _TYPE:
        return (" a ", "\ta ", "rdf:type")
    short = curie(p)
    return (short, f"<{p}>")


def _object_token(o: NamedNode | BlankNode | Literal) -> str | None:
    value = getattr(o, "value", None)
    if value is None:
        return None
    if type(o).__name__ == "NamedNode":
        short = curie(value)
        return short if short != value else f"<{value}>"
    return value[:24].split("\n")[0].replace('"', "") or None


def _find_in_block(lines: list[str], start: int, end: int, predicate: tuple[str, ...], token: str | None) -> int | None:
    """The line in [start, end] that holds the object after its predicate, else the predicate's line."""
    padded = [(n, " " + lines[n - 1] + " ") for n in range(start, end + 1)]
    first_predicate = next((n for n, text in padded if any(t in text for t in predicate)), None)
    if first_predicate is None:
        return None
    if token:
        for n, text in padded:
            if n >= first_predicate and token in text:
                return n
    return first_predicate


def read_lint_data(data_dir: Path) -> LintData:
    """Parse the ontology and every data file, keeping each quad's file; InvalidData on a syntax error."""
    import pyoxigraph as ox

    from bilateral.graph.locations import shapes_path
    from bilateral.graph.storage.loading import input_files, parse_file

    quads: list[Quad] = []
    texts: dict[Path, list[str]] = {}
    problems: list[str] = []
    for path in input_files(data_dir):
        if path == shapes_path():
            continue
        try:
            parsed = parse_file(path)
        except InvalidData as exc:
            problems.extend(exc.problems)
            continue
        texts[path] = path.read_text(encoding="utf-8").splitlines()
        for q in parsed:
            # never a triple term as subject or object: parse_file refuses them; the type allows them
            if isinstance(q.subject, (ox.NamedNode, ox.BlankNode)) and not isinstance(q.object, ox.Triple):
                g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
                subject = q.subject.value if isinstance(q.subject, ox.NamedNode) else "_:" + q.subject.value
                quads.append(Quad(subject, q.predicate.value, q.object, g, path))
    if problems:
        raise InvalidData(problems)
    return LintData(quads, texts)
