"""Demo general meeting: the demo housing co-op's annual general meeting, notice given, two resolutions.

Idempotent like the rest of the demo: the meeting is found by its society and
title and only created when missing, so seeding twice adds nothing and a demo
someone has clicked around in keeps its changes. Everything goes through
:mod:`app.governance.meetings.operations`, so the notice is stamped, audited
and emailed (by a job) as a real one would be. The meeting is far enough
ahead for the society's notice period; its resolutions wait for the secretary
to put them to the meeting.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.governance.meetings import operations
from app.governance.meetings.models import Meeting, MeetingKind, ResolutionKind
from app.governance.meetings.notice_period import earliest_meeting_day
from app.governance.models import Society
from app.seed.housing import COOP_NAME
from app.voting import timing

AGM_TITLE = "Annual general meeting"
AGENDA = (
    ("Apologies and minutes of the last general meeting", ""),
    ("Annual report and accounts", "The committee's report on repairs, lettings and the estate budget."),
    ("Resolutions", ""),
)
RESOLUTIONS = (
    (
        ResolutionKind.ORDINARY,
        "Adopt the repairs policy",
        "That the co-operative adopts the repairs policy circulated with this notice, including the "
        "targets for damp and mould.",
        "The committee",
    ),
    (
        ResolutionKind.SPECIAL,
        "Change rule 12",
        "That rule 12 is changed so that the committee has nine members, at least two of them leaseholders.",
        "The committee",
    ),
)
DAYS_AHEAD = 7  # beyond the notice period: the meeting is this many days after the earliest day notice allows


def ensure_agm(created: Counter[str]) -> None:
    """The demo co-op's AGM with its agenda, two resolutions and notice given (current council; flushes only)."""
    coop = db.session.scalar(select(Society).where(Society.name == COOP_NAME))
    if coop is None:
        return  # the housing step has not run for this council
    if db.session.scalar(select(Meeting.id).where(Meeting.society_id == coop.id, Meeting.title == AGM_TITLE)):
        return
    today = timing.today()
    held_on = earliest_meeting_day(today, coop.notice_clear_days) + timedelta(days=DAYS_AHEAD)
    starts_at = timing.uk_datetime(held_on, 18, 30)
    meeting = operations.create_meeting(
        coop,
        kind=MeetingKind.ANNUAL,
        title=AGM_TITLE,
        starts_at=starts_at,
        place="Moss Side Gardens Community Room",
        online_link="",
        # Members may vote online in the week before the meeting and during it.
        voting_opens_at=timing.uk_datetime(held_on - timedelta(days=7), 9, 0),
        voting_closes_at=timing.uk_datetime(held_on, 21, 0),
        by=None,
    )
    for title, description in AGENDA:
        operations.add_agenda_item(meeting, title=title, description=description)
    for kind, title, text, proposer in RESOLUTIONS:
        operations.add_resolution(meeting, coop, kind=kind, title=title, text=text, proposer=proposer, by=None)
    operations.give_notice(meeting, coop, by=None)
    created["general meetings"] += 1
