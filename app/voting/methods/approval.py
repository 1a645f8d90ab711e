"""Approval voting for ``k`` winners ("pick up to N").

The rule, as a returning officer would count it by hand:

1. **Valid papers.** A ballot paper approves a set of options. It is valid when
   every option it names is on the published list, it names no option twice,
   and it approves no more than ``max_approvals`` options (``None``: any number).
   A paper approving nothing is a valid blank paper: it is counted as a ballot
   but adds no approvals. The count refuses to run on an invalid paper
   (:class:`ApprovalBallotError` names the rule broken and the paper); papers
   are checked with :func:`validate_approval_ballot` when they are cast or
   entered, so none should reach the count.
2. **Tally.** Each option's total is the number of valid papers approving it.
3. **Order.** Options are ranked by total, highest first. Options with equal
   totals are put in the order of the published tie-break rule
   (:class:`~app.voting.methods.ties.TieBreak`: lexicographic by id, or a lot
   drawn from the published seed).
4. **Winners.** The first ``seats`` options in that order are elected. The
   tie-break only matters when options with equal totals straddle the cut (the
   last elected and the first not elected have the same total); the result then
   records that tie: the total, the tied options in tie-break order and how
   many of them were elected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.voting.methods.canonical import result_hash
from app.voting.methods.highest_totals import CutTie, check_options_and_seats, elect_highest
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

METHOD = "approval"
RULES_VERSION = "approval/1"


class ApprovalBallotError(ValueError):
    """A ballot paper that breaks the approval rules; the message names the rule."""


@dataclass(frozen=True)
class ApprovalResult:
    """The count of an approval ballot; ``as_dict()`` is the published, hashed form."""

    seats: int
    max_approvals: int | None
    ballots: int
    approvals: tuple[tuple[str, int], ...]
    ranking: tuple[str, ...]
    winners: tuple[str, ...]
    cut_tie: CutTie | None
    tie_break: TieBreak

    def as_dict(self) -> dict[str, Any]:
        body = {
            "method": METHOD,
            "rules_version": RULES_VERSION,
            "seats": self.seats,
            "max_approvals": self.max_approvals,
            "winners": list(self.winners),
            "details": {
                "ballots": self.ballots,
                "approvals": dict(self.approvals),
                "ranking": list(self.ranking),
                "cut_tie": self.cut_tie.as_dict() if self.cut_tie else None,
            },
            "tie_break": self.tie_break.as_dict(),
        }
        return body | {"sha256": result_hash(body)}


def validate_approval_ballot(
    ballot: Iterable[str], options: Iterable[str], max_approvals: int | None
) -> frozenset[str]:
    """The approved options of one paper, or :class:`ApprovalBallotError` naming the rule it breaks."""
    if isinstance(ballot, str):
        raise ApprovalBallotError("must be a collection of option ids, not a single string")
    known = set(options)
    approved = list(ballot)
    unknown = sorted({str(o) for o in approved if o not in known})
    if unknown:
        raise ApprovalBallotError(f"approves options that are not on the ballot: {', '.join(unknown)}")
    if len(set(approved)) != len(approved):
        raise ApprovalBallotError("approves the same option more than once")
    if max_approvals is not None and len(approved) > max_approvals:
        raise ApprovalBallotError(f"approves {len(approved)} options; the rules allow at most {max_approvals}")
    return frozenset(approved)


def count_approval(
    ballots: Iterable[Iterable[str]],
    options: Sequence[str],
    seats: int,
    *,
    max_approvals: int | None = None,
    tie_break: TieBreak = LEXICOGRAPHIC,
) -> ApprovalResult:
    """Count approval ballots for ``seats`` winners under the rule in the module docstring."""
    check_options_and_seats(options, seats)
    if max_approvals is not None and max_approvals < 1:
        raise ValueError("max_approvals must be at least 1")

    totals = dict.fromkeys(options, 0)
    count = 0
    for number, ballot in enumerate(ballots, start=1):
        try:
            approved = validate_approval_ballot(ballot, options, max_approvals)
        except ApprovalBallotError as error:
            raise ApprovalBallotError(f"ballot {number} {error}") from None
        for option in approved:
            totals[option] += 1
        count += 1

    elected = elect_highest(totals, options, seats, tie_break, unit="approvals")
    return ApprovalResult(
        seats=seats,
        max_approvals=max_approvals,
        ballots=count,
        approvals=tuple((o, totals[o]) for o in options),
        ranking=elected.ranking,
        winners=elected.winners,
        cut_tie=elected.cut_tie,
        tie_break=tie_break,
    )
