"""Results of a priorities exercise, per neighbourhood and council-wide (reads only).

Per neighbourhood: the winners and each priority's score from the stored,
hashed result of its ballot (points for a points ballot, approvals for an
approval ballot, first preferences for a ranked ballot), and turnout: papers
over the number of eligible residents (the ballot's electorate rule,
``app.residents.electorate``, counted when the ballot opened).

Council-wide, **each neighbourhood counts equally, whatever its size**: a
priority's standing is the average, over the neighbourhoods with results, of
its share of that neighbourhood's score (a priority with 30 of 100 points in
one neighbourhood has a 30% share there). So a large neighbourhood cannot
outvote the small ones. The plain totals added across neighbourhoods, which
do favour the larger ones, are shown beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from app.i18n import _l
from app.priorities.models import PrioritiesExercise
from app.priorities.operations import exercise_ballots
from app.voting import counting
from app.voting.electorate import electorate_size
from app.voting.models import Ballot, BallotKind, BallotStatus
from tenants.models import Neighbourhood

SCORE_WORDS = {
    BallotKind.POINTS: _l("points"),
    BallotKind.APPROVAL: _l("votes"),
    BallotKind.RANKED: _l("first preferences"),
}


@dataclass
class NeighbourhoodResult:
    neighbourhood: Neighbourhood
    ballot: Ballot
    papers: int
    eligible: int
    has_result: bool = False
    winners: list[str] = field(default_factory=list)  # titles, in order elected
    scores: dict[str, Fraction] = field(default_factory=dict)  # option key -> score
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def turnout(self) -> Fraction | None:
        return Fraction(self.papers, self.eligible) if self.eligible else None

    def ranked_scores(self) -> list[tuple[str, Fraction]]:
        return sorted(self.scores.items(), key=lambda kv: (-kv[1], self.titles.get(kv[0], kv[0])))


@dataclass
class Standing:
    key: str
    title: str
    average_share: Fraction
    total: Fraction
    won_in: int


@dataclass
class ExerciseResults:
    exercise: PrioritiesExercise
    kind: BallotKind
    neighbourhoods: list[NeighbourhoodResult]
    standings: list[Standing]
    with_results: int

    @property
    def papers(self) -> int:
        return sum(n.papers for n in self.neighbourhoods)

    @property
    def eligible(self) -> int:
        return sum(n.eligible for n in self.neighbourhoods)

    @property
    def turnout(self) -> Fraction | None:
        return Fraction(self.papers, self.eligible) if self.eligible else None


def _scores(kind: BallotKind, body: dict[str, Any]) -> dict[str, Fraction]:
    if kind is BallotKind.POINTS:
        return {k: Fraction(v) for k, v in body["details"]["totals"].items()}
    if kind is BallotKind.APPROVAL:
        return {k: Fraction(v) for k, v in body["details"]["approvals"].items()}
    first = body["rounds"][0]["votes"]
    return {k: Fraction(str(v)) for k, v in first.items()}


def neighbourhood_result(place: Neighbourhood, ballot: Ballot, *, show_counted: bool) -> NeighbourhoodResult:
    """One neighbourhood's line: turnout always; winners and scores once the result may be shown."""
    eligible = ballot.electorate_size if ballot.electorate_size is not None else electorate_size(ballot)
    row = NeighbourhoodResult(place, ballot, counting.paper_count(ballot), eligible)
    visible = ballot.status is BallotStatus.PUBLISHED or (show_counted and ballot.status is BallotStatus.COUNTED)
    result = counting.current_result(ballot) if visible else None
    if result is None:
        return row
    options = counting.ballot_options(ballot)
    row.titles = {o.key: o.title for o in options}
    body = json.loads(result.document)
    row.has_result = True
    row.scores = _scores(ballot.kind, body)
    # A priority with no support was not chosen by anyone, whatever the count's tie-break drew for an
    # empty seat (with lot, a neighbourhood where nobody voted would otherwise "choose" three at random).
    row.winners = [row.titles.get(k, k) for k in body.get("winners", []) if row.scores.get(k, 0) > 0]
    return row


def exercise_results(exercise: PrioritiesExercise, *, show_counted: bool = False) -> ExerciseResults:
    """Every neighbourhood's line and the council-wide standing (``show_counted``: officers see unpublished counts)."""
    rows = [neighbourhood_result(p, b, show_counted=show_counted) for p, b in exercise_ballots(exercise)]
    counted = [r for r in rows if r.has_result]
    return ExerciseResults(exercise, BallotKind(exercise.kind), rows, council_standings(counted), len(counted))


def council_standings(rows: list[NeighbourhoodResult]) -> list[Standing]:
    """Priorities by their average share across ``rows`` (each neighbourhood weighted equally)."""
    titles: dict[str, str] = {}
    shares: dict[str, Fraction] = {}
    totals: dict[str, Fraction] = {}
    won: dict[str, int] = {}
    for row in rows:
        titles = row.titles | titles
        whole = sum(row.scores.values())
        winners = set(row.winners)
        for key, score in row.scores.items():
            totals[key] = totals.get(key, Fraction(0)) + score
            # A neighbourhood where nobody scored anything gives every priority a 0 share.
            shares[key] = shares.get(key, Fraction(0)) + (score / whole if whole else Fraction(0))
            won[key] = won.get(key, 0) + (1 if row.titles.get(key) in winners else 0)
    if not rows:
        return []
    standings = [Standing(key, titles.get(key, key), shares[key] / len(rows), totals[key], won[key]) for key in shares]
    return sorted(standings, key=lambda s: (-s.average_share, -s.total, s.title))


def percent(value: Fraction | None) -> str:
    """``12.5%`` (one decimal place), or "not known" when there is nothing to divide by."""
    if value is None:
        return "not known"
    return f"{float(value) * 100:.1f}%"


def number(value: Fraction) -> str:
    """A whole number with thousands separators, or up to 2 decimal places (STV first preferences are whole)."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.2f}"
