"""Ties between candidates on equal votes: earlier stages first, then the published rule.

Used for the candidate to exclude (the lowest), the order in which equal
surpluses are transferred and the order of candidates elected together (the
highest). As in the Scottish rules (SSI 2007/42 rules 49 and 51):

1. Look back through the earlier stages, most recent first. At the first stage
   where the tied candidates did not all have the same votes, keep only those
   with the lowest (or highest) votes at that stage. If one remains, it is
   chosen; if several remain, keep looking further back among them only.
2. If they were equal at every earlier stage, the published tie-break
   (:class:`~app.voting.methods.ties.TieBreak`) orders them best-first: when
   choosing the highest the first in that order is chosen; when choosing the
   lowest (a candidate to exclude) the **last** is, so the candidate the rule
   favours stays in the count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.voting.methods.ties import TieBreak


@dataclass(frozen=True)
class TieRecord:
    """How one tie was resolved, published in the stage where it happened."""

    purpose: str  # "exclude", "surplus order" or "election order"
    tied: tuple[str, ...]
    chosen: str
    by: str  # "earlier stage", or the tie-break rule: "lexicographic" / "lot"
    stage: int | None  # the earlier stage that decided it, if one did

    def as_dict(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "tied": list(self.tied),
            "chosen": self.chosen,
            "by": self.by,
            "stage": self.stage,
        }


def break_tie(
    tied: Sequence[int],
    history: Sequence[Sequence[int]],
    *,
    lowest: bool,
    ids: Sequence[str],
    tie_break: TieBreak,
    purpose: str,
) -> tuple[int, TieRecord]:
    """The chosen index among ``tied`` and its record.

    ``history[k]`` holds every candidate's votes at the end of stage ``k + 1``;
    pass only the stages *before* the one at which the candidates are tied.
    """
    remaining = sorted(tied)
    for number in range(len(history), 0, -1):
        row = history[number - 1]
        values = [row[c] for c in remaining]
        extreme = min(values) if lowest else max(values)
        narrowed = [c for c, v in zip(remaining, values, strict=True) if v == extreme]
        if len(narrowed) < len(remaining):
            remaining = narrowed
            if len(remaining) == 1:
                return remaining[0], TieRecord(
                    purpose, tuple(ids[c] for c in sorted(tied)), ids[remaining[0]], "earlier stage", number
                )
    order = tie_break.order(ids[c] for c in remaining)
    chosen_id = order[-1] if lowest else order[0]
    chosen = next(c for c in remaining if ids[c] == chosen_id)
    return chosen, TieRecord(purpose, tuple(ids[c] for c in sorted(tied)), chosen_id, tie_break.kind, None)


def rank_highest_first(
    group: Sequence[int],
    votes: Sequence[int],
    history: Sequence[Sequence[int]],
    *,
    ids: Sequence[str],
    tie_break: TieBreak,
    purpose: str,
) -> tuple[list[int], list[TieRecord]]:
    """``group`` ordered by ``votes`` highest first, equal votes ordered by :func:`break_tie`."""
    ordered: list[int] = []
    ties: list[TieRecord] = []
    left = list(group)
    while left:
        top = max(votes[c] for c in left)
        level = [c for c in left if votes[c] == top]
        while level:
            if len(level) == 1:
                chosen = level[0]
            else:
                chosen, record = break_tie(level, history, lowest=False, ids=ids, tie_break=tie_break, purpose=purpose)
                ties.append(record)
            ordered.append(chosen)
            level.remove(chosen)
            left.remove(chosen)
    return ordered, ties
