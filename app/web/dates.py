"""GOV.UK date inputs (three boxes: ``<name>-day``, ``<name>-month``, ``<name>-year``) read into dates.

One reader for every form, so none of them can fail on what people type:
letters, blanks, ``٣`` or ``²`` (digits to ``str.isdigit`` but not to
``int``), or a year so large that ``date()`` overflows rather than refusing
it. Callers turn a :class:`DateProblem` into their own whole sentence.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from typing import Any

from app.i18n import gettext as _

PARTS = ("day", "month", "year")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


class DateProblem(enum.Enum):
    BLANK = "blank"  # all three boxes empty
    INCOMPLETE = "incomplete"  # one or two boxes empty
    NOT_NUMBERS = "not_numbers"
    NOT_REAL = "not_real"  # numbers, but no such day, or a year outside the range asked for


def typed_parts(form: Mapping[str, Any], name: str) -> dict[str, str]:
    """What was typed in each box, trimmed (to show again with an error)."""
    return {part: str(form.get(f"{name}-{part}") or "").strip() for part in PARTS}


def parse_date(
    day: str, month: str, year: str, *, earliest: int = EARLIEST_YEAR, latest: int = LATEST_YEAR
) -> date | DateProblem:
    """The date the three boxes say, or what is wrong with them; never raises."""
    parts = (day.strip(), month.strip(), year.strip())
    if not any(parts):
        return DateProblem.BLANK
    if not all(parts):
        return DateProblem.INCOMPLETE
    if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts):
        return DateProblem.NOT_NUMBERS
    day_number, month_number, year_number = (int(p) for p in parts)
    if not earliest <= year_number <= latest:
        return DateProblem.NOT_REAL
    try:
        return date(year_number, month_number, day_number)
    except ValueError:
        return DateProblem.NOT_REAL


def read_date_input(form: Mapping[str, Any], name: str, **limits: int) -> date | DateProblem:
    """The date input ``name`` of ``form`` (see :func:`parse_date`)."""
    parts = typed_parts(form, name)
    return parse_date(parts["day"], parts["month"], parts["year"], **limits)


def read_named_date(form: Mapping[str, Any], name: str, what: str) -> tuple[date | None, str | None]:
    """A date that must be given: the date, or a whole sentence naming ``what`` (e.g. "the day voting closes")."""
    found = read_date_input(form, name)
    if isinstance(found, date):
        return found, None
    if found is DateProblem.BLANK:
        return None, _("Enter %(what)s", what=what)
    if found is DateProblem.NOT_REAL:
        return None, _("Enter %(what)s as a real date, like 27 3 2027", what=what)
    return None, _("Enter %(what)s as numbers, like 27 3 2027", what=what)
