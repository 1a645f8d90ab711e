"""A council with the schools module on: a trust made by the operations, two schools, and the people around them.

``world`` builds (committed at the end):

* the Mereside Co-operative Learning Trust (five constituencies), whose
  secretary is ``secretary``; Mereside High in it, Lowfield Primary not;
* an administrator, a schools officer, a housing officer (no schools), a
  parent resident, and a resident of another council (which also runs schools).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.governance import operations as governance
from app.governance import queries as governance_queries
from app.governance.meetings import operations as meetings
from app.governance.meetings.models import MeetingBody, MeetingKind, ResolutionKind
from app.governance.models import MemberClass, SocietyRole
from app.schools import operations
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.factories import new_person


@dataclass
class World:
    council: Any
    other_council: Any
    admin: User
    officer: User
    housing_officer: User
    secretary: User
    parent: User
    stranger: User
    trust: int
    high: int
    primary: int
    classes: dict[str, int]

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}/schools"


@pytest.fixture
def world(active_db, create_council, grant_role) -> World:
    council = create_council(slug=f"mereside-{uuid.uuid4().hex[:6]}", name="Mereside Council")
    other = create_council(slug=f"elsewhere-{uuid.uuid4().hex[:6]}", name="Elsewhere Council")
    people = {
        key: new_person(label)
        for key, label in (
            ("admin", "Ada Admin"),
            ("officer", "Sol Schools"),
            ("housing_officer", "Hal Housing"),
            ("secretary", "Sam Secretary"),
            ("parent", "Pat Parent"),
            ("stranger", "Stan Stranger"),
        )
    }
    grant_role(people["admin"], council, Role.COUNCIL_ADMIN)
    grant_role(people["officer"], council, Role.OFFICER, modules=("schools",))
    grant_role(people["housing_officer"], council, Role.OFFICER, modules=("housing",))
    for key in ("secretary", "parent"):
        grant_role(people[key], council, Role.RESIDENT)
    grant_role(people["stranger"], other, Role.RESIDENT)
    with council_context(council.id):
        set_module_enabled("schools", True)
        trust = operations.create_trust(
            name="Mereside Co-operative Learning Trust", legal_model="foundation_trust", description="", by=None
        )
        governance.appoint_society_officer(trust, people["secretary"], SocietyRole.SECRETARY, by_user=None)
        high = operations.save_school(
            None, name="Mereside High", urn="140001", phase="secondary", pupils=900, society_id=trust.id, by=None
        )
        primary = operations.save_school(
            None, name="Lowfield Primary", urn="140002", phase="primary", pupils=300, society_id=None, by=None
        )
        classes = {c.name: c.id for c in db.session.scalars(select(MemberClass))}
        ids = (trust.id, high.id, primary.id)
    with council_context(other.id):
        set_module_enabled("schools", True)
    active_db.session.commit()
    return World(council, other, *(people[k] for k in people), *ids, classes)


@pytest.fixture
def in_council(world: World):
    with council_context(world.council.id):
        yield world


def forum_resolution(society_id: int, *, body=MeetingBody.FORUM, passed=True):
    """A resolution of a meeting of the trust's ``body``, with a count outcome of passed (or failed); flushed."""
    society = governance_queries.society(society_id)
    now = timing.now()
    meeting = meetings.create_meeting(
        society,
        kind=MeetingKind.SPECIAL,
        body=body,
        title="Forum meeting",
        starts_at=now + timedelta(days=1),
        place="Hall",
        online_link="",
        voting_opens_at=now - timedelta(hours=1),
        voting_closes_at=now + timedelta(days=2),
        by=None,
    )
    resolution = meetings.add_resolution(
        meeting, society, kind=ResolutionKind.ORDINARY, title="Appoint a trustee", text="That X is appointed.",
        proposer="", by=None,
    )  # fmt: skip
    # The count itself is the governance core's (tested there); here only its outcome matters.
    resolution.outcome = "passed" if passed else "failed"
    db.session.flush()
    return society, resolution
