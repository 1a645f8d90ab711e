"""A council with the care module: one enterprise, two services with a team each, a person supported and a plan.

``world`` builds (in the test's database strategy, committed at the end):

* Rochdale Care Co-operative (multi-stakeholder), with the home care service
  (team North, staff ``staff``) and day services (team Centre, staff
  ``other_staff``);
* ``person`` supported by team North, linked to their account, with ``carer``
  as their chosen carer and a first version of their plan;
* ``plan_officer`` and ``moderator`` named by the enterprise; ``officer``
  manages the care module but is not named; ``neighbour`` is a resident;
  ``stranger`` belongs to another council.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from app.auth.models import Role, User
from app.care import operations
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
    staff: User
    other_staff: User
    person: User
    carer: User
    plan_officer: User
    moderator: User
    neighbour: User
    stranger: User
    enterprise: int
    society: int
    home_care: int
    day_services: int
    north: int
    centre: int
    record: int

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}/care"


@pytest.fixture
def world(active_db, create_council, grant_role) -> World:
    council = create_council(slug=f"rochdale-{uuid.uuid4().hex[:6]}", name="Rochdale Borough Council")
    other = create_council(slug=f"elsewhere-{uuid.uuid4().hex[:6]}", name="Elsewhere Council")
    people = {
        name: new_person(label)
        for name, label in (
            ("admin", "Ada Admin"),
            ("officer", "Olu Officer"),
            ("staff", "Sam Staff"),
            ("other_staff", "Olive Other-Team"),
            ("person", "Pat Person"),
            ("carer", "Cara Carer"),
            ("plan_officer", "Pip Plan-Officer"),
            ("moderator", "Mo Moderator"),
            ("neighbour", "Nia Neighbour"),
            ("stranger", "Stan Stranger"),
        )
    }
    grant_role(people["admin"], council, Role.COUNCIL_ADMIN)
    grant_role(people["officer"], council, Role.OFFICER, modules=("care",))
    for name in ("staff", "other_staff", "person", "carer", "plan_officer", "moderator", "neighbour"):
        grant_role(people[name], council, Role.RESIDENT)
    grant_role(people["stranger"], other, Role.RESIDENT)
    with council_context(council.id):
        set_module_enabled("care", True)
        enterprise = operations.create_enterprise(
            name="Rochdale Care Co-operative", model="multi_stakeholder", by=people["officer"]
        )
        home_care = operations.add_service(enterprise, name="Home care North", kind="home_care", by=None)
        day = operations.add_service(enterprise, name="Day centre", kind="day_services", by=None)
        north = operations.add_team(home_care, name="North team", by=None)
        centre = operations.add_team(day, name="Centre team", by=None)
        operations.add_team_member(north, people["staff"], by=None)
        operations.add_team_member(centre, people["other_staff"], by=None)
        operations.name_person(enterprise, people["plan_officer"], "plan_officer", by=None)
        operations.name_person(enterprise, people["moderator"], "moderator", by=None)
        record = operations.add_person(north, name="Pat Person", user=people["person"], carer=people["carer"], by=None)
        operations.update_plan(
            record,
            outcomes="I want to get to the allotment on Tuesdays and cook my own tea.",
            who_helps="Sam helps with shopping; my daughter Cara visits at weekends.",
            review_on=timing.today() + timedelta(days=90),
            by=people["staff"],
        )
        ids = [row.id for row in (enterprise,)] + [enterprise.society_id]
        ids += [row.id for row in (home_care, day, north, centre, record)]
    with council_context(other.id):
        set_module_enabled("care", True)
    active_db.session.commit()
    return World(council, other, *people.values(), *ids)


@pytest.fixture
def in_council(world: World):
    with council_context(world.council.id):
        yield world
