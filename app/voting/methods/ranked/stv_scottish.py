"""Multi-seat STV under the Scottish local government rules (SSI 2007/42, rules 45-52).

The count, as the rules set it out, in whole units of 1/100,000 of a vote
(five decimal places; no floats anywhere):

* **First stage (45).** Each valid paper gives one vote to its first preference.
* **Quota (46).** ``floor(valid papers / (seats + 1)) + 1`` votes, fixed for the count.
* **Election (47).** At the end of every stage each continuing candidate with at
  least the quota is elected. Candidates elected at the same stage are listed
  highest vote first (equal votes: earlier stages, then the tie-break rule).
* **Surplus (48, 49).** While vacancies remain, the elected candidate with the
  largest untransferred surplus (equal surpluses: the candidate with more votes
  at the most recent earlier stage where they differed, then the tie-break
  rule) has **all** the papers they hold transferred (weighted inclusive
  Gregory). Each paper goes to its next preference for a continuing candidate
  at the transfer value ``surplus x value of the paper when received / the
  candidate's total``, truncated to five decimal places. Papers with no further
  preference, and the value lost to truncation, are non-transferable. The
  elected candidate keeps exactly the quota. One surplus is one stage.
* **Exclusion (50, 51).** When no surplus remains to transfer, the continuing
  candidate with the fewest votes is excluded (equal lowest: the candidate with
  fewer votes at the most recent earlier stage where they differed, then the
  tie-break rule, whose *last* candidate is excluded). All their papers move
  to the next continuing preference at the value they had when received. One
  exclusion is one stage.
* **Last vacancies (52).** When the continuing candidates are no more than the
  vacancies, they are all deemed elected (in vote order) and no more transfers
  are made.

Papers transferred with a value that truncates to zero carry nothing further
and are set aside; that changes no total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.voting.methods.ranked.ballots import RankedBallots
from app.voting.methods.ranked.fixed import decimal_string
from app.voting.methods.ranked.lookback import TieRecord, break_tie, rank_highest_first
from app.voting.methods.ranked.matrix import BallotMatrix, sum_by_candidate
from app.voting.methods.ranked.result import RankedResult, Stage
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

PLACES = 5
UNIT = 10**PLACES
MAX_UNITS = 2**62  # int64 headroom for any sum of paper values


@dataclass(frozen=True)
class StvResult(RankedResult):
    """A Scottish STV count; ``as_dict()`` is the published, hashed form."""

    METHOD = "stv-scottish"
    RULES_VERSION = "stv-scottish-ssi-2007-42/1"
    PRECISION = PLACES


def _fmt(units: int) -> str:
    return decimal_string(units, PLACES)


def _move(
    mat: BallotMatrix,
    rows: np.ndarray,
    per_paper: np.ndarray,
    holder: np.ndarray,
    position: np.ndarray,
    value: np.ndarray,
    continuing: np.ndarray,
) -> tuple[list[int], int]:
    """Move ``rows`` to their next continuing preference at ``per_paper`` each.

    Returns the value gained by each candidate and the value of papers with no
    further preference. Rows that move with value zero are dropped.
    """
    found, at, to = mat.next_preferences(rows, position[rows], continuing)
    amounts = per_paper * mat.counts[rows]
    exhausted = int(amounts[~found].sum())
    gains = sum_by_candidate(to[found], amounts[found], len(continuing))
    holder[rows] = -1
    keep = found & (per_paper > 0)
    moved = rows[keep]
    holder[moved] = to[keep]
    position[moved] = at[keep]
    value[moved] = per_paper[keep]
    return gains, exhausted


def count_stv_scottish(ballots: RankedBallots, seats: int, *, tie_break: TieBreak = LEXICOGRAPHIC) -> StvResult:
    """Count ``ballots`` for ``seats`` seats under the rules in the module docstring."""
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValueError(f"seats must be a whole number of at least 1; got {seats!r}")
    ids = ballots.candidates
    n = len(ids)
    papers = ballots.total
    quota = (papers // (seats + 1) + 1) * UNIT

    if papers * UNIT > MAX_UNITS:
        raise ValueError("too many papers for exact 64-bit vote arithmetic")
    mat = ballots.matrix
    counts = mat.counts
    # Each distinct ranking is a row: who holds it now (-1: nobody), at which
    # position of the ranking, and at what value per paper.
    holder = mat.ranks[:, 0].copy()
    position = np.zeros(len(counts), dtype=np.int32)
    value = np.full(len(counts), UNIT, dtype=np.int64)
    continuing = np.ones(n, dtype=bool)
    votes = [v * UNIT for v in sum_by_candidate(holder, counts, n)]

    winners: list[int] = []
    excluded: list[int] = []
    pending: list[int] = []  # elected, surplus not yet transferred
    history: list[list[int]] = []  # votes at the end of each stage
    stages: list[Stage] = []
    state = {"nt_total": 0}

    def finish_stage(
        action: str, subject: int | None, before: list[int], nt_stage: int, ties: list[TieRecord], notes: dict
    ) -> None:
        reached = [c for c in range(n) if continuing[c] and votes[c] >= quota]
        elected, more = rank_highest_first(
            reached, votes, history, ids=ids, tie_break=tie_break, purpose="election order"
        )
        ties = ties + more
        for c in elected:
            continuing[c] = False
            winners.append(c)
            if votes[c] > quota:
                pending.append(c)
        deemed: list[int] = []
        vacancies = seats - len(winners)
        left = [c for c in range(n) if continuing[c]]
        if vacancies > 0 and len(left) <= vacancies:
            deemed, more = rank_highest_first(
                left, votes, history, ids=ids, tie_break=tie_break, purpose="election order"
            )
            ties += more
            for c in deemed:
                continuing[c] = False
                winners.append(c)
        state["nt_total"] += nt_stage
        history.append(votes.copy())
        stages.append(
            Stage(
                number=len(history),
                action=action,
                subject=None if subject is None else ids[subject],
                votes=tuple(_fmt(v) for v in votes),
                transfers=tuple(_fmt(v - b) for v, b in zip(votes, before, strict=True)),
                non_transferable=_fmt(nt_stage),
                non_transferable_total=_fmt(state["nt_total"]),
                quota=_fmt(quota),
                elected=tuple(ids[c] for c in elected),
                deemed_elected=tuple(ids[c] for c in deemed),
                excluded=() if action != "exclusion" or subject is None else (ids[subject],),
                ties=tuple(ties),
                notes=notes,
            )
        )

    finish_stage("first preferences", None, [0] * n, 0, [], {})

    while len(winners) < seats and continuing.any():
        before = votes.copy()
        ties: list[TieRecord] = []
        if pending:
            top = max(votes[c] for c in pending)
            level = [c for c in pending if votes[c] == top]
            if len(level) == 1:
                donor = level[0]
            else:
                donor, record = break_tie(
                    level, history[:-1], lowest=False, ids=ids, tie_break=tie_break, purpose="surplus order"
                )
                ties.append(record)
            pending.remove(donor)
            total = votes[donor]
            surplus = total - quota
            rows = np.flatnonzero(holder == donor)
            received, which = np.unique(value[rows], return_inverse=True)
            values = {int(v): surplus * int(v) // total for v in received.tolist()}
            transfer = np.array([values[int(v)] for v in received.tolist()], dtype=np.int64)[which]
            gains, exhausted = _move(mat, rows, transfer, holder, position, value, continuing)
            moved = sum(gains)
            for c in range(n):
                votes[c] += gains[c]
            votes[donor] = quota
            notes = {
                "surplus": _fmt(surplus),
                "transfer_values": {_fmt(v): _fmt(tv) for v, tv in sorted(values.items(), reverse=True)},
                "non_transferable_papers": _fmt(exhausted),
                "lost_to_truncation": _fmt(surplus - moved - exhausted),
            }
            finish_stage("surplus", donor, before, surplus - moved, ties, notes)
        else:
            low = min(votes[c] for c in range(n) if continuing[c])
            level = [c for c in range(n) if continuing[c] and votes[c] == low]
            if len(level) == 1:
                loser = level[0]
            else:
                loser, record = break_tie(
                    level, history[:-1], lowest=True, ids=ids, tie_break=tie_break, purpose="exclude"
                )
                ties.append(record)
            continuing[loser] = False
            excluded.append(loser)
            rows = np.flatnonzero(holder == loser)
            gains, exhausted = _move(mat, rows, value[rows], holder, position, value, continuing)
            for c in range(n):
                votes[c] += gains[c]
            votes[loser] = 0
            finish_stage("exclusion", loser, before, exhausted, ties, {})

    return StvResult(
        candidates=ids,
        withdrawn=ballots.withdrawn,
        seats=seats,
        valid_papers=papers,
        empty_papers=ballots.empty,
        quota=_fmt(quota),
        winners=tuple(ids[c] for c in winners),
        excluded=tuple(ids[c] for c in excluded),
        stages=tuple(stages),
        tie_break=tie_break,
    )
