"""Completing a Method of Equal Shares outcome that leaves money unspent.

MES usually leaves part of the budget unallocated. Two completions are
offered, both matching pabutools 1.2.3:

* ``greedy`` — pabutools ``completion_by_rule_combination`` with
  ``[method_of_equal_shares, greedy_utilitarian_welfare]``: keep what MES
  funded and fund what still fits greedily (same utility;
  :mod:`app.voting.methods.pb.greedy`).
* ``add1`` — the "Add1" completion used in Aarau and Wieliczka, as pabutools'
  ``method_of_equal_shares(..., voter_budget_increment=1)`` followed by the
  greedy completion above:

  1. run MES with each voter's share ``b = B / n``;
  2. if the outcome costs more than the real budget ``B``, stop and keep the
     previous pass's outcome (the first pass always fits);
  3. if it is exhaustive — no project MES could fund (approved by somebody,
     costing more than nothing) is left out that would still fit in ``B`` —
     stop and keep it;
  4. otherwise raise every share by one currency unit (the total by ``n``)
     and go back to 1;
  5. fund what still fits greedily.

  Exhaustiveness in step 3 looks only at projects MES can fund, as pabutools'
  ``voter_budget_increment`` does. pabutools' other helper,
  ``exhaustion_by_budget_increase(budget_step=n)``, judges it over every
  project, so a cheap project nobody approved keeps it raising the budget
  (possibly until its bound of ``B * (n + 1)``) for an outcome that can no
  longer change; the two agree whenever every project has support.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from app.voting.methods.pb.greedy import greedy_fill
from app.voting.methods.pb.model import ApprovalElection, PBInputError
from app.voting.methods.ties import TieBreak

Path = list[tuple[int, Fraction]]
Run = Callable[..., Any]  # run(share, below=None) -> Pass (app.voting.methods.pb.equal_shares)


def _cost(election: ApprovalElection, projects: Sequence[str]) -> Fraction:
    return sum((election.costs[p] for p in projects), Fraction(0))


def add1(
    run: Run,
    fundable: Sequence[str],
    election: ApprovalElection,
    share: Fraction,
    max_passes: int | None = None,
) -> tuple[list[str], list[dict[str, Any]], Fraction, int]:
    """Repeat MES with shares ``share, share + 1, ...`` (steps 1-4 above).

    ``run(share, below)`` is one MES pass; ``fundable`` the projects MES can
    fund. Returns the kept outcome, its rounds, its share and the number of
    passes the rule takes (pass ``k`` has share ``share + k``).

    Passes are skipped where that provably changes nothing: once two
    consecutive passes follow the same path, the next probe jumps ahead (2, 4,
    8, ... shares) and is accepted only if it proves that every share in
    between follows that path too (``Pass.same_path_below``), so those passes
    would fund the same projects, fit the budget and not be exhaustive, and the
    rule would go on past them. A probe that proves nothing is discarded and
    the count steps one share at a time again.

    The number of passes grows with the share in currency units;
    ``max_passes`` lets a caller refuse to go on (:class:`PBInputError`)
    rather than change the rule.
    """
    start = share
    current = run(share)
    index = 0
    previous = None
    jump = 1
    while True:
        spent = _cost(election, current.selected)
        if spent > election.budget:
            assert previous is not None  # the first pass spends at most B
            return previous.selected, previous.rounds, start + index - 1, index + 1
        chosen = set(current.selected)
        left = election.budget - spent
        if not any(p not in chosen and election.costs[p] <= left for p in fundable):
            return current.selected, current.rounds, start + index, index + 1
        if max_passes is not None:
            jump = min(jump, max_passes - 1 - index)
        if jump > 1:
            probe = run(start + index + jump, current.path)
            if probe.same_path_below:
                index, current, jump = index + jump, probe, jump * 2
                continue
        if max_passes is not None and index + 1 >= max_passes:
            raise PBInputError(f"Add1 completion needs more than {max_passes} passes at shares of {start + index + 1}")
        following = run(start + index + 1, current.path)
        jump = 2 if following.same_path_below else 1
        index, previous, current = index + 1, current, following


def greedy_completion(
    election: ApprovalElection, funded: Sequence[str], utility: str, tie_break: TieBreak
) -> tuple[list[str], list[dict[str, Any]]]:
    """Fund what still fits after ``funded``, greedily; rounds are tagged ``phase: greedy``."""
    added, rounds = greedy_fill(election, funded, utility, tie_break)
    return added, [{"phase": "greedy", **step} for step in rounds]
