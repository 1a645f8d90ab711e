"""The mean division, moved onto the officer's floors and ceilings.

Rule: each line's mean is the sum of the amounts every paper gives it divided
by the number of papers (exact, in pence). The means add up to the budget. When
floors and ceilings are set and some mean falls outside its line's range, the
means are moved to the nearest division (least squares: the Euclidean
projection) that respects every range and still adds up to the budget. That
projection is "water-filling": one amount λ (lambda) is added to every line's
mean, and each result is clamped to its range:

    amount_j = min(max(mean_j + λ, floor_j), ceiling_j)

with λ the number that makes the amounts add up to the budget. The sum of the
clamped amounts is nondecreasing and piecewise linear in λ, bending only at
``floor_j - mean_j`` and ``ceiling_j - mean_j``, so λ is found exactly
(:mod:`.piecewise`). When every mean is already in range, λ = 0 and nothing
moves. To check by hand: add λ to every mean, clamp, and add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from app.voting.methods.division.piecewise import smallest_root


def _clamp(x: Fraction, low: Fraction, high: Fraction) -> Fraction:
    return min(max(x, low), high)


def projected_mean(
    papers: Sequence[Sequence[int]], floors: Sequence[int], ceilings: Sequence[int], budget: int
) -> tuple[list[Fraction], list[Fraction], Fraction]:
    """(exact amounts, unprojected means, λ), all in pence."""
    means = [Fraction(sum(column), len(papers)) for column in zip(*papers, strict=True)]
    bounds = list(zip(floors, ceilings, strict=True))

    def total(shift: Fraction) -> Fraction:
        return sum((_clamp(m + shift, lo, hi) for m, (lo, hi) in zip(means, bounds, strict=True)), Fraction(0))

    if total(Fraction(0)) == budget:
        shift = Fraction(0)
    else:
        kinks = [Fraction(b) - m for m, pair in zip(means, bounds, strict=True) for b in pair]
        shift = smallest_root(total, kinks, Fraction(budget))
    return [_clamp(m + shift, lo, hi) for m, (lo, hi) in zip(means, bounds, strict=True)], means, shift
