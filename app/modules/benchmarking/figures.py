"""The shape every module's ``council_figures(start, end)`` returns, and helpers to build it.

A provider returns ``{metric_code: {"value": ..., "numerator": ..., "denominator": ...}}``
for the current council and the period [start, end); a metric with nothing to
measure (no ballots closed, no repairs completed) is left out, not reported as 0.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TypedDict


class Figure(TypedDict):
    value: float
    numerator: float | None
    denominator: float | None


def rate(numerator: float, denominator: float, per: float = 100) -> Figure | None:
    """``numerator / denominator * per``, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return Figure(value=numerator / denominator * per, numerator=numerator, denominator=denominator)


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day``: periods are whole UTC days."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def collect(**figures: Figure | None) -> dict[str, Figure]:
    """The figures that could be computed, by metric code."""
    return {code: figure for code, figure in figures.items() if figure is not None}
