"""Dates with a precision: the one place that parses and prints them.

The graph stores every date as a full xsd:date plus bl:datePrecision
("day" | "month" | "year"), because engines compare xsd:gYearMonth badly.
Users write 2019, 2019-07 or 2019-07-04; output shows as much as is known.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bilateral.graph.errors import BadInput

__all__ = [
    "Dating",
    "as_date",
    "best_dating",
    "format_bounds",
    "format_date",
    "intersect",
    "parse_user_date",
    "period_end",
]

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_user_date(text: str) -> tuple[_dt.date, str]:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD into (first day, precision); BadInput otherwise.

    >>> parse_user_date("2019-07")
    (datetime.date(2019, 7, 1), 'month')
    """
    m = _DATE.match(text.strip())
    if not m:
        raise BadInput(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        value = _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise BadInput(f"{text!r} is not a date: {exc}") from None
    return value, "day" if day else "month" if month else "year"


def period_end(value: _dt.date, precision: str) -> _dt.date:
    """The last day that a date of this precision covers (2019-07 → 2019-07-31).

    >>> period_end(_dt.date(2019, 2, 1), "month")
    datetime.date(2019, 2, 28)
    """
    if precision == "year":
        return _dt.date(value.year, 12, 31)
    if precision == "month":
        nxt = _dt.date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return nxt - _dt.timedelta(days=1)
    return value


def format_date(value: str | _dt.date | None, precision: str | None = "day") -> str | None:
    """Show a stored date to the precision the source gives: 2019-07-01/month → "2019-07".

    >>> format_date("2019-07-01", "month")
    '2019-07'
    >>> format_date("2018-01-01", "year")
    '2018'
    """
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, _dt.date) else str(value)
    if precision == "year":
        return text[:4]
    if precision == "month":
        return text[:7]
    return text[:10]


# ------------------------------------------------------------------ datings
# A thing's date as one document gives it: a start date at a precision, or
# bounds (bl:notBefore / bl:notAfter) when the text bounds a date it does
# not give.  Every output shows a dating through `Dating.text`, the one
# formatting rule: day 2019-11-22, month 2019-07, year 2019, and bounds as
# "after 2019-08", "before 2020-03", "between 2019-06 and 2019-08", each
# bound shown at the precision its day implies (a first of January is a
# year, a first of a month a month; for an upper bound, a 31 December is a
# year and the last day of a month a month).


def as_date(value: object) -> _dt.date | None:
    """A date from a date, an ISO text (its first ten characters) or None; None when it is no date.

    For values read back from JSON or SPARQL, where a bound may be a date, a
    dateTime's text or missing.
    """
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def lower_bound_text(value: _dt.date) -> str:
    """A lower bound at the precision its day implies: 2019-06-01 → "2019-06", 2019-01-01 → "2019".

    >>> lower_bound_text(_dt.date(2019, 6, 1))
    '2019-06'
    """
    precision = "year" if value.month == 1 and value.day == 1 else "month" if value.day == 1 else "day"
    return format_date(value, precision) or ""


def upper_bound_text(value: _dt.date) -> str:
    """An upper bound at the precision its day implies: 2019-08-31 → "2019-08", 2020-12-31 → "2020".

    >>> upper_bound_text(_dt.date(2019, 8, 31))
    '2019-08'
    """
    if value.month == 12 and value.day == 31:
        precision = "year"
    else:
        precision = "month" if value == period_end(value, "month") else "day"
    return format_date(value, precision) or ""


