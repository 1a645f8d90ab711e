"""Making a priorities exercise: one ballot per neighbourhood from a template (flushes, never commits).

Each ballot is made through ``app.voting.operations`` exactly as an officer
would make it by hand (create, rules, options, electorate, window, and open
when asked), so every check and audit entry of the voting engine applies. The
electorate of each is the verified residents of its neighbourhood
(``app.residents.electorate``). Everything is checked before anything is
written; a refusal from the engine part-way (it should not happen after the
checks) leaves the caller to roll back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.audit.operations import record_event
from app.auth.models import User
from app.extensions import db
from app.i18n import _l
from app.priorities.catalogue import KINDS, METHODS, TEMPLATES
from app.priorities.models import PrioritiesBallot, PrioritiesExercise
from app.voting import operations as voting
from app.voting import timing
from app.voting.models import Ballot, BallotKind
from tenants.models import Neighbourhood

MODULE = "priorities"
MAX_AREAS = 30


class PrioritiesError(ValueError):
    """A refusal a person can cause; ``field`` names the form field."""

    status = 400

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ExerciseRequest:
    """What the officer asked for, as plain data."""

    template: str
    kind: BallotKind
    title: str
    neighbourhood_ids: Sequence[int]
    areas: Sequence[str]
    winners: int
    points: int | None = None  # points ballots only
    max_per_option: int | None = None  # points ballots only
    closes_at: datetime | None = None
    open_now: bool = False


def _user_id(by: User | int | None) -> int | None:
    return by.id if isinstance(by, User) else by


def check_request(request: ExerciseRequest) -> tuple[list[Neighbourhood], list[str]]:
    """The neighbourhoods and the cleaned list of areas, else :class:`PrioritiesError` on the first problem."""
    if request.template not in TEMPLATES:
        raise PrioritiesError(_l("Choose a template"), "template")
    if request.kind not in KINDS:
        raise PrioritiesError(_l("Choose how residents vote"), "kind")
    if not request.title.strip():
        raise PrioritiesError(_l("Enter a title"), "title")
    if len(request.title.strip()) > 150:
        raise PrioritiesError(_l("The title must be 150 characters or fewer"), "title")
    ids = sorted(set(request.neighbourhood_ids))
    if not ids:
        raise PrioritiesError(_l("Choose at least one neighbourhood"), "neighbourhoods")
    found = list(
        db.session.scalars(select(Neighbourhood).where(Neighbourhood.id.in_(ids)).order_by(Neighbourhood.name))
    )
    if len(found) != len(ids):
        raise PrioritiesError(_l("Choose neighbourhoods from the list"), "neighbourhoods")
    areas: list[str] = []
    for line in request.areas:
        cleaned = " ".join(str(line).split())
        if not cleaned:
            continue
        if len(cleaned) > 200:
            raise PrioritiesError(_l("Each priority area must be 200 characters or fewer"), "areas")
        if cleaned.lower() in {a.lower() for a in areas}:
            raise PrioritiesError(_l("%(area)s is in the list twice", area=cleaned), "areas")
        areas.append(cleaned)
    if len(areas) < 2:
        raise PrioritiesError(_l("List at least 2 priority areas, one on each line"), "areas")
    if len(areas) > MAX_AREAS:
        raise PrioritiesError(_l("List at most %(num)s priority areas", num=MAX_AREAS), "areas")
    if not 1 <= request.winners <= len(areas):
        raise PrioritiesError(
            _l("The number of priorities chosen must be from 1 to %(num)s, the number of areas", num=len(areas)),
            "winners",
        )
    if request.kind is BallotKind.POINTS:
        if request.points is None or not 1 <= request.points <= 1000:
            raise PrioritiesError(_l("Enter the points each resident shares out, from 1 to 1000"), "points")
        cap = request.max_per_option
        if cap is not None and not 1 <= cap <= request.points:
            raise PrioritiesError(
                _l("The most points for one priority must be from 1 to %(num)s", num=request.points), "max_per_option"
            )
    if request.closes_at is not None and request.closes_at <= timing.now():
        raise PrioritiesError(_l("The closing date must be in the future"), "closes_on")
    if request.open_now and request.closes_at is None:
        raise PrioritiesError(_l("Set when voting closes, to open the ballots now"), "closes_on")
    return found, areas


def _parameters(request: ExerciseRequest) -> dict[str, Any]:
    if request.kind is BallotKind.POINTS:
        return {"seats": request.winners, "points": request.points, "max_per_option": request.max_per_option}
    if request.kind is BallotKind.APPROVAL:
        return {"seats": request.winners, "max_approvals": request.winners}
    return {"seats": request.winners}


def create_exercise(request: ExerciseRequest, *, by: User | int | None) -> PrioritiesExercise:
    """The exercise and one ballot per chosen neighbourhood (opened when ``open_now``)."""
    neighbourhoods, areas = check_request(request)
    source = TEMPLATES[request.template]
    exercise = PrioritiesExercise(
        title=request.title.strip(),
        description=str(source.description),
        template=request.template,
        kind=request.kind.value,
        created_by_id=_user_id(by),
    )
    db.session.add(exercise)
    db.session.flush()
    for place in neighbourhoods:
        ballot = voting.create_ballot(
            title=f"{exercise.title}: {place.name}"[:200],
            description=exercise.description,
            kind=request.kind,
            module=MODULE,
            by=by,
        )
        ballot.neighbourhood_id = place.id
        voting.update_rules(
            ballot,
            method=METHODS[request.kind],
            parameters=_parameters(request),
            tie_break_rule="lot",
            by=by,
        )
        for area in areas:
            voting.add_option(ballot, title=area, by=by)
        voting.update_electorate(ballot, {"type": "verified_residents", "neighbourhood_ids": [place.id]}, by=by)
        if request.closes_at is not None:
            voting.update_window(ballot, opens_at=None, closes_at=request.closes_at, by=by)
        if request.open_now:
            voting.open_ballot(ballot, by=by)
        db.session.add(PrioritiesBallot(exercise_id=exercise.id, ballot_id=ballot.id, neighbourhood_id=place.id))
    db.session.flush()
    record_event(
        "priorities.exercise_created",
        "priorities_exercise",
        exercise.id,
        payload={
            "template": request.template,
            "kind": request.kind.value,
            "neighbourhoods": [n.id for n in neighbourhoods],
            "areas": len(areas),
            "opened": request.open_now,
        },
        actor_user_id=_user_id(by),
    )
    return exercise


def exercise_ballots(exercise: PrioritiesExercise) -> list[tuple[Neighbourhood, Ballot]]:
    """The exercise's ballots with their neighbourhoods, by neighbourhood name."""
    rows = db.session.execute(
        select(Neighbourhood, Ballot)
        .join(PrioritiesBallot, PrioritiesBallot.neighbourhood_id == Neighbourhood.id)
        .join(Ballot, Ballot.id == PrioritiesBallot.ballot_id)
        .where(PrioritiesBallot.exercise_id == exercise.id)
        .order_by(Neighbourhood.name, Neighbourhood.id)
    ).all()
    return [(n, b) for n, b in rows]
