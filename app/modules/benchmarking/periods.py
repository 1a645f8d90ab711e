"""Reporting periods: calendar months (computed figures) and quarters (uploaded ones). Pure."""

from __future__ import annotations

import re
from datetime import date

from app.modules.benchmarking.catalogue import Frequency

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# A period exactly as ``label`` writes it, month or quarter (the API's contract: tolerant parsing is for people).
CANONICAL_PERIOD = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def parse_quarter(text: str) -> date | None:
    """``2026-Q3`` → 2026-07-01; None if it is not a quarter written that way."""
    match = _QUARTER.match(text.strip().upper())
    if not match:
        return None
    return date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1)


def parse_month(text: str) -> date | None:
    """``2026-07`` → 2026-07-01; None if it is not a month written that way."""
    match = _MONTH.match(text.strip())
    return date(int(match[1]), int(match[2]), 1) if match else None


def label(start: date, frequency: Frequency) -> str:
    """``2026-07`` for a month, ``2026-Q3`` for a quarter (the same text the upload and the API use)."""
    if frequency is Frequency.MONTHLY:
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"


def between(first: date, last: date, frequency: Frequency) -> list[date]:
    """Every period from ``first`` to ``last``, latest first."""
    step = 1 if frequency is Frequency.MONTHLY else 3
    out, current = [], last
    while current >= first:
        out.append(current)
        current = add_months(current, -step)
    return out


def parse(text: str, frequency: Frequency) -> date | None:
    """A period written as ``label`` writes it, for a metric of ``frequency``."""
    return parse_month(text) if frequency is Frequency.MONTHLY else parse_quarter(text)
