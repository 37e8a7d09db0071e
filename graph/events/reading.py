"""Reading ICEWS files: the 4-column TSV and the 20-column Dataverse .tab, plain, .gz or .zip.

Every row is checked (columns, date, CAMEO type, UTF-8); a bad row is kept
as a `Refusal` with its line number, never silently dropped.  A file that is
unreadable, empty, or of another format is BadInput (exit 2).
"""

from __future__ import annotations

import datetime as _dt
import gzip
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bilateral.graph.errors import BadInput
from bilateral.graph.events.cameo import Cameo

__all__ = ["DATAVERSE", "TSV", "CodedRow", "ReadResult", "Refusal", "read_files"]

TSV = "icews-tsv"
DATAVERSE = "icews-dataverse"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATAVERSE_NEEDS = ("Event ID", "Event Date", "Source Name", "CAMEO Code", "Target Name")


@dataclass(slots=True)
class CodedRow:
    """One good row: who did what to whom when, and where it came from."""

    agent: str
    target: str
    cameo: int  # index into cameo().types
    day: int  # days since 1970-01-01
    file: int  # index into ReadResult.files
    line: int
    event_id: str | None = None
    agent_country: str | None = None
    target_country: str | None = None


@dataclass
class Refusal:
    """A refused row: file, line, why."""

    file: str
    line: int
    reason: str


@dataclass
class ReadResult:
    """The rows read from all files, the refusals, and each file's format."""

    rows: list[CodedRow] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    lines: int = 0


_EPOCH = _dt.date(1970, 1, 1).toordinal()


def _day(text: str) -> int | None:
    if not _DATE.match(text):
        return None
    try:
        return _dt.date.fromisoformat(text).toordinal() - _EPOCH
    except ValueError:
        return None


def _members(path: Path) -> list[tuple[str, bytes]]:
    """(display name, bytes) of each data file in `path`: itself, its gunzipped text, or a zip's members."""
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                return [(path.name, fh.read())]
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
                return [(f"{path.name}:{n}", archive.read(n)) for n in names]
        return [(path.name, path.read_bytes())]
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as exc:
        raise BadInput(f"{path}: cannot read: {exc}") from None


def _detect(name: str, first: str) -> str:
    first = first.removeprefix("\ufeff")
    columns = first.rstrip("\r").split("\t")
    if all(c in columns for c in _DATAVERSE_NEEDS):
        return DATAVERSE
    if len(columns) == 4 and _DATE.match(columns[3].strip()):
        return TSV
    raise BadInput(
        f"{name}: unknown format: expected ICEWS tab-separated rows (actor, event type, actor, YYYY-MM-DD) "
        "or the Dataverse header (Event ID, Event Date, Source Name, ...)"
    )


def read_files(paths: list[Path], cameo: Cameo, progress=None) -> ReadResult:
    """Read every file (BadInput for an unreadable, empty or unknown one); rows and refusals."""
    result = ReadResult()
    for path in paths:
        for name, data in _members(Path(path)):
            lines = data.split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            if not lines or not any(line.strip() for line in lines):
                raise BadInput(f"{name}: empty file: no rows to import")
            try:
                first = lines[0].decode("utf-8")
            except UnicodeDecodeError:
                raise BadInput(f"{name}: unknown format: the first line is not UTF-8 text") from None
            fmt = _detect(name, first)
            result.files.append(name)
            result.formats.append(fmt)
            reader = _read_tsv if fmt == TSV else _read_dataverse
            reader(lines, len(result.files) - 1, name, cameo, result, progress)
            if progress:
                progress(result.lines)
    return result


def _decoded(raw: bytes, name: str, number: int, result: ReadResult) -> str | None:
    try:
        return raw.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        result.refused.append(Refusal(name, number, "bytes that are not UTF-8"))
        return None


def _read_tsv(lines, file_index, name, cameo, result, progress) -> None:
    days: dict[str, int | None] = {}  # a date string -> its day (None: bad); a few thousand distinct dates
    kinds: dict[str, int | None] = {}
    rows = result.rows
    for number, raw in enumerate(lines, 1):
        result.lines += 1
        if progress and not result.lines % 20000:
            progress(result.lines)
        text = _decoded(raw, name, number, result)
        if text is None or not text.strip():
            continue
        cells = text.split("\t")
        if len(cells) != 4:
            result.refused.append(Refusal(name, number, f"{len(cells)} columns, expected 4"))
            continue
        agent, kind, target, date = (c.strip() for c in cells)
        day = days[date] if date in days else days.setdefault(date, _day(date))
        index = kinds[kind] if kind in kinds else kinds.setdefault(kind, cameo.index(kind, by_code=False))
        if agent and target and day is not None and index is not None:
            rows.append(CodedRow(agent, target, index, day, file_index, number))
        else:
            _row(agent, target, kind, False, date, file_index, number, name, cameo, result)  # records why


def _row(agent, target, kind, by_code, date, file_index, number, name, cameo, result) -> CodedRow | None:
    """A checked row, or None after recording why it was refused."""
    if not agent or not target:
        result.refused.append(Refusal(name, number, "an empty actor"))
        return None
    day = _day(date)
    if day is None:
        result.refused.append(Refusal(name, number, f"bad date {date[:40]!r}"))
        return None
    index = cameo.index(kind, by_code=by_code)
    if index is None:
        what = "code" if by_code else "event type"
        result.refused.append(Refusal(name, number, f"unknown CAMEO {what} {kind[:60]!r}"))
        return None
    return CodedRow(agent, target, index, day, file_index, number)


def _read_dataverse(lines, file_index, name, cameo, result, progress) -> None:
    header = lines[0].decode("utf-8").lstrip("\ufeff").rstrip("\r").split("\t")
    col = {h: i for i, h in enumerate(header)}
    width = len(header)
    for number, raw in enumerate(lines[1:], 2):
        result.lines += 1
        if progress and result.lines % 20000 == 0:
            progress(result.lines)
        text = _decoded(raw, name, number, result)
        if text is None or not text.strip():
            continue
        cells = text.split("\t")
        if len(cells) != width:
            result.refused.append(Refusal(name, number, f"{len(cells)} columns, expected {width}"))
            continue
        values = {h: cells[i].strip() for h, i in col.items()}
        get = values.get
        row = _row(
            get("Source Name", ""), get("Target Name", ""), get("CAMEO Code", ""), True, get("Event Date", ""),
            file_index, number, name, cameo, result,
        )  # fmt: skip
        if row:
            row.event_id = get("Event ID") or None
            row.agent_country = _country(get("Source Country", ""))
            row.target_country = _country(get("Target Country", ""))
            result.rows.append(row)


def _country(text: str) -> str | None:
    return text if text and text != "NA" else None
