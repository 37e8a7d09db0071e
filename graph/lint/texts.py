"""The documents' own texts, and how a date, a quote or a figure is looked for in them.

Which text belongs to which source graph: a text file in the texts directory
is named `NNN_anything.txt` (or `NNN-anything.txt`, `NNN.txt`); a source
graph is document NNN when its IRI's slug starts `src-NNN-` or, failing that,
when a data file holding its claims starts with `NNN-`.  A graph with no
number is matched to a text with the same stem as one of its data files
(`mini.trig` ↔ `mini.txt`).

What counts as "appears" is deliberately simple and documented in
docs/curation.md: years as four digits, months by name, abbreviation or
number in a date form, quotes after normalising case, quote marks, dashes and
spacing, figures in the usual written forms of the number.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bilateral.graph.errors import BadInput

__all__ = [
    "Document",
    "document_number",
    "figure_appears",
    "month_appears",
    "normalise_text",
    "quote_appears",
    "read_texts",
    "relative_periods",
    "season_covers",
    "year_appears",
]

_NUMBERED = re.compile(r"^(\d{3})(?:[_\-.].*)?$")


@dataclass
class Document:
    """One source text: its file, its raw text and the normalised text searched."""

    path: Path
    raw: str
    normal: str


def read_texts(texts_dir: Path) -> dict[str, Document]:
    """Every .txt in `texts_dir`, keyed by its number NNN (or its stem when unnumbered); BadInput when unreadable."""
    if not texts_dir.is_dir():
        raise BadInput(f"{texts_dir}: texts directory does not exist")
    found: dict[str, Document] = {}
    for path in sorted(texts_dir.glob("*.txt")):
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"{path}: cannot read the text: {getattr(exc, 'strerror', None) or exc}") from None
        key = document_number(path.stem) or path.stem
        if key in found:
            raise BadInput(f"{path}: a second text for document {key} (first: {found[key].path.name})")
        found[key] = Document(path, raw, normalise_text(raw))
    if not found:
        raise BadInput(f"{texts_dir}: no .txt files (the documents' texts) in it")
    return found


def document_number(name: str) -> str | None:
    """The three-digit document number a file stem or a source slug starts with.

    >>> document_number("002_ed224ae42dbf410d")
    '002'
    >>> document_number("src-003-okonogi-2021")
    '003'
    >>> document_number("mini") is None
    True
    """
    name = name.removeprefix("src-")
    m = _NUMBERED.match(name)
    return m.group(1) if m else None


# ------------------------------------------------------------ normalisation

_SINGLE_QUOTES = "‘’‚‛′`´"
_DOUBLE_QUOTES = '“”„‟″«»‹›〝〞＂"'
_DASHES = "‐‑‒–—―−﹘﹣－"


def normalise_text(text: str) -> str:
    r"""Fold what a quote may legitimately differ in: case, quote marks, dashes, spacing.

    >>> normalise_text("South Korea’s  “conditional”\n decision — not")
    "south korea's conditional decision-not"
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate({ord(c): "'" for c in _SINGLE_QUOTES})
    text = text.translate({ord(c): None for c in _DOUBLE_QUOTES})
    text = text.translate({ord(c): "-" for c in _DASHES})
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ?- ?", "-", text).strip()


# ------------------------------------------------------------------- dates


def year_appears(year: int, doc: Document) -> bool:
    """The year written as four digits, not inside a longer number."""
    return re.search(rf"(?<!\d){year}(?!\d)", doc.normal) is not None


def _month_names(month: int) -> list[str]:
    full = calendar.month_name[month].lower()
    abbr = calendar.month_abbr[month].lower()
    names = [full, abbr]
    if month == 9:
        names.append("sept")
    return names


def month_appears(year: int, month: int, doc: Document) -> bool:
    """The month by name ("July", "Jul."), or by number in a date form (2019-07, 2019.7, 7/2019, 7/22/2019, 2019年7月).

    >>> month_appears(2019, 7, Document(Path("x"), "", normalise_text("on 22 Jul. the")))
    True
    >>> month_appears(2019, 7, Document(Path("x"), "", "2019-07-22"))
    True
    """
    text = doc.normal
    for name in _month_names(month):
        if re.search(rf"(?<![a-z]){name}(?![a-z])", text):
            return True
    m = f"0?{month}"
    numeric = (
        rf"(?<!\d){year}[\-./]{m}(?!\d)",
        rf"(?<!\d){m}/\d{{1,2}}/(?:{year}|{year % 100:02d})(?!\d)",
        rf"(?<!\d){m}/{year}(?!\d)",
        rf"(?<!\d){year} ?[年년] ?{m} ?[月월]",
    )
    return any(re.search(p, text) for p in numeric)


