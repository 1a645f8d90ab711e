"""The merged rankings as a padded integer matrix, and the next-preference search.

Counts move papers in bulk with numpy: row ``i`` of ``ranks`` is the ``i``-th
distinct ranking (candidate indices, padded with ``n``, an index no candidate
has) and ``counts[i]`` the number of papers carrying it. All arithmetic on
vote values stays in int64, within limits each method checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np


@dataclass(frozen=True)
class BallotMatrix:
    ranks: np.ndarray  # (rows, width) int32, padded with n
    counts: np.ndarray  # (rows,) int64
    candidates: int

    @classmethod
    def build(cls, rankings: tuple[tuple[int, ...], ...], counts: tuple[int, ...], candidates: int) -> BallotMatrix:
        rows = len(rankings)
        lengths = np.fromiter(map(len, rankings), dtype=np.intp, count=rows)
        width = int(lengths.max()) if rows else 1
        flat = np.fromiter(chain.from_iterable(rankings), dtype=np.int32, count=int(lengths.sum()))
        ranks = np.full((rows, width), candidates, dtype=np.int32)
        starts = np.cumsum(lengths) - lengths
        ranks[np.repeat(np.arange(rows), lengths), np.arange(flat.size) - np.repeat(starts, lengths)] = flat
        return cls(ranks=ranks, counts=np.array(counts, dtype=np.int64), candidates=candidates)

    def next_preferences(self, rows: np.ndarray, after: np.ndarray, continuing: np.ndarray) -> tuple[np.ndarray, ...]:
        """For each of ``rows``, the first position after ``after`` holding a continuing candidate.

        ``continuing`` is a boolean array over candidates. Returns ``(found,
        position, candidate)``: where ``found`` is false the paper has no
        further preference for a continuing candidate (``position`` and
        ``candidate`` are then meaningless).
        """
        sub = self.ranks[rows]
        usable = np.append(continuing, False)[sub]
        usable &= np.arange(sub.shape[1]) > after[:, None]
        found = usable.any(axis=1)
        position = usable.argmax(axis=1)
        candidate = sub[np.arange(sub.shape[0]), position]
        return found, position, candidate


def sum_by_candidate(candidates: np.ndarray, amounts: np.ndarray, n: int) -> list[int]:
    """``amounts`` summed per candidate index (exact int64), as Python ints."""
    totals = np.zeros(n, dtype=np.int64)
    np.add.at(totals, candidates, amounts)
    return totals.tolist()
