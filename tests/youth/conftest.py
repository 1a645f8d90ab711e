"""A council running youth service choices, with people, neighbourhoods and rounds in any phase.

``world`` builds (in the test's database strategy) a council with the
``youth`` module on, an administrator, an officer of ``youth``, an officer of
``housing`` only, residents, a person of another council and two
neighbourhoods. ``make_round`` creates a round through the operations with
phase dates that put it in the phase asked for today, and budgets for both
neighbourhoods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.voting import timing
from app.youth import operations
from app.youth.models import Phase, YouthProposal, YouthRound
from app.youth.phases import PHASE_STARTS
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Neighbourhood
from tests.fixtures.factories import new_person


@dataclass
class World:
    council: Any
    admin: User
    officer: User  # manages "youth"
    housing_officer: User
    residents: list[User]
    stranger: User  # a resident of another council
    other_council: Any
    neighbourhoods: list[Neighbourhood]

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}/youth"


def dates_for(phase: Phase, today: date | None = None) -> dict[str, date]:
    """Phase start dates (ten days apart) that put a round in ``phase`` on ``today``."""
    today = today or timing.today()
    order = [p for p, _column in PHASE_STARTS]
    current = -1 if phase is Phase.UPCOMING else order.index(phase)
    starts = {}
    for i, (_phase, column) in enumerate(PHASE_STARTS):
        offset = i - current
        starts[column] = today + timedelta(days=10 * offset - (1 if offset <= 0 else 0))
    return starts


@pytest.fixture
def world(active_db, create_council, grant_role) -> World:
    council = create_council(slug="youthham", name="Youthham Borough Council")
    other = create_council(slug="elsewhere", name="Elsewhere Council")
    admin = new_person("Ada Admin")
    officer = new_person("Yusuf Youth")
    housing = new_person("Hal Housing")
    residents = [new_person(f"Resident {i}") for i in range(2)]
    stranger = new_person("Stranger")
    grant_role(admin, council, Role.COUNCIL_ADMIN)
    grant_role(officer, council, Role.OFFICER, modules=("youth",))
    grant_role(housing, council, Role.OFFICER, modules=("housing",))
    for person in residents:
        grant_role(person, council, Role.RESIDENT)
    grant_role(stranger, other, Role.RESIDENT)
    with council_context(council.id):
        set_module_enabled("youth", True)
        places = [Neighbourhood(name="Brixton Hill"), Neighbourhood(name="Clapham Town")]
        active_db.session.add_all(places)
        active_db.session.flush()
    with council_context(other.id):
        set_module_enabled("youth", True)
    active_db.session.commit()
    return World(council, admin, officer, housing, residents, stranger, other, places)


def build_round(world: World, phase: Phase = Phase.PROPOSALS, *, title: str = "Youth services 2027") -> YouthRound:
    """A round in ``phase`` today, with budgets of £50,000 and £30,000 (committed)."""
    with council_context(world.council.id):
        round_ = operations.create_round(
            title=title,
            description="Choose your youth services.",
            dates=dates_for(phase),
            min_age=11,
            max_age=25,
            by=world.admin,
        )
        # Budgets must be set before voting; set them in an editable phase, then move the dates.
        wanted = dates_for(phase)
        round_.phase_override = Phase.PROPOSALS
        operations.set_budgets(
            round_, {world.neighbourhoods[0].id: 5_000_000, world.neighbourhoods[1].id: 3_000_000}, by=world.admin
        )
        round_.phase_override = None
        for column, day in wanted.items():
            setattr(round_, column, day)
        db.session.commit()
        db.session.refresh(round_)
        return round_


def build_proposal(
    world: World, round_: YouthRound, *, by: User | None = None, neighbourhood: int = 0, **kw
) -> YouthProposal:
    """A proposal for ``round_`` (which must be taking proposals; committed)."""
    with council_context(world.council.id):
        services = operations_services(round_)
        proposal = operations.submit_proposal(
            round_,
            neighbourhood_id=world.neighbourhoods[neighbourhood].id,
            service_type_id=kw.pop("service_type_id", services["Sport"]),
            title=kw.pop("title", "Friday night football"),
            description=kw.pop("description", "Five-a-side on the estate pitch, with a coach."),
            audience=kw.pop("audience", "Anyone aged 12 to 18"),
            sessions_wanted=kw.pop("sessions_wanted", 40),
            by=by or world.residents[0],
        )
        db.session.commit()
        db.session.refresh(proposal)
        return proposal


def operations_services(round_: YouthRound) -> dict[str, int]:
    from app.youth.queries import services

    return {s.name: s.id for s, _provider in services(round_)}


@pytest.fixture
def in_council(world: World):
    with council_context(world.council.id):
        yield world


# --- voting, results and delivery ----------------------------------------------------------------


def accept(world: World, round_: YouthRound, proposal: YouthProposal, sessions: int) -> YouthProposal:
    """Accept ``proposal`` with ``sessions`` sessions (the round must still be editable; committed)."""
    with council_context(world.council.id):
        operations.decide_proposal(
            round_,
            proposal,
            decision=operations.ProposalStatus.ACCEPTED,
            reason="",
            estimated_sessions=sessions,
            by=world.officer,
        )
        db.session.commit()
        db.session.refresh(proposal)
        return proposal


def reviewed_round(world: World, title: str = "Youth services 2027") -> tuple[YouthRound, list[YouthProposal]]:
    """A round taking proposals with three accepted in the first neighbourhood (Sport at £300 a session):

    football £30,000 (100 sessions), boxing £15,000 (50), dance £15,000 (50); budget £50,000.
    And one accepted in the second neighbourhood (£9,000 of its £30,000).
    """
    round_ = build_round(world, Phase.PROPOSALS, title=title)
    made = []
    for name, sessions in (("Football", 100), ("Boxing", 50), ("Dance", 50)):
        proposal = build_proposal(world, round_, title=name)
        made.append(accept(world, round_, proposal, sessions))
    other = build_proposal(world, round_, title="Basketball", neighbourhood=1)
    made.append(accept(world, round_, other, 30))
    return round_, made


def make_voter(world: World, neighbourhood: int = 0, age: int = 17, *, contact: bool = False) -> User:
    """A verified resident of a neighbourhood, ``age`` years old today (committed)."""
    from app.auth.models import CouncilRole
    from app.residents import profiles
    from app.residents.electorate import years_before
    from app.residents.models import ConsentKind, VerificationMethod

    person = new_person(f"Voter aged {age}")
    with council_context(world.council.id):
        db.session.add(CouncilRole(user_id=person.id, role=Role.RESIDENT, modules=[]))
        profile = profiles.ensure_profile(person.id)
        profiles.verify(
            profile,
            how=VerificationMethod.IN_PERSON,
            neighbourhood_id=world.neighbourhoods[neighbourhood].id,
            date_of_birth=years_before(timing.today(), age) - timedelta(days=1),
            verified_by_user_id=world.officer.id,
        )
        if contact:
            profiles.give_consent(profile, ConsentKind.CONTACT, wording_version="v1")
        db.session.commit()
    return person


def finish_ballot(world: World, ballot_id: int, papers: list[tuple[User, Any]]) -> None:
    """Cast ``papers``, close the ballot, count it and publish the result (committed)."""
    from app.voting import counting
    from app.voting import operations as ballot_ops
    from app.voting.models import Ballot

    with council_context(world.council.id):
        for person, content in papers:
            ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
            ballot_ops.cast_vote(ballot, person, content)
            db.session.commit()
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        ballot_ops.close_ballot(ballot, world.officer, early=True)
        db.session.commit()
        counting.run_count(ballot_id)
        db.session.commit()
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        counting.publish(ballot, actor_user_id=world.officer.id)
        db.session.commit()
