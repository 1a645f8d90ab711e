"""Meek STV: iterative keep factors (the method of New Zealand's local elections).

Every candidate has a **keep factor**: 1 while hopeful, 0 once excluded, and
for an elected candidate the share of each vote reaching them that they keep.
A paper of weight ``w`` arriving at a candidate with keep factor ``k`` gives
them ``w x k`` and passes ``w x (1 - k)`` to its next preference; what passes
beyond the last preference is **excess** (non-transferable). So a paper goes on
through elected and excluded candidates and stops at its first hopeful one.

Arithmetic is fixed point with **nine decimal places** (integers counting
10^-9 of a vote), as in Hill's NZ calculator: the value kept is
``w x k`` rounded *up* to the next unit and the rest passes on, so every
paper's value is conserved exactly (votes + excess = valid papers).

The count, in rounds:

1. **Iterate** until one of: a hopeful candidate reaches the quota; the total
   surplus of the elected candidates is at most the **tolerance**, 10^-6 of a
   vote; or the total surplus stops falling (rounding prevents progress). Each
   iteration distributes every paper, sets the quota to
   ``(valid votes - excess) / (seats + 1)`` truncated to nine places plus
   10^-9, and (unless it stopped) sets each elected candidate's keep factor to
   ``k x quota / votes`` rounded up (never above 1).
2. **Elect** every hopeful candidate with at least the quota (highest first;
   equal votes: earlier rounds, then the tie-break rule).
3. When hopeful candidates are no more than the vacancies left, they are all
   deemed elected; when no vacancy is left, the count ends.
4. If nobody was elected in the round, **exclude** the hopeful candidate with
   the fewest votes by setting their keep factor to 0. Candidates within the
   remaining total surplus of the lowest (at most the tolerance once the
   iteration has converged) are tied: the one with fewer votes at the most
   recent earlier round where they differed is excluded, then the tie-break
   rule decides (its last candidate is excluded). Next round.

Round 1 is the first-preference count (all keep factors 1). A round's row
shows the converged votes, keep factors and quota, how the iteration stopped
and how many iterations it took. Identical papers are merged before counting:
each distinct ranking is followed once, with its weight per paper, and its
share multiplied by its number of papers, which is exactly the per-paper count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.voting.methods.ranked.ballots import RankedBallots
from app.voting.methods.ranked.fixed import decimal_string
from app.voting.methods.ranked.lookback import TieRecord, break_tie, rank_highest_first
from app.voting.methods.ranked.matrix import BallotMatrix
from app.voting.methods.ranked.result import RankedResult, Stage
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

PLACES = 9
SCALE = 10**PLACES
TOLERANCE = 10**3  # 10^-6 of a vote, in units of 10^-9
MAX_UNITS = 2**62  # int64 headroom for any sum of paper values
MAX_ITERATIONS = 5_000  # per round; a safety net, reported as "iteration limit"


@dataclass(frozen=True)
class MeekResult(RankedResult):
    """A Meek STV count; ``as_dict()`` is the published, hashed form."""

    METHOD = "meek"
    RULES_VERSION = "meek-nz-fixed9/1"
    PRECISION = PLACES


def _fmt(units: int) -> str:
    return decimal_string(units, PLACES)


def _distribute(mat: BallotMatrix, keep: list[int]) -> tuple[list[int], int]:
    """Every candidate's votes and the excess, in units, for the keep factors ``keep``.

    Papers are followed one preference at a time, all distinct rankings
    together; a row drops out once nothing of its weight is left to pass on.
    The padding index (past the last preference) keeps everything: that is
    the excess.
    """
    n = mat.candidates
    keep_all = np.array([*keep, SCALE], dtype=np.int64)
    votes = np.zeros(n + 1, dtype=np.int64)
    rows = np.arange(len(mat.counts))
    papers = mat.counts
    weight = np.full(len(rows), SCALE, dtype=np.int64)
    for column in range(mat.ranks.shape[1]):
        cand = mat.ranks[rows, column]
        kept = (weight * keep_all[cand] + (SCALE - 1)) // SCALE
        np.add.at(votes, cand, kept * papers)
        weight -= kept
        live = weight > 0
        if not live.all():
            rows, papers, weight = rows[live], papers[live], weight[live]
        if not len(rows):
            break
    excess = int(votes[n]) + int((weight * papers).sum())
    return votes[:n].tolist(), excess


def count_meek(ballots: RankedBallots, seats: int, *, tie_break: TieBreak = LEXICOGRAPHIC) -> MeekResult:
    """Count ``ballots`` for ``seats`` seats under the rules in the module docstring."""
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValueError(f"seats must be a whole number of at least 1; got {seats!r}")
    ids = ballots.candidates
    n = len(ids)
    total = ballots.total * SCALE
    if total > MAX_UNITS:
        raise ValueError("too many papers for exact 64-bit vote arithmetic")
    mat = ballots.matrix

    keep = [SCALE] * n
    hopeful = [True] * n
    elected: list[int] = []
    excluded: list[int] = []
    history: list[list[int]] = []
    stages: list[Stage] = []
    before = [0] * n
    excess_before = 0
    action, subject = "first preferences", None
    ties: list[TieRecord] = []
    quota = total // (seats + 1) + 1

    while True:
        iterations = 0
        last_surplus = None
        while True:
            votes, excess = _distribute(mat, keep)
            iterations += 1
            quota = (total - excess) // (seats + 1) + 1
            reached = [c for c in range(n) if hopeful[c] and votes[c] >= quota]
            surplus = sum(votes[c] - quota for c in elected)
            if reached:
                outcome = "quota reached"
                break
            if surplus <= TOLERANCE:
                outcome = "surplus within tolerance"
                break
            if last_surplus is not None and surplus >= last_surplus:
                outcome = "surplus stable"
                break
            if iterations >= MAX_ITERATIONS:
                outcome = "iteration limit"
                break
            last_surplus = surplus
            for c in elected:
                keep[c] = min(SCALE, -(-keep[c] * quota // votes[c]))

        order = {"ids": ids, "tie_break": tie_break, "purpose": "election order"}
        newly, more = rank_highest_first(reached, votes, history, **order)
        ties = ties + more
        for c in newly:
            hopeful[c] = False
            elected.append(c)
        deemed: list[int] = []
        vacancies = seats - len(elected)
        left = [c for c in range(n) if hopeful[c]]
        if vacancies > 0 and len(left) <= vacancies:
            deemed, more = rank_highest_first(left, votes, history, **order)
            ties += more
            for c in deemed:
                hopeful[c] = False
                elected.append(c)
        history.append(votes)
        stages.append(
            Stage(
                number=len(history),
                action=action,
                subject=subject,
                votes=tuple(_fmt(v) for v in votes),
                transfers=tuple(_fmt(v - b) for v, b in zip(votes, before, strict=True)),
                non_transferable=_fmt(excess - excess_before),
                non_transferable_total=_fmt(excess),
                quota=_fmt(quota),
                elected=tuple(ids[c] for c in newly),
                deemed_elected=tuple(ids[c] for c in deemed),
                excluded=(subject,) if action == "exclusion" else (),
                ties=tuple(ties),
                notes={
                    "keep_factors": {ids[c]: _fmt(keep[c]) for c in range(n)},
                    "iterations": iterations,
                    "stopped": outcome,
                    "surplus": _fmt(surplus),
                },
            )
        )
        before, excess_before = votes, excess
        if len(elected) >= seats or not any(hopeful):
            break
        ties = []
        if newly:
            action, subject = "surplus", None
            continue
        # Votes are only known to within the surplus still undistributed, so candidates within
        # it of the lowest are tied (as in OpenSTV and Droop); exact equality when it is zero.
        low = min(votes[c] for c in range(n) if hopeful[c]) + max(surplus, 0)
        level = [c for c in range(n) if hopeful[c] and votes[c] <= low]
        if len(level) == 1:
            loser = level[0]
        else:
            loser, record = break_tie(level, history[:-1], lowest=True, ids=ids, tie_break=tie_break, purpose="exclude")
            ties.append(record)
        hopeful[loser] = False
        keep[loser] = 0
        excluded.append(loser)
        action, subject = "exclusion", ids[loser]

    return MeekResult(
        candidates=ids,
        withdrawn=ballots.withdrawn,
        seats=seats,
        valid_papers=ballots.total,
        empty_papers=ballots.empty,
        quota=_fmt(quota),
        winners=tuple(ids[c] for c in elected),
        excluded=tuple(ids[c] for c in excluded),
        stages=tuple(stages),
        tie_break=tie_break,
        parameters={"tolerance": _fmt(TOLERANCE), "max_iterations": MAX_ITERATIONS},
    )
