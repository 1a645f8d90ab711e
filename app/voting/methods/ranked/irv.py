"""Instant-runoff voting (the alternative vote) for one seat.

The count, in whole papers:

1. Each valid paper counts for its first preference among continuing candidates.
2. A candidate with more than half of the papers still counting (papers whose
   preferences are all excluded are exhausted and no longer count) is elected;
   so is the last continuing candidate.
3. Otherwise the candidate with the fewest papers is excluded (equal lowest:
   the candidate with fewer papers at the most recent earlier round where they
   differed, then the published tie-break rule, whose *last* candidate is
   excluded) and each of their papers moves to its next preference for a
   continuing candidate, or is exhausted. Then back to 2.

The first round counts first preferences; each later round is one exclusion.
Each round's row shows the votes after it, the change it made, the papers it
exhausted, the majority then needed (``quota``), who it excluded and who was
elected at the end of it. With one seat, Scottish STV and Meek STV elect the
same candidate (the tests check this).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.voting.methods.ranked.ballots import RankedBallots
from app.voting.methods.ranked.lookback import TieRecord, break_tie
from app.voting.methods.ranked.matrix import sum_by_candidate
from app.voting.methods.ranked.result import RankedResult, Stage
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak


@dataclass(frozen=True)
class IrvResult(RankedResult):
    """An IRV count; ``as_dict()`` is the published, hashed form."""

    METHOD = "irv"
    RULES_VERSION = "irv/1"
    PRECISION = 0


def count_irv(ballots: RankedBallots, *, tie_break: TieBreak = LEXICOGRAPHIC) -> IrvResult:
    """Count ``ballots`` for one seat under the rules in the module docstring."""
    ids = ballots.candidates
    n = len(ids)
    mat = ballots.matrix
    holder = mat.ranks[:, 0].copy()
    position = np.zeros(len(mat.counts), dtype=np.int32)
    continuing = np.ones(n, dtype=bool)
    votes = sum_by_candidate(holder, mat.counts, n)

    history: list[list[int]] = []
    stages: list[Stage] = []
    excluded: list[int] = []
    totals = {"exhausted": 0}

    def finish_round(action: str, subject: int | None, before: list[int], exhausted: int, ties: list) -> int | None:
        live = sum(votes)
        left = [c for c in range(n) if continuing[c]]
        leader = max(left, key=lambda c: votes[c])
        elected = leader if 2 * votes[leader] > live or len(left) == 1 else None
        totals["exhausted"] += exhausted
        history.append(votes.copy())
        stages.append(
            Stage(
                number=len(history),
                action=action,
                subject=None if subject is None else ids[subject],
                votes=tuple(str(v) for v in votes),
                transfers=tuple(str(v - b) for v, b in zip(votes, before, strict=True)),
                non_transferable=str(exhausted),
                non_transferable_total=str(totals["exhausted"]),
                quota=str(live // 2 + 1),
                elected=() if elected is None else (ids[elected],),
                excluded=() if subject is None else (ids[subject],),
                ties=tuple(ties),
            )
        )
        return elected

    winner = finish_round("first preferences", None, [0] * n, 0, [])
    while winner is None:
        ties: list[TieRecord] = []
        low = min(votes[c] for c in range(n) if continuing[c])
        level = [c for c in range(n) if continuing[c] and votes[c] == low]
        if len(level) == 1:
            loser = level[0]
        else:
            loser, record = break_tie(level, history[:-1], lowest=True, ids=ids, tie_break=tie_break, purpose="exclude")
            ties.append(record)
        before = votes.copy()
        continuing[loser] = False
        excluded.append(loser)
        rows = np.flatnonzero(holder == loser)
        found, at, to = mat.next_preferences(rows, position[rows], continuing)
        papers = mat.counts[rows]
        exhausted = int(papers[~found].sum())
        gains = sum_by_candidate(to[found], papers[found], n)
        holder[rows] = -1
        holder[rows[found]] = to[found]
        position[rows[found]] = at[found]
        for c in range(n):
            votes[c] += gains[c]
        votes[loser] = 0
        winner = finish_round("exclusion", loser, before, exhausted, ties)

    return IrvResult(
        candidates=ids,
        withdrawn=ballots.withdrawn,
        seats=1,
        valid_papers=ballots.total,
        empty_papers=ballots.empty,
        quota=stages[-1].quota,
        winners=(ids[winner],),
        excluded=tuple(ids[c] for c in excluded),
        stages=tuple(stages),
        tie_break=tie_break,
    )