def format_bounds(not_before: _dt.date | None, not_after: _dt.date | None) -> str | None:
    """Bounds in words: "after 2019-08", "before 2020-03", "between 2019-06 and 2019-08".

    >>> format_bounds(_dt.date(2019, 6, 1), _dt.date(2019, 8, 31))
    'between 2019-06 and 2019-08'
    """
    if not_before and not_after:
        low, high = lower_bound_text(not_before), upper_bound_text(not_after)
        return low if low == high else f"between {low} and {high}"
    if not_before:
        return f"after {lower_bound_text(not_before)}"
    if not_after:
        return f"before {upper_bound_text(not_after)}"
    return None


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class Dating:
    """One document's dating of one thing: a start at a precision, or bounds, or nothing."""

    start: _dt.date | None = None
    precision: str | None = None
    not_before: _dt.date | None = None
    not_after: _dt.date | None = None

    @classmethod
    def of(
        cls, start: object = None, precision: str | None = None, not_before: object = None, not_after: object = None
    ) -> Dating:
        """Build from stored values (strings or dates; unreadable dates count as absent)."""
        start = as_date(start)
        return cls(
            start,
            (precision or "day") if start else None,
            as_date(not_before),
            as_date(not_after),
        )

    @property
    def known(self) -> bool:
        """Whether it has a date or a bound."""
        return bool(self.start or self.not_before or self.not_after)

    @property
    def earliest(self) -> _dt.date | None:
        """The first day it can have happened (None: unbounded)."""
        return self.start or self.not_before

    @property
    def latest(self) -> _dt.date | None:
        """The last day it can have happened (None: unbounded)."""
        return period_end(self.start, self.precision or "day") if self.start else self.not_after

    @property
    def sort_start(self) -> _dt.date | None:
        """Where it sorts: the start of its period (an upper bound alone, when that is all there is)."""
        return self.earliest or self.latest

    @property
    def precision_label(self) -> str | None:
        """The precision shown: day, month, year, bounds, or None when undated."""
        return self.precision if self.start else "bounds" if self.known else None

    def text(self) -> str | None:
        """The one formatting rule (module comment): "2019-11-22", "2019-07", "2019", "after 2019-08"."""
        if self.start:
            return format_date(self.start, self.precision)
        return format_bounds(self.not_before, self.not_after)

    def span(self) -> str | None:
        """The days it covers, in words: "on 2019-11-22", "between 2019-08-01 and 2019-08-31", "on or after …"."""
        low, high = self.earliest, self.latest
        if low and high:
            return f"on {low.isoformat()}" if low == high else f"between {low.isoformat()} and {high.isoformat()}"
        if low:
            return f"on or after {low.isoformat()}"
        if high:
            return f"on or before {high.isoformat()}"
        return None

    def width(self) -> int:
        """Days of uncertainty (unbounded: very many); the most precise dating has the least."""
        if self.earliest and self.latest:
            return (self.latest - self.earliest).days
        return 10**7 if (self.earliest or self.latest) else 10**8


def best_dating(datings: Iterable[Dating]) -> Dating:
    """Of several documents' datings of one thing, the one shown.

    A start date before bounds, the finest precision, then the narrowest, then the earliest.

    >>> best_dating([Dating.of("2019-07-01", "month"), Dating.of("2019-07-04", "day")]).text()
    '2019-07-04'
    """
    known = [d for d in datings if d.known]
    if not known:
        return Dating()
    chosen: Dating = min(
        known,
        key=lambda d: (
            d.start is None,
            _PRECISION_RANK.get(d.precision or "", 3),
            d.width(),
            d.sort_start or _dt.date.max,
        ),
    )
    return chosen


def intersect(datings: Iterable[Dating]) -> Dating:
    """What several documents' datings of one change allow together.

    The latest earliest day and the earliest latest day; when they
    contradict each other, the most precise one alone.

    >>> intersect([Dating.of(not_after="2020-10-31"), Dating.of("2019-08-01", "month")]).text()
    '2019-08'
    """
    known = [d for d in datings if d.known]
    if not known:
        return Dating()
    lows = [d.earliest for d in known if d.earliest]
    highs = [d.latest for d in known if d.latest]
    low, high = (max(lows) if lows else None), (min(highs) if highs else None)
    if low and high and low > high:
        return best_dating(known)
    best = best_dating(known)
    if best.earliest == low and best.latest == high:
        return best
    if low and high and low.day == 1 and (high == period_end(low, "month") or high == period_end(low, "year")):
        precision = "month" if high == period_end(low, "month") else "year"
        if precision == "year" and low.month != 1:
            return Dating(None, None, low, high)
        return Dating(low, precision)
    if low and high and low == high:
        return Dating(low, "day")
    return Dating(None, None, low, high)
