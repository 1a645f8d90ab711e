"""Largest-remainder rounding of an exact division to whole pence."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from app.voting.methods.ties import TieBreak


def largest_remainder(
    exact: Sequence[Fraction], lines: Sequence[str], total: int, tie_break: TieBreak
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Whole pence adding up to ``total``, and the lines that got an extra penny.

    Every line first gets its exact amount rounded down. The pennies left over
    (fewer than the number of lines) go one each to the lines with the largest
    fractions of a penny cut off; lines with equal fractions are taken in the
    tie-break order. A line never moves by a whole penny or more, so amounts that
    were within whole-penny floors and ceilings stay within them.
    """
    floors = [math.floor(x) for x in exact]
    left = total - sum(floors)
    order = sorted(range(len(lines)), key=lambda j: (floors[j] - exact[j], tie_break.key(lines[j])))
    extra = set(order[:left])
    assert left >= 0 and all(exact[j] > floors[j] for j in extra)  # the fractions cut off add up to `left`
    rounded = tuple(floors[j] + (j in extra) for j in range(len(lines)))
    return rounded, tuple(lines[j] for j in order[:left])