_RELATIVE_MONTHS = {"this month": 0, "last month": -1, "next month": 1, "this week": 0, "last week": -1, "today": 0}
_RELATIVE_YEARS = {"this year": 0, "last year": -1, "next year": 1}


def relative_periods(doc: Document, issued: _dt.date | None) -> tuple[set[int], set[tuple[int, int]]]:
    """Years and months the text names relative to its own date ("earlier this month", "last year").

    Curators resolve such words against the document's date (its
    dcterms:issued), so a date found that way counts as given by the text.
    "last week" may reach back into the previous month, so it allows both.

    >>> relative_periods(Document(Path("x"), "", "earlier this month"), _dt.date(2023, 3, 28))
    ({2023}, {(2023, 3)})
    """
    years: set[int] = set()
    months: set[tuple[int, int]] = set()
    if issued is None:
        return years, months
    for phrase, shift in _RELATIVE_MONTHS.items():
        if re.search(rf"(?<![a-z]){phrase}(?![a-z])", doc.normal):
            for step in {shift, 0 if phrase == "last week" else shift}:
                index = issued.year * 12 + issued.month - 1 + step
                months.add((index // 12, index % 12 + 1))
    for phrase, shift in _RELATIVE_YEARS.items():
        if re.search(rf"(?<![a-z]){phrase}(?![a-z])", doc.normal):
            years.add(issued.year + shift)
    years |= {y for y, _ in months}
    return years, months


_SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
    "first half": (1, 6),
    "second half": (7, 12),
}


def season_covers(month: int, edge: str, doc: Document) -> bool:
    """A season named in the text that begins (edge "start") or ends (edge "end") with this month.

    "the summer" supports a bound of 1 June (not before) and 31 August (not after).
    """
    for word, (first, last) in _SEASONS.items():
        if (first if edge == "start" else last) == month and re.search(rf"(?<![a-z]){word}(?![a-z])", doc.normal):
            return True
    return False


# ------------------------------------------------------------------ quotes

_ELISION = re.compile(r"\s*(?:…|\.\s?\.\s?\.|\[[^\]]*\])\s*")


def quote_appears(quote: str, doc: Document) -> bool:
    """Every fragment of the quote (split at an ellipsis or an [editorial insertion]) appears, in order.

    >>> quote_appears("the only ones … are Pyongyang", Document(Path("x"), "", "the only ones who gain are pyongyang"))
    True
    """
    fragments = [normalise_text(f).strip(" ,.;:'") for f in _ELISION.split(quote)]
    position = 0
    for fragment in fragments:
        if not fragment:
            continue
        found = doc.normal.find(fragment, position)
        if found < 0:
            return False
        position = found + len(fragment)
    return True


# ----------------------------------------------------------------- figures

_WORDS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
]  # fmt: skip
_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety", 100: "hundred"}
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def _plain(number: float) -> str:
    """A number without a useless fraction or exponent: 205000.0 → "205000", 7.30 → "7.3"."""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def figure_forms(value: str) -> list[str]:
    """Regular expressions for the written forms of a figure.

    >>> "205,000" in figure_forms("205000")
    True
    """
    number = float(value)
    plain = _plain(number)
    whole, _, fraction = plain.partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    forms = {re.escape(plain), re.escape(grouped), re.escape(grouped.replace(",", " "))}
    for scale, word in _SCALES:
        if abs(number) >= scale:
            scaled = _plain(number / scale)
            if len(scaled.replace(".", "").lstrip("-")) <= 4:
                forms.add(rf"{re.escape(scaled)} ?{word}")
    if number.is_integer() and 0 <= number <= 20:
        forms.add(_WORDS[int(number)])
    if number.is_integer() and int(number) in _TENS:
        forms.add(_TENS[int(number)])
    return sorted(forms, key=lambda f: (not f[0].isdigit(), len(f)))


def figure_appears(value: str, unit: str | None, doc: Document) -> bool:
    """The figure in one of its written forms; a percentage as "65%", "65 percent" or "65 per cent".

    >>> figure_appears("2500000000000", "USD", Document(Path("x"), "", "some 2.5 trillion yen"))
    True
    >>> figure_appears("65", "percent", Document(Path("x"), "", "65 people"))
    False
    """
    try:
        forms = figure_forms(value)
    except ValueError:
        return False
    suffix = r" ?(?:%|percent|per cent|percentage points?)" if unit and "percent" in unit.lower() else ""
    for form in forms:
        boundary_before = r"(?<![\d.,])" if form[0].isdigit() else r"(?<![a-z])"
        boundary_after = r"(?![\d]|[.,]\d)" if not suffix and form[-1].isdigit() else r"(?![a-z])"
        if re.search(boundary_before + form + suffix + (boundary_after if not suffix else ""), doc.normal):
            return True
    return False
