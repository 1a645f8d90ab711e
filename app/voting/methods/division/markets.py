"""The Independent Markets mechanism (Freeman, Pennock, Peters and Wortman
Vaughan, "Truthful aggregation of budget proposals", JET 2021), exactly.

Rule. Write each paper as shares of the budget: ``s_ij = amount_ij / budget``.
With ``n`` papers there are ``n + 1`` *phantom* proposals, the same for every
line, that move up together as a parameter ``t`` goes from 0 to 1:

    f_k(t) = min(t * (n - k), 1)        for k = 0, 1, ..., n

Line j's share at ``t`` is the median (the (n+1)-th largest) of the ``2n + 1``
numbers ``s_1j, ..., s_nj, f_0(t), ..., f_n(t)``. At ``t = 0`` the shares add
up to 0, at ``t = 1`` to at least 1 (each line gets its largest proposal), and
the sum grows continuously, so there is a ``t*`` where the shares add up to
exactly 1: that is the division. (The count reports the smallest such ``t*``;
any other gives the same division.)

Checking by hand. Sort line j's shares from largest, ``w_1 >= ... >= w_n``.
The median above equals ``max over i of min(w_i, i * t)``: the line gets the
largest ``x`` such that at least ``x / t`` papers asked for ``x`` or more. So
with the published ``t*``: for every line, take each paper's share, multiply
``t*`` by its place in the sorted list, take the smaller of the two, and keep
the largest of those; the results add up to 1.

Exactness. Each line's share is piecewise linear in ``t`` and only bends at
``t = w / i`` (a share divided by a count of papers), so the sum is linear
between consecutive such points and ``t*`` is solved exactly with fractions
(:mod:`.piecewise`).

Properties (the paper's theorems, checked by the tests): the papers' order
does not matter; a unanimous division is returned unchanged; if every paper
puts the whole budget on one line, each line gets the share of papers that
chose it (proportionality); and no voter can bring the division closer to
their own paper, measured as the total of the absolute differences, by
submitting a different one (strategy-proofness).

Floors and ceilings. When the officer sets them, each line's median is
clamped to ``[floor_j, ceiling_j]`` (as shares) before adding up, and ``t*``
makes the *clamped* medians add up to 1. If ceilings stop the sum reaching 1
even at ``t = 1``, ``t`` carries on to 2: the last phantom ``f_n`` rises as
``t - 1`` (the others stay at 1), so each line's median becomes
``max(w_1, t - 1)``: lines are lifted to a common level until the budget is
spent. What is then guaranteed: the total is the budget, every line is within
its range, the papers' order does not matter, and a unanimous division within
the ranges is returned unchanged. Strategy-proofness is proven for the
unclamped rule only; with floors and ceilings no such claim is made (a
randomised check in the tests has found no profitable misreport: evidence,
not proof).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from fractions import Fraction

from app.voting.methods.division.piecewise import exact_sorted, smallest_root

ONE = Fraction(1)
TWO = Fraction(2)


class _Line:
    """One line's median as a function of ``t`` on [0, 2]."""

    def __init__(self, shares: Sequence[Fraction]) -> None:
        counts = Counter(s for s in shares if s > 0)
        self.steps: list[tuple[Fraction, int]] = []  # (share u, papers giving u or more), largest u first
        at_least = 0
        for share in exact_sorted(counts, reverse=True):
            at_least += counts[share]
            self.steps.append((share, at_least))
        self.top = self.steps[0][0] if self.steps else Fraction(0)

    def median(self, t: Fraction) -> Fraction:
        if t >= 1:
            return max(self.top, t - 1)
        # max over steps of min(u, c * t). Along the steps u falls and c rises, so the terms are c * t up to the
        # first step with u <= c * t and u from there on: the largest is at that step or the one before.
        first = bisect_left(self.steps, True, key=lambda step: step[0] <= step[1] * t)
        around = self.steps[max(first - 1, 0) : first + 1]
        return max((min(u, c * t) for u, c in around), default=Fraction(0))

    def kinks(self) -> Iterator[Fraction]:
        yield from (Fraction(0), ONE, TWO, 1 + self.top)
        previous = 0
        for u, c in self.steps:
            yield u / c  # the ramp of slope c reaches the plateau u
            if previous:
                yield u / previous  # the next, shallower ramp leaves the plateau u
            previous = c

    def first_reaching(self, level: Fraction) -> Fraction:
        return smallest_root(self.median, self.kinks(), level)


def independent_markets(
    shares: Sequence[Sequence[Fraction]], floors: Sequence[Fraction], ceilings: Sequence[Fraction]
) -> tuple[list[Fraction], Fraction]:
    """(each line's exact share of the budget, ``t*``), for ``shares[i][j]`` = paper i's share for line j.

    ``floors`` and ``ceilings`` are shares of the budget (0 and 1 when unset).
    """
    lines = [_Line(column) for column in zip(*shares, strict=True)]
    bounds = [(lo, min(hi, ONE)) for lo, hi in zip(floors, ceilings, strict=True)]

    def clamped(line: _Line, t: Fraction, low: Fraction, high: Fraction) -> Fraction:
        return min(max(line.median(t), low), high)

    def total(t: Fraction) -> Fraction:
        return sum((clamped(line, t, lo, hi) for line, (lo, hi) in zip(lines, bounds, strict=True)), Fraction(0))

    kinks: list[Fraction] = []
    for line, (lo, hi) in zip(lines, bounds, strict=True):
        kinks.extend(line.kinks())
        # Clamping bends the line's curve where its median first reaches the floor and the ceiling.
        kinks.extend(line.first_reaching(level) for level in (lo, hi) if 0 < level < 1)
    t_star = smallest_root(total, kinks, ONE)
    return [clamped(line, t_star, lo, hi) for line, (lo, hi) in zip(lines, bounds, strict=True)], t_star
