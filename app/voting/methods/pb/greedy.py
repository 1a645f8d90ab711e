"""Greedy PB counts: fund projects in order of support until the money runs out.

The rule, for a budget ``B`` and approval ballots:

1. **Order.** Every project gets a score and projects are taken highest score
   first; equal scores are ordered by the published tie-break rule
   (:class:`~app.voting.methods.ties.TieBreak`; lexicographic by project id,
   as pabutools does, unless a seeded lot was published).
2. **Fill.** Going down that order, a project is funded if its cost fits in
   what is left of ``B``, and skipped otherwise (a later, cheaper project may
   still fit). Every project is considered, including projects nobody
   approved: they come last and are funded if they still fit.

The score depends on ``utility``:

* ``"cost"`` — pabutools ``greedy_utilitarian_welfare`` with ``Cost_Sat``:
  total satisfaction per unit of cost, i.e. the number of approvals. A project
  costing nothing gives no cost-satisfaction, so it scores 0 and comes last
  (it always fits, so it is always funded).
* ``"cardinality"`` — pabutools ``greedy_utilitarian_welfare`` with
  ``Cardinality_Sat``: approvals per unit of cost ("value for money"). A free
  project with approvals scores infinity and comes first.
* ``"approvals"`` — what CONSUL does (``Budget::Result#calculate_winners``):
  most approvals first, skip what does not fit. It funds the same projects as
  ``"cost"``; only the position of free projects in the funding order differs
  (CONSUL ranks them by their approvals too).

These match pabutools 1.2.3 exactly (tests use it as an oracle).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from app.voting.methods.pb.model import ApprovalElection, PBInputError, PBResult
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

METHOD = "pb_greedy"
RULES_VERSION = "pb-greedy/1"
GREEDY_UTILITIES = ("cost", "cardinality", "approvals")

_INFINITE = "infinite"


def _score(utility: str, approvals: int, cost: Fraction) -> Fraction | None:
    """The greedy score; ``None`` stands for infinity (a free project with approvals)."""
    if utility == "approvals":
        return Fraction(approvals)
    satisfaction = approvals * cost if utility == "cost" else Fraction(approvals)
    if satisfaction > 0:
        return satisfaction / cost if cost > 0 else None
    return Fraction(0)


def greedy_order(
    election: ApprovalElection, utility: str, tie_break: TieBreak, exclude: Iterable[str] = ()
) -> list[tuple[str, Fraction | None]]:
    """Projects (minus ``exclude``) best-first with their scores (``None``: infinite)."""
    if utility not in GREEDY_UTILITIES:
        raise PBInputError(f"unknown greedy utility {utility!r}; expected one of {', '.join(GREEDY_UTILITIES)}")
    approvals = election.approvals()
    skip = set(exclude)
    scored = [(p, _score(utility, approvals[p], election.costs[p])) for p in election.costs if p not in skip]
    return sorted(scored, key=lambda item: (item[1] is not None, -(item[1] or 0), tie_break.key(item[0])))


def greedy_fill(
    election: ApprovalElection, funded: Iterable[str], utility: str, tie_break: TieBreak
) -> tuple[list[str], list[dict[str, Any]]]:
    """Fund more projects greedily with what ``funded`` leaves of the budget.

    Returns the projects added (in order) and one round per project considered.
    """
    already = list(funded)
    remaining = election.budget - sum((election.costs[p] for p in already), Fraction(0))
    approvals = election.approvals()
    added: list[str] = []
    rounds: list[dict[str, Any]] = []
    for project, score in greedy_order(election, utility, tie_break, exclude=already):
        cost = election.costs[project]
        step: dict[str, Any] = {
            "project": project,
            "cost": cost,
            "approvals": approvals[project],
            "score": _INFINITE if score is None else score,
        }
        if cost <= remaining:
            remaining -= cost
            added.append(project)
            step["funded"] = True
        else:
            step["funded"] = False
            step["skipped"] = "over_budget"
        step["remaining"] = remaining
        rounds.append(step)
    return added, rounds


def greedy(election: ApprovalElection, *, utility: str = "cost", tie_break: TieBreak = LEXICOGRAPHIC) -> PBResult:
    """Count ``election`` greedily under the rule in the module docstring."""
    selected, rounds = greedy_fill(election, (), utility, tie_break)
    return PBResult(
        method=METHOD,
        rules_version=RULES_VERSION,
        utility=utility,
        budget=election.budget,
        selected=tuple(selected),
        rounds=tuple(rounds),
        spent=sum((election.costs[p] for p in selected), Fraction(0)),
        tie_break=tie_break,
        details={"voters": election.n_voters, "projects": len(election.costs)},
    )
