"""The demo seed's stakeholder forum election: there after seeding, and not added twice."""

from __future__ import annotations

from sqlalchemy import select

from app.governance.elections import queries
from app.governance.elections.models import Election, ElectionStatus, NominationStatus
from app.seed.demo import DemoSeeder
from app.seed.elections import COUNCIL_SLUG, ELECTION
from tenants.context import council_context
from tenants.models import Council


def test_the_demo_has_a_forum_election_taking_nominations(db):
    created = DemoSeeder().run()
    assert created["elections"] == 1
    council = db.session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))
    with council_context(council.id):
        election = db.session.scalar(select(Election).where(Election.title == ELECTION))
        assert election.status is ElectionStatus.NOMINATIONS
        assert sum(c.seat.seats for c in queries.constituencies(election)) == election.body_size == 9
        assert len(queries.nominations(election, [NominationStatus.VALID])) == 2
        assert len(queries.nominations(election, [NominationStatus.SUBMITTED])) == 1
    again = DemoSeeder().run()
    assert again["elections"] == 0 and again["societies"] == 0
