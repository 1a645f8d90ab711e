"""The demo seed's data rights requests: a download, an open erasure request and an extended one; twice adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from app.privacy.models import DataRightsRequest, RequestKind, RequestStatus
from app.privacy.queries import open_queue
from app.seed.demo import DemoSeeder
from tenants.context import council_context
from tenants.models import Council


def test_the_demo_requests_are_seeded_once(db):
    first = DemoSeeder().run()
    assert first["data rights requests"] == 3
    council = db.session.scalar(select(Council).where(Council.slug == "brackenbury"))
    with council_context(council.id):
        rows = db.session.scalars(select(DataRightsRequest)).all()
        assert sorted((r.kind.value, r.status.value) for r in rows) == [
            ("access", "completed"),
            ("erasure", "received"),
            ("erasure", "received"),
        ]
        queue = open_queue()
        assert [row.request.extension_months for row in queue] == [0, 1]  # soonest due first
        assert all(row.request.kind is RequestKind.ERASURE for row in queue)
        assert all(row.request.status is RequestStatus.RECEIVED for row in queue)
    again = DemoSeeder().run()
    assert not again["data rights requests"]
