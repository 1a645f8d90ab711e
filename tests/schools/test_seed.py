"""The demo seed's schools around Kingsmere's trust: schools, pipeline, target, pairing; twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.schools import metrics, queries
from app.schools.models import School, Stage
from app.seed.demo import DemoSeeder
from app.voting import timing
from tenants.context import council_context
from tenants.models import Council


def test_the_demo_schools_are_seeded_once(db):
    first = DemoSeeder().run()
    assert first["schools"] == 5
    council = db.session.scalar(select(Council).where(Council.slug == "kingsmere"))
    with council_context(council.id):
        assert db.session.scalar(select(func.count()).select_from(School)) == 5
        assert queries.stage_counts() == {Stage.CONSULTATION: 1, Stage.TRUST_ESTABLISHED: 1, Stage.LIVE: 1}
        assert queries.target() == 12
        trust = queries.trusts()[0]
        assert queries.trust_detail(trust.id).legal_model.value == "academy"
        assert len(queries.partners(trust.id)) == 4 and len(queries.pairings()) == 1
        figures = metrics.council_figures(timing.today().replace(month=1, day=1), timing.today())
        assert figures["schools_coop_live"]["value"] == 1
        assert figures["schools_trust_members_per_pupil"]["numerator"] == 12
    again = DemoSeeder().run()
    assert not again["schools"]
