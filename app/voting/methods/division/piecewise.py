"""Exact roots of monotone piecewise-linear functions, with fractions.

Both budget-division rules end by finding where a continuous, nondecreasing,
piecewise-linear sum reaches a target. Given every point where the function
can bend, the root is found exactly: a binary search over those points finds
the two neighbours whose values straddle the target, and between them the
function is a straight line, so one division gives the answer. No floats, no
iteration to a tolerance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction


def exact_sorted(values: Iterable[Fraction], reverse: bool = False) -> list[Fraction]:
    """``values`` sorted exactly, without duplicates.

    Comparing fractions is slow, so they are first sorted by their float
    values; the exact sort that follows then finds the list (nearly) in order,
    which takes it one comparison per item. The result is exact either way.
    """
    ordered = sorted(values, key=float, reverse=reverse)
    ordered.sort(reverse=reverse)
    return [x for i, x in enumerate(ordered) if i == 0 or x != ordered[i - 1]]


def smallest_root(f: Callable[[Fraction], Fraction], kinks: Iterable[Fraction], target: Fraction) -> Fraction:
    """The smallest ``x`` with ``f(x) == target``.

    ``f`` must be continuous and nondecreasing, linear between consecutive
    ``kinks``, with ``f(min(kinks)) <= target <= f(max(kinks))``.
    """
    points = exact_sorted(kinks)
    low, high = 0, len(points) - 1
    if not f(points[low]) <= target <= f(points[high]):
        raise ValueError("the target is not between the function's values at the ends")
    while low < high:  # find the first point where f reaches the target
        middle = (low + high) // 2
        if f(points[middle]) >= target:
            high = middle
        else:
            low = middle + 1
    right = points[low]
    f_right = f(right)
    if f_right == target or low == 0:
        return right
    left = points[low - 1]
    f_left = f(left)
    return left + (target - f_left) * (right - left) / (f_right - f_left)
