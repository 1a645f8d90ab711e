"""A housing co-operative with a secretary, a scrutineer, members with accounts, a ceased member and a meeting.

Members are written with the ORM directly (the registers' operations belong
to another part of the governance core): a society, one class, and admitted
members each linked to an account.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from app.auth.models import Role, User
from app.extensions import db
from app.governance.meetings import operations
from app.governance.meetings.models import Meeting, MeetingKind, Resolution, ResolutionKind
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


@dataclass
class World:
    council: Any
    society: Society
    member_class: MemberClass
    secretary: User
    scrutineer: User
    members: list[User]  # admitted members with accounts, in membership-number order
    lines: dict[int, Member]  # user id -> register line
    ceased: User
    outsider: User  # a resident of the council who is not a member
    officer: User  # a council officer of the housing module
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read while the council is set: outside it, row-level security hides the rows to refresh from.
        self.slug = self.council.slug
        self.society_id = self.society.id

    @property
    def prefix(self) -> str:
        return f"/c/{self.slug}/societies/{self.society_id}/meetings"

    def line(self, user: User) -> Member:
        return self.lines[user.id]


def admit(society: Society, member_class: MemberClass, person: User, number: int, *, ceased_on=None) -> Member:
    admitted = date.today() - timedelta(days=400)
    line = Member(
        society_id=society.id,
        member_class_id=member_class.id,
        user_id=person.id,
        membership_number=number,
        name=person.name,
        address=f"{number} Co-op Street",
        postcode="OL16 1AA",
        email="",
        status=MemberStatus.CEASED if ceased_on else MemberStatus.MEMBER,
        applied_on=admitted,
        admitted_on=admitted,
        ceased_on=ceased_on,
        cessation=Cessation.LEFT if ceased_on else None,
    )
    db.session.add(line)
    db.session.flush()
    return line


@pytest.fixture
def world(active_db, create_council, grant_role) -> World:
    council = create_council(slug=f"meet{uuid.uuid4().hex[:6]}", name="Meetham Borough Council")
    secretary = new_person("Sam Secretary")
    scrutineer = new_person("Sunita Scrutineer")
    members = [new_person(f"Member {i}") for i in range(1, 7)]
    ceased = new_person("Cecil Ceased")
    outsider = new_person("Olive Outsider")
    officer = new_person("Hal Housing")
    for person in [secretary, scrutineer, *members, ceased, outsider]:
        grant_role(person, council, Role.RESIDENT)
    grant_role(officer, council, Role.OFFICER, modules=("housing",))
    with council_context(council.id):
        set_module_enabled("housing", True)
        society = Society(
            name="Rochdale Pioneers Housing Co-operative",
            kind=SocietyKind.HOUSING_COOP,
            notice_clear_days=14,
            quorum_members=3,
            quorum_percent=0,
            ordinary_threshold="simple_majority",
            special_threshold="three_quarters",
            proxy_cap=2,
            proxies_count_in_quorum=True,
        )
        db.session.add(society)
        db.session.flush()
        tenants = MemberClass(society_id=society.id, name="Tenants")
        db.session.add(tenants)
        db.session.flush()
        lines = {}
        for number, person in enumerate(members, start=1):
            lines[person.id] = admit(society, tenants, person, number)
        lines[ceased.id] = admit(society, tenants, ceased, 99, ceased_on=date.today() - timedelta(days=10))
        db.session.add_all(
            [
                SocietyOfficer(society_id=society.id, user_id=secretary.id, role=SocietyRole.SECRETARY),
                SocietyOfficer(society_id=society.id, user_id=scrutineer.id, role=SocietyRole.SCRUTINEER),
            ]
        )
        db.session.flush()
        built = World(council, society, tenants, secretary, scrutineer, members, lines, ceased, outsider, officer)
    active_db.session.commit()
    return built


@pytest.fixture
def in_council(world: World):
    with council_context(world.council.id):
        yield world


def make_meeting(world: World, *, days_ahead: int = 20, voting_open_now: bool = True) -> Meeting:
    """A meeting ``days_ahead`` days away (in the council's context; flushed), voting open from an hour ago."""
    now = timing.now()
    return operations.create_meeting(
        world.society,
        kind=MeetingKind.ANNUAL,
        title="Annual general meeting 2027",
        starts_at=now + timedelta(days=days_ahead),
        place="Community hall, Toad Lane",
        online_link="https://meet.example.org/agm",
        voting_opens_at=now - timedelta(hours=1) if voting_open_now else now + timedelta(days=1),
        voting_closes_at=now + timedelta(days=days_ahead, hours=3),
        by=world.secretary,
    )


def add_resolution(world: World, meeting: Meeting, kind=ResolutionKind.SPECIAL, title="Change rule 12") -> Resolution:
    return operations.add_resolution(
        meeting,
        world.society,
        kind=kind,
        title=title,
        text="That rule 12 is changed so that the committee has nine members.",
        proposer="Member 1",
        by=world.secretary,
    )


def ready_meeting(world: World, kinds=(ResolutionKind.SPECIAL,)) -> tuple[Meeting, list[Resolution]]:
    """A meeting with notice given today, its resolutions put (voting open). Committed."""
    meeting = make_meeting(world)
    resolutions = [add_resolution(world, meeting, kind, title=f"Resolution {n}") for n, kind in enumerate(kinds, 1)]
    operations.give_notice(meeting, world.society, by=world.secretary)
    for resolution in resolutions:
        operations.put_resolution(resolution, meeting, world.society, by=world.secretary)
    db.session.commit()
    return meeting, resolutions
