"""The demo seed's housing: a co-op with its estate, homes, tenancies and one repair; twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.housing.models import HousingHome, HousingRepair, HousingTenant, OfferStatus
from app.seed.demo import DemoSeeder
from tenants.context import council_context
from tenants.models import Council


def test_the_demo_housing_is_seeded_once(db):
    first = DemoSeeder().run()
    assert first["homes"] == 5 and first["tenancies"] == 3 and first["repairs"] == 1
    council = db.session.scalar(select(Council).where(Council.slug == "brackenbury"))
    with council_context(council.id):
        assert db.session.scalar(select(func.count()).select_from(HousingHome)) == 5
        offers = db.session.scalars(select(HousingTenant.offer_status)).all()
        assert sorted(o.value for o in offers) == ["none", "offered", "offered"]
        assert db.session.scalar(select(func.count()).select_from(HousingRepair)) == 1
    again = DemoSeeder().run()
    assert not any(again[k] for k in ("homes", "tenancies", "repairs", "estates", "housing co-operatives"))
    assert OfferStatus.OFFERED in offers
