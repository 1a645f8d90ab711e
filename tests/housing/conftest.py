"""A council with housing switched on: a housing co-op with a tenants class, two estates, homes and tenants.

``world`` builds (in the test's database strategy, committed at the end):

* Kirkholt, managed by the Kirkholt Tenants' Co-operative (its committee
  member is ``committee``), with homes KH-1 and KH-2;
* Balderstone, still managed by the council, with home BS-1;
* ``tenant`` on a tenancy of KH-1 (offered membership), ``council_tenant``
  on BS-1, ``neighbour`` with a role in the council but no tenancy;
* an administrator, a housing officer, a youth officer (no housing), and a
  resident of another council.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from app.auth.models import Role, User
from app.extensions import db
from app.governance.models import MemberClass, Society, SocietyKind, SocietyOfficer, SocietyRole
from app.housing import operations
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
    youth_officer: User
    committee: User
    tenant: User
    council_tenant: User
    neighbour: User
    stranger: User
    coop: int  # id (council rows expire on commit and reload only inside the council)
    tenants_class: int
    kirkholt: int
    balderstone: int
    kh1: int
    kh2: int
    bs1: int
    tenancy: int

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}/housing"


@pytest.fixture
def world(active_db, create_council, grant_role) -> World:
    council = create_council(slug=f"rochdale-{uuid.uuid4().hex[:6]}", name="Rochdale Borough Council")
    other = create_council(slug=f"elsewhere-{uuid.uuid4().hex[:6]}", name="Elsewhere Council")
    people = {
        name: new_person(label)
        for name, label in (
            ("admin", "Ada Admin"),
            ("officer", "Hal Housing"),
            ("youth_officer", "Yusuf Youth"),
            ("committee", "Cath Committee"),
            ("tenant", "Tess Tenant"),
            ("council_tenant", "Carl Council-Tenant"),
            ("neighbour", "Nia Neighbour"),
            ("stranger", "Stan Stranger"),
        )
    }
    grant_role(people["admin"], council, Role.COUNCIL_ADMIN)
    grant_role(people["officer"], council, Role.OFFICER, modules=("housing",))
    grant_role(people["youth_officer"], council, Role.OFFICER, modules=("youth",))
    for name in ("committee", "tenant", "council_tenant", "neighbour"):
        grant_role(people[name], council, Role.RESIDENT)
    grant_role(people["stranger"], other, Role.RESIDENT)
    with council_context(council.id):
        set_module_enabled("housing", True)
        coop = Society(name="Kirkholt Tenants' Co-operative", kind=SocietyKind.HOUSING_COOP)
        active_db.session.add(coop)
        active_db.session.flush()
        tenants_class = MemberClass(society_id=coop.id, name="Tenants")
        active_db.session.add_all(
            [
                tenants_class,
                SocietyOfficer(society_id=coop.id, user_id=people["committee"].id, role=SocietyRole.COMMITTEE),
            ]
        )
        kirkholt = operations.save_estate(None, name="Kirkholt", description="", society_id=coop.id, by=None)
        balderstone = operations.save_estate(None, name="Balderstone", description="", society_id=None, by=None)

        def home(estate, ref, address):
            return operations.save_home(
                estate, None, operations.HomeDetails(ref, address, "OL11 2AB", 2, "flat"), by=None
            )

        kh1 = home(kirkholt, "KH-1", "1 Kirkholt House, Rochdale")
        kh2 = home(kirkholt, "KH-2", "2 Kirkholt House, Rochdale")
        bs1 = home(balderstone, "BS-1", "1 Balderstone Road, Rochdale")
        started = timing.today() - timedelta(days=60)
        tenancy = operations.start_tenancy(
            kh1,
            starts_on=started,
            people=[operations.TenantDetails(people["tenant"].name, people["tenant"].email)],
            by=None,
        )
        operations.start_tenancy(
            bs1,
            starts_on=started,
            people=[operations.TenantDetails(people["council_tenant"].name, people["council_tenant"].email)],
            by=None,
        )
        ids = [row.id for row in (coop, tenants_class, kirkholt, balderstone, kh1, kh2, bs1, tenancy)]
    with council_context(other.id):
        set_module_enabled("housing", True)
    active_db.session.commit()
    return World(
        council,
        other,
        people["admin"],
        people["officer"],
        people["youth_officer"],
        people["committee"],
        people["tenant"],
        people["council_tenant"],
        people["neighbour"],
        people["stranger"],
        *ids,
    )


@pytest.fixture
def in_council(world: World):
    with council_context(world.council.id):
        yield world


def commit() -> None:
    db.session.commit()
