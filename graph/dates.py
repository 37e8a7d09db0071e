"""Dates with a precision: the one place that parses and prints them.

The graph stores every date as a full xsd:date plus bl:datePrecision
("day" | "month" | "year"), because engines compare xsd:gYearMonth badly.
Users write 2019, 2019-07 or 2019-07-04; output shows as much as is known.
"""

from __future__ import annotations

import datetime as _dt
import re

from bilateral.graph.errors import BadInput

__all__ = ["parse_user_date", "format_date", "period_end"]

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
