"""Dates shown as precisely as the source gives them: "13 June 2017", "June 2007" or "2007".

An article whose date line names only a month or a year is stored at the first day of it, with a precision
(Article.DatePrecision); every place that shows a date (pages, feeds, the API, citations) asks here, so that
nobody reads "1 June 2007" into a source that said "June 2007".
"""

import datetime

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

DAY, MONTH, YEAR = "day", "month", "year"


def format_date(value: datetime.date, precision: str = DAY) -> str:
    """'13 June 2017', 'June 2007' or '2007', in the interface's language and in the format its catalogue gives
    ("13 июня 2017 г.": Russian needs the genitive)."""
    if precision == YEAR:
        return f"{value.year}"
    if precision == MONTH:
        return date_format(value, gettext("F Y"))
    return date_format(value, gettext("j F Y"))


def iso_date(value: datetime.date, precision: str = DAY) -> str:
    """ISO 8601 at the same precision: '2017-06-13', '2007-06' or '2007' (each a valid HTML datetime too)."""
    if precision == YEAR:
        return f"{value.year:04d}"
    if precision == MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
