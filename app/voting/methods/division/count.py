"""Counting a budget division: validate the papers, apply the rule, round to pence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from app.voting.methods.canonical import result_hash
from app.voting.methods.division.ballots import DivisionBallotError, validate_division_ballot
from app.voting.methods.division.markets import independent_markets
from app.voting.methods.division.mean import projected_mean
from app.voting.methods.division.rounding import largest_remainder
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

RULES_VERSION = "budget-division/1"
MEAN = "mean"
INDEPENDENT_MARKETS = "independent_markets"
RULES = (MEAN, INDEPENDENT_MARKETS)


@dataclass(frozen=True)
class DivisionResult:
    """The count of a budget division; ``as_dict()`` is the published, hashed form.

    ``exact`` is each line's exact amount in pence before rounding; ``parameter``
    is the rule's solved number: ``("t", t*)`` for Independent Markets,
    ``("lambda", λ in pence)`` for the mean.
    """

    rule: str
    budget: int
    lines: tuple[str, ...]
    floors: tuple[int, ...]
    ceilings: tuple[int, ...]
    ballots: int
    allocation: tuple[int, ...]
    exact: tuple[Fraction, ...]
    parameter: tuple[str, Fraction]
    means: tuple[Fraction, ...] | None
    extra_penny: tuple[str, ...]
    tie_break: TieBreak

    def as_dict(self) -> dict[str, Any]:
        details: dict[str, Any] = {
            "ballots": self.ballots,
            "exact": dict(zip(self.lines, self.exact, strict=True)),
            self.parameter[0]: self.parameter[1],
            "rounding": {"rule": "largest_remainder", "extra_penny": list(self.extra_penny)},
        }
        if self.means is not None:
            details["means"] = dict(zip(self.lines, self.means, strict=True))
        body = {
            "method": f"budget_division/{self.rule}",
            "rules_version": RULES_VERSION,
            "budget": self.budget,
            "lines": list(self.lines),
            "floors": dict(zip(self.lines, self.floors, strict=True)),
            "ceilings": dict(zip(self.lines, self.ceilings, strict=True)),
            "allocation": dict(zip(self.lines, self.allocation, strict=True)),
            "details": details,
            "tie_break": self.tie_break.as_dict(),
        }
        return body | {"sha256": result_hash(body)}


def _bounds(
    lines: Sequence[str], budget: int, floors: Mapping[str, int], ceilings: Mapping[str, int]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    for name, given in (("floors", floors), ("ceilings", ceilings)):
        unknown = sorted(str(line) for line in given if line not in lines)
        if unknown:
            raise ValueError(f"{name} name lines that are not on the ballot: {', '.join(unknown)}")
        if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in given.values()):
            raise ValueError(f"{name} must be whole pence, at least 0")
    low = tuple(floors.get(line, 0) for line in lines)
    high = tuple(ceilings.get(line, budget) for line in lines)
    for line, lo, hi in zip(lines, low, high, strict=True):
        if lo > hi:
            raise ValueError(f"the floor for {line} ({lo}) is above its ceiling ({hi})")
    if sum(low) > budget:
        raise ValueError(f"the floors add up to {sum(low)} pence, more than the budget of {budget}")
    if sum(high) < budget:
        raise ValueError(f"the ceilings add up to {sum(high)} pence, less than the budget of {budget}")
    return low, high


def count_division(
    ballots: Iterable[Mapping[str, int]],
    lines: Sequence[str],
    budget: int,
    *,
    rule: str,
    floors: Mapping[str, int] | None = None,
    ceilings: Mapping[str, int] | None = None,
    tie_break: TieBreak = LEXICOGRAPHIC,
) -> DivisionResult:
    """Count budget-division papers under ``rule`` (``"mean"`` or ``"independent_markets"``).

    Amounts, floors and ceilings are whole pence; a line without a floor has
    floor 0, without a ceiling the budget. The exact division is rounded to
    whole pence by :func:`.rounding.largest_remainder`.
    """
    if rule not in RULES:
        raise ValueError(f"unknown budget-division rule {rule!r}; expected one of {', '.join(RULES)}")
    if not lines or len(set(lines)) != len(lines) or not all(isinstance(line, str) and line for line in lines):
        raise ValueError("lines must be distinct, non-empty ids")
    if not isinstance(budget, int) or isinstance(budget, bool) or budget <= 0:
        raise ValueError("the budget must be a whole number of pence, more than 0")
    low, high = _bounds(lines, budget, floors or {}, ceilings or {})
    papers = []
    for number, ballot in enumerate(ballots, start=1):
        try:
            papers.append(validate_division_ballot(ballot, lines, budget))
        except DivisionBallotError as error:
            raise DivisionBallotError(f"ballot {number} {error}") from None
    if not papers:
        raise ValueError("there are no ballots to count")

    means = None
    if rule == MEAN:
        exact, means, shift = projected_mean(papers, low, high, budget)
        parameter = ("lambda", shift)
    else:
        shares = [[Fraction(a, budget) for a in paper] for paper in papers]
        split, t_star = independent_markets(
            shares, [Fraction(x, budget) for x in low], [Fraction(x, budget) for x in high]
        )
        exact = [share * budget for share in split]
        parameter = ("t", t_star)
    assert sum(exact) == budget
    allocation, extra = largest_remainder(exact, lines, budget, tie_break)
    return DivisionResult(
        rule=rule,
        budget=budget,
        lines=tuple(lines),
        floors=low,
        ceilings=high,
        ballots=len(papers),
        allocation=allocation,
        exact=tuple(exact),
        parameter=parameter,
        means=tuple(means) if means is not None else None,
        extra_penny=extra,
        tie_break=tie_break,
    )
