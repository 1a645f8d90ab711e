"""Points (cumulative) voting for ``k`` winners.

The rule, as a returning officer would count it by hand:

1. **Valid papers.** A ballot paper gives each option a whole number of points.
   It is valid when every option it names is on the published list, no option
   gets a negative number of points, the points on the paper add up to no more
   than ``points`` (the voter's allowance), and, when the rules set
   ``max_per_option``, no option gets more than that. Options the paper leaves
   out get 0. A paper giving no points at all is a valid blank paper: it is
   counted as a ballot but adds nothing. The count refuses to run on an invalid
   paper (:class:`PointsBallotError` names the rule broken and the paper);
   papers are checked with :func:`validate_points_ballot` when they are cast or
   entered, so none should reach the count.
2. **Tally.** Each option's total is the sum of the points all valid papers
   give it.
3. **Order.** Options are ranked by total, highest first. Options with equal
   totals are put in the order of the published tie-break rule
   (:class:`~app.voting.methods.ties.TieBreak`: lexicographic by id, or a lot
   drawn from the published seed).
4. **Winners.** The first ``seats`` options in that order are elected. When
   options with equal totals straddle the cut, the result records that tie:
   the total, the tied options in tie-break order and how many were elected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.voting.methods.canonical import result_hash
from app.voting.methods.highest_totals import CutTie, check_options_and_seats, elect_highest
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

METHOD = "points"
RULES_VERSION = "points/1"


class PointsBallotError(ValueError):
    """A ballot paper that breaks the points rules; the message names the rule."""


@dataclass(frozen=True)
class PointsResult:
    """The count of a points ballot; ``as_dict()`` is the published, hashed form."""

    seats: int
    points: int
    max_per_option: int | None
    ballots: int
    totals: tuple[tuple[str, int], ...]
    ranking: tuple[str, ...]
    winners: tuple[str, ...]
    cut_tie: CutTie | None
    tie_break: TieBreak

    def rounds(self) -> list[dict[str, Any]]:
        """The single round of the count: every option's total, in ballot order."""
        return [{"round": 1, "points": dict(self.totals), "elected": list(self.winners)}]

    def as_dict(self) -> dict[str, Any]:
        body = {
            "method": METHOD,
            "rules_version": RULES_VERSION,
            "seats": self.seats,
            "points": self.points,
            "max_per_option": self.max_per_option,
            "winners": list(self.winners),
            "details": {
                "ballots": self.ballots,
                "totals": dict(self.totals),
                "ranking": list(self.ranking),
                "cut_tie": self.cut_tie.as_dict() if self.cut_tie else None,
            },
            "rounds": self.rounds(),
            "tie_break": self.tie_break.as_dict(),
        }
        return body | {"sha256": result_hash(body)}


def validate_points_ballot(
    ballot: Mapping[str, int], options: Iterable[str], points: int, max_per_option: int | None = None
) -> dict[str, int]:
    """The points of one paper (options with 0 left out), or :class:`PointsBallotError` naming the rule."""
    if not isinstance(ballot, Mapping):
        raise PointsBallotError("must map option ids to points")
    known = set(options)
    unknown = sorted({str(o) for o in ballot if o not in known})
    if unknown:
        raise PointsBallotError(f"gives points to options that are not on the ballot: {', '.join(unknown)}")
    given: dict[str, int] = {}
    for option, value in ballot.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise PointsBallotError(f"gives {option} points that are not a whole number")
        if value < 0:
            raise PointsBallotError(f"gives {option} a negative number of points ({value})")
        if max_per_option is not None and value > max_per_option:
            raise PointsBallotError(
                f"gives {option} {value} points; the rules allow at most {max_per_option} for one option"
            )
        if value:
            given[option] = value
    total = sum(given.values())
    if total > points:
        raise PointsBallotError(f"gives {total} points in all; the rules allow at most {points}")
    return given


def count_points(
    ballots: Iterable[Mapping[str, int]],
    options: Sequence[str],
    seats: int,
    *,
    points: int,
    max_per_option: int | None = None,
    tie_break: TieBreak = LEXICOGRAPHIC,
) -> PointsResult:
    """Count points ballots for ``seats`` winners under the rule in the module docstring."""
    check_options_and_seats(options, seats)
    if points < 1:
        raise ValueError("points must be at least 1")
    if max_per_option is not None and not 1 <= max_per_option <= points:
        raise ValueError("max_per_option must be between 1 and the points each voter has")

    totals = dict.fromkeys(options, 0)
    count = 0
    for number, ballot in enumerate(ballots, start=1):
        try:
            given = validate_points_ballot(ballot, options, points, max_per_option)
        except PointsBallotError as error:
            raise PointsBallotError(f"ballot {number} {error}") from None
        for option, value in given.items():
            totals[option] += value
        count += 1

    elected = elect_highest(totals, options, seats, tie_break, unit="points")
    return PointsResult(
        seats=seats,
        points=points,
        max_per_option=max_per_option,
        ballots=count,
        totals=tuple((o, totals[o]) for o in options),
        ranking=elected.ranking,
        winners=elected.winners,
        cut_tie=elected.cut_tie,
        tie_break=tie_break,
    )
