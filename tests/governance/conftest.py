"""A council with a housing co-operative: people in every role, two classes, and helpers to build the register.

``gov`` builds (in the test's database strategy) a council with the housing
module on and a society with two classes (Tenants; Young tenants, minimum age
18), and people: a council admin, a housing officer, a youth-only officer, the
society's secretary, a committee member and a scrutineer, a plain member, a
resident who is not a member, and a resident of another council.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from app.auth.models import Role, User
from app.extensions import db
from app.governance import operations
from app.governance.models import Member, MemberClass, Society, SocietyKind, SocietyRole
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.factories import new_person


@dataclass
class Gov:
    council: Any
    other_council: Any
    society: Society
    tenants: MemberClass
    young: MemberClass
    admin: User
    officer: User  # manages "housing"
    youth_officer: User  # manages "youth" only
    secretary: User
    committee: User
    scrutineer: User
    member_user: User
    member: Member  # the plain member's line (admitted, one share)
    resident: User  # a resident of the council, not a member
    stranger: User  # a resident of another council

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}/societies"

    @property
    def society_url(self) -> str:
        return f"{self.prefix}/{self.society.id}"


def years_ago(years: int, today: date | None = None) -> date:
    today = today or timing.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


_applicants = itertools.count(1)


def applicant(gov: Gov, member_class: MemberClass | None = None, **kw: Any) -> Member:
    """An application (flushed) in the current council; names and emails are unique."""
    n = next(_applicants)
    values = {
        "name": f"Applicant {n}",
        "address": f"{n} Mill Street, Rochdale",
        "postcode": "OL16 1AA",
        "email": f"applicant{n}-{uuid.uuid4().hex[:6]}@example.org",
        "applied_on": timing.today() - timedelta(days=20),
    }
    values.update(kw)
    return operations.apply_for_membership(gov.society, member_class or gov.tenants, **values)


def admitted(gov: Gov, member_class: MemberClass | None = None, *, on: date | None = None, **kw: Any) -> Member:
    """A member admitted ``on`` (default ten days ago), flushed.

    A member younger than the class's minimum age is admitted as if the minimum
    had been brought in after they joined, so that tests can reach the state of
    a young member with no consent recorded (admission itself asks for consent).
    """
    line = applicant(gov, member_class, **kw)
    member_class = member_class or gov.tenants
    minimum, member_class.min_age = member_class.min_age, None
    try:
        return operations.admit(
            line,
            decided_on=on or timing.today() - timedelta(days=10),
            decided_by="Committee, minute 1",
            by_user=gov.admin,
        )
    finally:
        member_class.min_age = minimum
        db.session.flush()


@pytest.fixture
def gov(active_db, create_council, grant_role) -> Gov:
    council = create_council(slug=f"coop-{uuid.uuid4().hex[:6]}", name="Cobden Borough Council")
    other = create_council(slug=f"other-{uuid.uuid4().hex[:6]}", name="Elsewhere Council")
    people = {
        key: new_person(name)
        for key, name in (
            ("admin", "Ada Admin"),
            ("officer", "Hal Housing"),
            ("youth_officer", "Yusuf Youth"),
            ("secretary", "Sal Secretary"),
            ("committee", "Cal Committee"),
            ("scrutineer", "Sue Scrutineer"),
            ("member_user", "Meg Member"),
            ("resident", "Rita Resident"),
            ("stranger", "Stan Stranger"),
        )
    }
    grant_role(people["admin"], council, Role.COUNCIL_ADMIN)
    grant_role(people["officer"], council, Role.OFFICER, modules=("housing",))
    grant_role(people["youth_officer"], council, Role.OFFICER, modules=("youth",))
    for key in ("secretary", "committee", "scrutineer", "member_user", "resident"):
        grant_role(people[key], council, Role.RESIDENT)
    grant_role(people["stranger"], other, Role.RESIDENT)
    with council_context(council.id):
        set_module_enabled("housing", True)
        society = operations.create_society(
            name="Cobden Tenants Co-operative",
            kind=SocietyKind.HOUSING_COOP,
            registration_number="31234R",
            registered_office="1 Cobden Street, Rochdale OL16 1AA",
            by_user=people["admin"],
        )
        tenants = operations.add_member_class(society, name="Tenants", by_user=people["admin"])
        young = operations.add_member_class(society, name="Young tenants", min_age=18, by_user=people["admin"])
        for key, role in (
            ("secretary", SocietyRole.SECRETARY),
            ("committee", SocietyRole.COMMITTEE),
            ("scrutineer", SocietyRole.SCRUTINEER),
        ):
            operations.appoint_society_officer(society, people[key], role, by_user=people["admin"])
        partial = Gov(council, other, society, tenants, young, member=None, **people)  # type: ignore[arg-type]
        partial.member = admitted(
            partial, name="Meg Member", user_id=people["member_user"].id, email="meg.member@example.org"
        )
    with council_context(other.id):
        set_module_enabled("housing", True)
    active_db.session.commit()
    return partial


@pytest.fixture
def in_council(gov: Gov):
    with council_context(gov.council.id):
        yield gov
