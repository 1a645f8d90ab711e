"""Demo societies: a housing co-operative with its register and share ledger, for councils running housing.

Idempotent like the rest of the demo: a society that already exists (by
name) is left alone, so a demo someone has clicked around in keeps its
changes. Everything goes through :mod:`app.governance.operations`, so the
demo's register has decisions, ledger lines and audit entries like a real one.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.governance import operations
from app.governance.models import Society, SocietyKind, SocietyRole
from app.seed.data import DemoCouncil, residents
from app.voting import timing
from tenants.context import council_context
from tenants.models import Council

MEMBERS = 4  # residents 02-05 are members; 06 has applied; 01 is the secretary (and a member)


def ensure_societies(demo: DemoCouncil, created) -> None:
    """A tenants' co-operative for a council that runs the housing module (nothing otherwise)."""
    if "housing" not in demo.modules:
        return
    council = db.session.scalar(select(Council).where(Council.slug == demo.slug))
    name = f"{demo.neighbourhoods[1]} Tenants' Co-operative"
    with council_context(council.id):
        if db.session.scalar(select(Society.id).where(Society.name == name)) is not None:
            return
        people = [db.session.scalar(select(User).where(User.email == p.email)) for p in residents(demo)[: MEMBERS + 2]]
        society = operations.create_society(
            name=name,
            kind=SocietyKind.HOUSING_COOP,
            registration_number=f"3{demo.ward_prefix}1R",
            registered_office=f"Community Centre, {demo.neighbourhoods[1]}",
            description="A tenant management co-operative: tenants run repairs, lettings and the estate budget.",
            quorum_members=10,
            quorum_percent=5,
            by_user=None,
        )
        tenants = operations.add_member_class(
            society, name="Tenants", description="Anyone holding a tenancy on the estate.", by_user=None
        )
        operations.add_member_class(
            society,
            name="Leaseholders",
            description="Owners of leasehold flats on the estate.",
            vote_cap_percent=25,
            by_user=None,
        )
        today = timing.today()
        for index, person in enumerate(people[: MEMBERS + 1]):
            line = operations.apply_for_membership(
                society,
                tenants,
                name=person.name,
                address=f"{index + 1} {demo.neighbourhoods[1]} Road",
                postcode="",
                email=person.email,
                user_id=person.id,
                applied_on=today - timedelta(days=90 - index),
            )
            operations.admit(
                line, decided_on=today - timedelta(days=60), decided_by="Committee, minute 3", by_user=None
            )
        operations.appoint_society_officer(society, people[0], SocietyRole.SECRETARY, by_user=None)
        applicant = people[MEMBERS + 1]
        operations.apply_for_membership(
            society,
            tenants,
            name=applicant.name,
            address=f"{MEMBERS + 2} {demo.neighbourhoods[1]} Road",
            postcode="",
            email=applicant.email,
            user_id=applicant.id,
        )
        created["societies"] += 1
