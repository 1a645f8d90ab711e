"""A school trust with four constituencies, members in each, and the people who run it.

``world`` builds (in the test's database strategy) a council with the
``schools`` module on, a school trust society with classes Parents, Staff,
Learners and Community, a council administrator, a schools officer, the
society's secretary (a society role, not a council one), a housing officer
(who does not run school trusts), and registers members directly with the
ORM (the registers' own operations are another helper's work).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.governance.elections import operations
from app.governance.elections.models import Election, ElectionSeat
from app.governance.models import (
    Cessation,
    Member,
    MemberClass,
    MemberStatus,
    Society,
    SocietyKind,
    SocietyOfficer,
    SocietyRole,
)
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.factories import new_person

CLASSES = ("Parents", "Staff", "Learners", "Community")


@dataclass
class World:
    council: Any
    other_council: Any
    society: Society
    classes: dict[str, MemberClass]
    admin: User
    officer: User  # a council officer of the schools module
    secretary: User  # the society's secretary
    housing_officer: User
    stranger: User  # signed in, but on nobody's register
    members: dict[str, list[tuple[User, Member]]] = field(default_factory=dict)
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}/societies/{self.society.id}/elections"


def add_member(world: World, class_name: str, name: str, *, ceased: bool = False, account: bool = True) -> Member:
    """A member of ``class_name`` admitted a year ago (ceased last week when ``ceased``), with an account."""
    admitted = timing.today() - timedelta(days=365)
    person = new_person(name) if account else None
    with council_context(world.council.id):
        line = Member(
            society_id=world.society.id,
            member_class_id=world.classes[class_name].id,
            user_id=person.id if person else None,
            membership_number=next(world._numbers),
            name=name,
            status=MemberStatus.CEASED if ceased else MemberStatus.MEMBER,
            applied_on=admitted,
            admitted_on=admitted,
            ceased_on=timing.today() - timedelta(days=7) if ceased else None,
            cessation=Cessation.LEFT if ceased else None,
        )
        db.session.add(line)
        db.session.flush()
    if person is not None:
        world.members.setdefault(class_name, []).append((person, line))
    return line


def user_of(world: World, line: Member) -> User:
    return db.session.scalar(select(User).where(User.id == line.user_id))


@pytest.fixture
def world(active_db, create_council, grant_role) -> World:
    council = create_council(slug=f"trustham-{uuid.uuid4().hex[:6]}", name="Trustham Council")
    other = create_council(slug=f"elsewhere-{uuid.uuid4().hex[:6]}", name="Elsewhere Council")
    admin = new_person("Ada Admin")
    officer = new_person("Sam Schools")
    secretary = new_person("Sue Secretary")
    housing = new_person("Hal Housing")
    stranger = new_person("Stan Stranger")
    grant_role(admin, council, Role.COUNCIL_ADMIN)
    grant_role(officer, council, Role.OFFICER, modules=("schools",))
    grant_role(housing, council, Role.OFFICER, modules=("housing",))
    with council_context(council.id):
        set_module_enabled("schools", True)
        society = Society(name="Trustham Co-operative Schools Trust", kind=SocietyKind.SCHOOL_TRUST)
        db.session.add(society)
        db.session.flush()
        classes = {}
        for position, name in enumerate(CLASSES):
            classes[name] = MemberClass(society_id=society.id, name=name, position=position)
            db.session.add(classes[name])
        db.session.flush()
        db.session.add(SocietyOfficer(society_id=society.id, user_id=secretary.id, role=SocietyRole.SECRETARY))
        db.session.flush()
    with council_context(other.id):
        set_module_enabled("schools", True)
    active_db.session.commit()
    return World(council, other, society, classes, admin, officer, secretary, housing, stranger)


def details(**kw: Any) -> operations.Details:
    today = timing.today()
    values = {
        "title": "Stakeholder forum election 2027",
        "body_name": "Stakeholder forum",
        "body_size": 9,
        "description": "Elects the trust's stakeholder forum.",
        "method": "stv",
        "statement_max_words": 50,
        "term_years": 3,
        "nominations_open_on": today,
        "nominations_close_on": today + timedelta(days=14),
        "voting_closes_on": today + timedelta(days=28),
    }
    values.update(kw)
    return operations.Details(**values)


def make_election(
    world: World, seats: dict[str, int] | None = None, *, open_nominations: bool = True, **kw
) -> Election:
    """An election with ``seats`` per class name (default the forum: 3, 2, 2, 2), taking nominations (committed)."""
    seats = seats if seats is not None else {"Parents": 3, "Staff": 2, "Learners": 2, "Community": 2}
    with council_context(world.council.id):
        election = operations.create_election(world.society, details(**kw), by=world.secretary)
        operations.set_seats(election, {world.classes[k].id: v for k, v in seats.items()}, by=world.secretary)
        if open_nominations:
            operations.open_nominations(election, by=world.secretary)
        db.session.commit()
        return election


def seat_of(world: World, election: Election, class_name: str) -> ElectionSeat:
    return db.session.scalar(
        select(ElectionSeat).where(
            ElectionSeat.election_id == election.id, ElectionSeat.member_class_id == world.classes[class_name].id
        )
    )


def stand(
    world: World,
    election: Election,
    line: Member,
    statement: str = "I will listen to every member.",
    *,
    accept: bool = True,
):
    """``line`` stands in their own constituency; the secretary accepts it when ``accept`` (committed)."""
    with council_context(world.council.id):
        class_name = next(k for k, v in world.classes.items() if v.id == line.member_class_id)
        nomination = operations.nominate(
            election, seat_of(world, election, class_name), nominator=line, candidate=line, statement=statement, by=None
        )
        if accept:
            operations.accept(election, nomination, by=world.secretary)
        db.session.commit()
        return nomination


def close_nominations(world: World, election: Election) -> None:
    """Move the nomination dates into the past, as if the closing day had gone by (committed)."""
    today = timing.today()
    with council_context(world.council.id):
        election.nominations_open_on = today - timedelta(days=10)
        election.nominations_close_on = today - timedelta(days=1)
        db.session.commit()


@pytest.fixture
def in_council(world: World):
    with council_context(world.council.id):
        yield world


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}
