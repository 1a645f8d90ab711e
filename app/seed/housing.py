"""Demo housing for a council: a tenants' co-op managing one estate, a council-managed estate, tenancies, repairs.

Idempotent like the rest of the demo seed: the co-op, estates and homes are
found by name or reference and only created when missing. The first two demo
residents are tenants of the co-op's estate (the first has an open offer of
membership), the third a tenant of the council's estate; one damp and mould
repair is waiting for a contractor.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.governance.models import MemberClass, Society, SocietyKind
from app.housing import operations, queries
from app.housing.models import HousingEstate, HousingHome, HousingRepair
from app.voting import timing

HOUSING_DEMO_COUNCIL = "brackenbury"  # the demo council whose housing is seeded
COOP_NAME = "Brackenbury Tenants' Co-operative"
HOMES = (
    ("Moss Side Gardens", True, "MSG-01", "Flat 1, Moss Side Court", "OL11 4AB", 1, "flat"),
    ("Moss Side Gardens", True, "MSG-02", "Flat 2, Moss Side Court", "OL11 4AB", 2, "flat"),
    ("Moss Side Gardens", True, "MSG-10", "10 Moss Side Gardens", "OL11 4AD", 3, "house"),
    ("Hollin Lane", False, "HL-04", "4 Hollin Lane", "OL11 5HL", 2, "bungalow"),
    ("Hollin Lane", False, "HL-06", "6 Hollin Lane", "OL11 5HL", 3, "house"),
)


def ensure_housing(created: Counter[str], resident_emails: list[str]) -> None:
    """Create what is missing of the demo housing in the current council (flushes, never commits)."""
    coop = db.session.scalar(select(Society).where(Society.name == COOP_NAME))
    if coop is None:
        coop = Society(
            name=COOP_NAME,
            kind=SocietyKind.HOUSING_COOP,
            description="A tenant management co-operative for Moss Side Gardens.",
        )
        db.session.add(coop)
        db.session.flush()
        db.session.add(MemberClass(society_id=coop.id, name="Tenants", description="Tenants of the co-op's homes"))
        created["housing co-operatives"] += 1
    estates: dict[str, HousingEstate] = {e.name: e for e in queries.estates()}
    for estate_name, managed, ref, address, postcode, bedrooms, home_type in HOMES:
        estate = estates.get(estate_name)
        if estate is None:
            estate = estates[estate_name] = operations.save_estate(
                None, name=estate_name, description="", society_id=coop.id if managed else None, by=None
            )
            created["estates"] += 1
        if db.session.scalar(select(HousingHome.id).where(HousingHome.reference == ref)) is None:
            operations.save_home(
                estate, None, operations.HomeDetails(ref, address, postcode, bedrooms, home_type), by=None
            )
            created["homes"] += 1
    people = [db.session.scalar(select(User).where(User.email == email)) for email in resident_emails[:3]]
    started = timing.today() - timedelta(days=400)
    for person, ref in zip(people, ("MSG-01", "MSG-02", "HL-04"), strict=False):
        home = db.session.scalar(select(HousingHome).where(HousingHome.reference == ref))
        if person is None or home is None or queries.tenancies(home.id):
            continue
        operations.start_tenancy(
            home, starts_on=started, people=[operations.TenantDetails(person.name, person.email)], by=None
        )
        created["tenancies"] += 1
    home = db.session.scalar(select(HousingHome).where(HousingHome.reference == "MSG-02"))
    if people and people[1] is not None and db.session.scalar(select(HousingRepair.id).limit(1)) is None:
        operations.report_repair(
            home,
            category="damp_mould",
            urgency="routine",
            location="bedroom",
            description="Black mould is spreading behind the wardrobe in the back bedroom.",
            photos=[],
            by=people[1],
        )
        created["repairs"] += 1
