"""Summaries of published figures across councils: quartiles and ranks. Pure (no Flask, no database)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.modules.benchmarking.catalogue import Better


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


def ranks(values: Mapping[int, float], better: Better) -> dict[int, int]:
    """Each key's rank, 1 for the best; equal values share the better rank (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=better is Better.HIGHER)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: first[value] for key, value in values.items()}
