"""Read the ontology and every .trig/.ttl file of a data directory into quads.

TriG files keep their named graphs (one per source document); Turtle files
go to the default graph, which holds the ontology and the entity
definitions that no single document makes.  Parsing uses pyoxigraph, which
is fast and reports the line and column of a syntax error.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bilateral.graph.errors import BadInput, InvalidData
from bilateral.graph.locations import ontology_path, shapes_path

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["InputFile", "LoadedData", "input_files", "load", "parse_file"]


@dataclass
class InputFile:
    """One file that goes into the graph, with its content hash."""

    path: Path
    sha256: str


@dataclass
class LoadedData:
    """Everything parsed from one data directory."""

    quads: list[ox.Quad]
    files: list[InputFile]
    texts: dict[Path, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def input_files(data_dir: Path) -> list[Path]:
    """The ontology, the shapes and every .trig/.ttl under `data_dir`, in a stable order."""
    if not data_dir.is_dir():
        raise BadInput(f"{data_dir}: data directory does not exist")
    found = []

    def fail(exc: OSError) -> None:  # an unreadable subdirectory fails the build; it is never skipped
        raise InvalidData([f"{exc.filename or data_dir}: cannot read: {exc.strerror or exc}"])

    for directory, subdirectories, names in os.walk(data_dir, onerror=fail, followlinks=True):
        subdirectories.sort()
        for name in names:
            path = Path(directory) / name
            if path.suffix in (".trig", ".ttl") and path.is_file():
                found.append(path)
    return [ontology_path(), shapes_path(), *sorted(found)]


def _format_for(path: Path) -> ox.RdfFormat:
    import pyoxigraph as ox

    return ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE


def parse_file(path: Path, data: bytes | None = None) -> list[ox.Quad]:
    """Parse one file into pyoxigraph quads; raise InvalidData with `path:line:col: message`."""
    import pyoxigraph as ox

    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidData([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidData([f"{path}:{line}: not UTF-8 text (is it an RDF file?)"]) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = b" " * 3 + data[3:]  # a UTF-8 byte-order mark: harmless, read past it (columns stay where they were)
    try:
        quads = list(ox.parse(input=data, format=_format_for(path), base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InvalidData([_syntax_message(path, exc)]) from None
    _refuse_triple_terms(path, quads)
    return quads


def _refuse_triple_terms(path: Path, quads: list[ox.Quad]) -> None:
    """Refuse RDF 1.2 triple terms (`<<( s p o )>>`, and the `<< s p o >>` reification that yields one).

    pyoxigraph parses them, but nothing downstream holds them: SHACL engines
    cannot read them back, and every reader takes an object to be an IRI, a
    blank node or a literal.  Refused here, they are one problem in the data
    instead of a failure deep inside validation.
    """
    import pyoxigraph as ox

    found = [q for q in quads if isinstance(q.object, ox.Triple)]
    if found:
        first = found[0].object
        raise InvalidData(
            [
                f"{path}: triple terms (RDF 1.2 <<( )>> and << >>) are not supported: {len(found)} found, <<( {first} )>> first"
            ]
        )


_POSITION = re.compile(r"\s*\(?(?:at )?line \d+(?: column \d+)?\)?")


def _syntax_message(path: Path, exc: SyntaxError) -> str:
    message = str(exc.msg if getattr(exc, "msg", None) else exc)
    message = re.sub(r"^Parser error at line \d+ column \d+:\s*", "", message)
    message = _POSITION.sub("", message).strip() or "syntax error"
    if "end of file" in message.lower():
        message += " (is the file cut short?)"
    line = getattr(exc, "lineno", None) or 1
    col = getattr(exc, "offset", None) or 1
    return f"{path}:{line}:{col}: {message}"


def load(data_dir: Path, extra_files: list[Path] | None = None) -> LoadedData:
    """Parse the ontology, the data directory and any extra files; collect every problem."""
    quads: list[ox.Quad] = []
    files: list[InputFile] = []
    texts: dict[Path, str] = {}
    problems: list[str] = []
    paths = input_files(data_dir)
    known = {p.resolve() for p in paths}
    paths += [p for p in (extra_files or []) if p.resolve() not in known]
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        files.append(InputFile(path, hashlib.sha256(raw).hexdigest()))
        if path == shapes_path():
            continue  # the shapes are read by validation, not loaded into the graph
        try:
            quads.extend(parse_file(path, raw))
            texts[path] = raw.decode("utf-8")
        except InvalidData as exc:
            problems.extend(exc.problems)
    return LoadedData(quads, files, texts, problems)
