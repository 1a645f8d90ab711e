"""The demo seed's AGM of the housing co-op: notice given, an ordinary and a special resolution; twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.governance.meetings import notice_period, queries
from app.governance.meetings.models import AgendaItem, Meeting, MeetingKind, Resolution, ResolutionKind
from app.governance.models import Society
from app.seed.demo import DemoSeeder
from app.seed.housing import COOP_NAME
from app.voting import timing
from app.voting.models import BallotStatus
from tenants.context import council_context
from tenants.models import Council


def test_the_demo_agm_is_seeded_once_with_notice_in_time(db):
    first = DemoSeeder().run()
    assert first["general meetings"] == 1
    council = db.session.scalar(select(Council).where(Council.slug == "brackenbury"))
    with council_context(council.id):
        coop = db.session.scalar(select(Society).where(Society.name == COOP_NAME))
        meeting = db.session.scalar(select(Meeting).where(Meeting.society_id == coop.id))
        assert meeting.kind is MeetingKind.ANNUAL
        assert meeting.notice_given_on == timing.today()
        held_on = queries.meeting_day(meeting)
        assert notice_period.notice_in_time(meeting.notice_given_on, held_on, coop.notice_clear_days)
        assert meeting.voting_opens_at > timing.now() and meeting.voting_closes_at > meeting.starts_at
        resolutions = queries.resolutions(meeting.id)
        assert [r.kind for r in resolutions] == [ResolutionKind.ORDINARY, ResolutionKind.SPECIAL]
        assert all(r.noticed_on == meeting.notice_given_on for r in resolutions)
        assert all(queries.ballot(r).status is BallotStatus.DRAFT for r in resolutions)  # put at the meeting
        assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 3
    again = DemoSeeder().run()
    assert again["general meetings"] == 0
    with council_context(council.id):
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
        assert db.session.scalar(select(func.count()).select_from(Resolution)) == 2
