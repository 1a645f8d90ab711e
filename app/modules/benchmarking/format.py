"""Figures written for people and for downloads, in the metric's unit."""

from __future__ import annotations

from app.i18n import gettext as _
from app.modules.benchmarking.catalogue import Metric, Unit


def number(metric: Metric, value: float | None) -> str:
    """``41.5%``, ``£12.40``, ``1,250``, ``3.2 days``; "suppressed" for a value held back."""
    if value is None:
        return _("suppressed")
    if metric.unit is Unit.PERCENT:
        return f"{value:.1f}%"
    if metric.unit is Unit.POUNDS:
        return f"£{value:,.2f}"
    if metric.unit is Unit.COUNT:
        return f"{value:,.0f}"
    if metric.unit is Unit.DAYS:
        return _("%(days)s days", days=f"{value:.1f}")
    return f"{value:,.2f}"


def plain(value: float | None) -> float | None:
    """A value for CSV and JSON: rounded to 4 decimal places, None when suppressed."""
    return None if value is None else round(value, 4)
