"""Ranked ballot papers, validated and merged before any count.

A ranked paper lists candidate ids best-first. Before counting, papers are
checked and **identical rankings are merged** into one entry with a count, so a
count touches each distinct ranking once however many papers carry it.

Rules applied here, the same for every ranked method:

* Every id on a paper must be a candidate (standing or withdrawn), and no
  candidate may appear twice on one paper: either is a :class:`RankedBallotError`.
* A **withdrawn** candidate's preferences are struck out, as if the voter had
  not marked them; later preferences move up.
* A paper left with no preference for a standing candidate is **empty**: it is
  not a valid vote and is reported separately (``empty``), never counted.

The order of the papers has no effect on any count (every method adds exact
integers), so the merged entries keep the order in which rankings were first seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from app.voting.methods.ranked.matrix import BallotMatrix


class RankedBallotError(ValueError):
    """Papers or candidates that cannot be counted; the message says which and why."""


@dataclass(frozen=True)
class RankedBallots:
    """Merged, validated papers ready to count.

    ``candidates`` are the standing candidates' ids in ballot-paper order;
    ``rankings[i]`` is a distinct ranking as indices into ``candidates`` and
    ``counts[i]`` the number of papers carrying it.
    """

    candidates: tuple[str, ...]
    withdrawn: tuple[str, ...]
    rankings: tuple[tuple[int, ...], ...]
    counts: tuple[int, ...]
    empty: int = 0

    @property
    def total(self) -> int:
        """The number of valid papers (empty papers excluded)."""
        return sum(self.counts)

    @cached_property
    def matrix(self) -> BallotMatrix:
        """The rankings as a padded integer matrix, built once, for the counts."""
        return BallotMatrix.build(self.rankings, self.counts, len(self.candidates))

    @classmethod
    def from_rankings(
        cls, candidates: Sequence[str], rankings: Iterable[Sequence[str]], *, withdrawn: Iterable[str] = ()
    ) -> RankedBallots:
        """Papers given one by one, each a sequence of candidate ids best-first."""
        papers = rankings if isinstance(rankings, Sequence) else list(rankings)
        try:
            merged = Counter(papers)  # fast when papers are tuples
            if all(isinstance(r, tuple) for r in merged):
                return cls.from_counts(candidates, merged, withdrawn=withdrawn)
        except TypeError:  # unhashable papers (lists): merge them one by one below
            pass
        merged = Counter()
        for number, ranking in enumerate(papers, start=1):
            if isinstance(ranking, str) or not isinstance(ranking, Sequence):
                raise RankedBallotError(f"paper {number} must be a sequence of candidate ids, not {ranking!r}")
            merged[tuple(ranking)] += 1
        return cls.from_counts(candidates, merged, withdrawn=withdrawn)

    @classmethod
    def from_counts(
        cls,
        candidates: Sequence[str],
        counts: Mapping[Sequence[str], int] | Iterable[tuple[Sequence[str], int]],
        *,
        withdrawn: Iterable[str] = (),
    ) -> RankedBallots:
        """Papers given as ``ranking -> number of papers`` (a mapping or pairs); rankings may repeat."""
        all_ids = tuple(candidates)
        if not all_ids:
            raise RankedBallotError("there must be at least one candidate")
        for ident in all_ids:
            if not isinstance(ident, str) or not ident:
                raise RankedBallotError(f"candidate ids must be non-empty strings; got {ident!r}")
        if len(set(all_ids)) != len(all_ids):
            raise RankedBallotError("candidate ids must be distinct")
        gone = set(withdrawn)
        unknown = sorted(gone - set(all_ids))
        if unknown:
            raise RankedBallotError(f"withdrawn candidates are not candidates: {', '.join(unknown)}")
        standing = tuple(c for c in all_ids if c not in gone)
        index = {c: i for i, c in enumerate(standing)}
        struck = dict.fromkeys(gone, -1)
        lookup = index | struck
        get = lookup.get

        merged: dict[tuple[int, ...], int] = {}
        empty = 0
        pairs = counts.items() if isinstance(counts, Mapping) else counts
        for ranking, number in pairs:
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise RankedBallotError(f"the number of papers must be a positive whole number; got {number!r}")
            if isinstance(ranking, str):
                raise RankedBallotError(f"a ranking must be a sequence of candidate ids, not the string {ranking!r}")
            try:
                positions = tuple(map(get, ranking))
            except TypeError:
                raise RankedBallotError(f"a ranking must be a sequence of candidate ids; got {ranking!r}") from None
            if None in positions:
                bad = next(c for c, p in zip(ranking, positions, strict=True) if p is None)
                raise RankedBallotError(f"a paper ranks {bad!r}, who is not a candidate")
            if len(set(positions)) != len(positions) and len(set(ranking)) != len(ranking):
                dup = next(c for c in ranking if list(ranking).count(c) > 1)
                raise RankedBallotError(f"a paper ranks {dup!r} more than once")
            if struck and -1 in positions:
                positions = tuple(p for p in positions if p != -1)
            if not positions:
                empty += number
                continue
            merged[positions] = merged.get(positions, 0) + number
        return cls(
            candidates=standing,
            withdrawn=tuple(c for c in all_ids if c in gone),
            rankings=tuple(merged),
            counts=tuple(merged.values()),
            empty=empty,
        )
