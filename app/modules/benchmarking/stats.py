"""Quartiles of published figures across councils. Pure (no Flask, no database).

The council page computes the same in SQL (``queries.standings``, ``percentile_cont``).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """The lower quartile, median and upper quartile of some figures, and how many there were."""

    count: int
    lower: float | None
    median: float | None
    upper: float | None


def spread(values: Sequence[float]) -> Spread:
    """Quartiles by the inclusive method (the one spreadsheets' QUARTILE uses)."""
    if not values:
        return Spread(0, None, None, None)
    if len(values) == 1:
        return Spread(1, values[0], values[0], values[0])
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(len(values), lower, median, upper)
