"""The data of a participatory-budgeting (PB) count and the shape of its result.

An :class:`ApprovalElection` is a budget, the projects with their costs, and
the approval ballots compressed into distinct ballots with weights (identical
papers are counted once with a multiplicity; every method here treats
identical papers identically, so the outcome is the same as counting them one
by one). Money is exact: integers or :class:`~fractions.Fraction`; floats are
refused because they have no single exact value.

A blank paper (approving nothing) still counts as a voter: under the Method of
Equal Shares it receives its share of the budget and never spends it, exactly
as pabutools counts ``profile.num_ballots()``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from app.voting.methods.canonical import canonical_json, result_hash
from app.voting.methods.ties import TieBreak

UTILITIES = ("cost", "cardinality")
"""Satisfaction measures for approval ballots, named as in pabutools:

* ``cost`` (pabutools ``Cost_Sat``): a voter's satisfaction with a funded
  project they approve is its cost;
* ``cardinality`` (pabutools ``Cardinality_Sat``): it is 1 per approved
  funded project.
"""


class PBInputError(ValueError):
    """Input a PB count cannot run on (unknown project, negative cost, a float)."""


def as_money(value: Any, what: str) -> Fraction:
    """An exact, non-negative amount from an int, Fraction, Decimal or a decimal/fraction string."""
    if isinstance(value, bool | float):
        raise PBInputError(f"{what} must be exact (int, Fraction, Decimal or string), not {value!r}")
    try:
        if isinstance(value, int | Fraction | Decimal):
            amount = Fraction(value)
        elif isinstance(value, str):
            amount = Fraction(value.strip())
        else:
            raise TypeError
    except (TypeError, ValueError, ZeroDivisionError):
        raise PBInputError(f"{what} is not an amount: {value!r}") from None
    if amount < 0:
        raise PBInputError(f"{what} must not be negative; got {value}")
    return amount


@dataclass(frozen=True)
class ApprovalElection:
    """A PB election with approval ballots, ready to count.

    ``costs`` keeps the published order of the projects. ``ballots`` holds the
    distinct approval sets with their weights (number of identical papers);
    build it with :meth:`from_ballots` (one entry per paper) or
    :meth:`from_weighted` (already compressed).
    """

    budget: Fraction
    costs: Mapping[str, Fraction]
    ballots: tuple[tuple[frozenset[str], int], ...]
    n_voters: int
    _cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    @classmethod
    def from_ballots(cls, budget: Any, costs: Mapping[str, Any], ballots: Iterable[Iterable[str]]) -> ApprovalElection:
        """Compress one-entry-per-paper ballots; a paper naming a project twice is refused."""
        papers = ballots if isinstance(ballots, list | tuple) else list(ballots)
        for number, ballot in enumerate(papers, start=1):
            if isinstance(ballot, str):
                raise PBInputError(f"ballot {number} must be a collection of project ids, not a single string")
        try:
            length = sum(map(len, papers))
        except TypeError:  # iterators: materialise them once
            papers = [tuple(ballot) for ballot in papers]
            length = sum(map(len, papers))
        counts = Counter(map(frozenset, papers))
        if length != sum(len(b) * n for b, n in counts.items()):
            for number, ballot in enumerate(papers, start=1):
                if len(frozenset(ballot)) != len(ballot):
                    raise PBInputError(f"ballot {number} approves the same project more than once")
        return cls.from_weighted(budget, costs, counts.items())

    @classmethod
    def from_weighted(
        cls,
        budget: Any,
        costs: Mapping[str, Any],
        weighted: Mapping[frozenset[str], int] | Iterable[tuple[Iterable[str], int]],
    ) -> ApprovalElection:
        """Build from (approval set, weight) pairs; equal sets are merged, zero weights dropped."""
        exact_costs: dict[str, Fraction] = {}
        for project, cost in costs.items():
            if not isinstance(project, str) or not project:
                raise PBInputError(f"project ids must be non-empty strings; got {project!r}")
            exact_costs[project] = as_money(cost, f"the cost of project {project}")
        pairs = weighted.items() if isinstance(weighted, Mapping) else weighted
        merged: dict[frozenset[str], int] = {}
        for ballot, weight in pairs:
            approved = frozenset(ballot)
            if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
                raise PBInputError(f"ballot weights must be non-negative integers; got {weight!r}")
            unknown = sorted(p for p in approved if p not in exact_costs)
            if unknown:
                raise PBInputError(f"a ballot approves projects that are not on the list: {', '.join(unknown)}")
            if weight:
                merged[approved] = merged.get(approved, 0) + weight
        return cls(
            budget=as_money(budget, "the budget"),
            costs=exact_costs,
            ballots=tuple(merged.items()),
            n_voters=sum(merged.values()),
        )

    @property
    def projects(self) -> tuple[str, ...]:
        return tuple(self.costs)

    def approvals(self) -> dict[str, int]:
        """Number of voters approving each project (published order)."""
        cached = self._cache.get("approvals")
        if cached is None:
            cached = dict.fromkeys(self.costs, 0)
            for ballot, weight in self.ballots:
                for project in ballot:
                    cached[project] += weight
            self._cache["approvals"] = cached
        return dict(cached)


def check_utility(utility: str) -> str:
    if utility not in UTILITIES:
        raise PBInputError(f"unknown utility {utility!r}; expected one of {', '.join(UTILITIES)}")
    return utility


@dataclass(frozen=True)
class PBResult:
    """The outcome of a PB count. ``as_dict()`` is the published form, hashed.

    ``selected`` lists the funded projects in the order the method funded
    them; ``rounds`` records each step (method-specific, exact fractions);
    ``details`` holds method-level facts (voters, per-voter budget, passes).
    """

    method: str
    rules_version: str
    utility: str
    budget: Fraction
    selected: tuple[str, ...]
    rounds: tuple[dict[str, Any], ...]
    spent: Fraction
    tie_break: TieBreak
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts as ``"p/q"`` or integer strings, plus ``sha256`` of the canonical JSON."""
        body = {
            "method": self.method,
            "rules_version": self.rules_version,
            "utility": self.utility,
            "budget": self.budget,
            "selected": list(self.selected),
            "rounds": [dict(r) for r in self.rounds],
            "spent": self.spent,
            "tie_break": self.tie_break.as_dict(),
            "details": dict(self.details),
        }
        plain = json.loads(canonical_json(body))
        return plain | {"sha256": result_hash(plain)}
