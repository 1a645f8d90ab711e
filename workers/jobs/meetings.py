"""General meetings: the notice emailed to every member with an address (see ``app.governance.meetings.notice``)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.governance.meetings import notice, operations
from app.governance.meetings.models import Meeting
from app.governance.models import Society
from tenants.context import current_council_id
from tenants.models import Council
from workers.context import council_job
from workers.email import queue_email
from workers.queues import EMAILS


@council_job(queue=EMAILS, timeout=600)
def send_meeting_notice(meeting_id: int) -> int:
    """Queue the notice email of meeting ``meeting_id`` to each member with an address; returns how many now.

    Safe to re-run: each member's email is recorded once per meeting
    (``gov_notice_emails``) in the same transaction as the email itself.
    """
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id))
    if meeting is None:
        return 0
    society = db.session.scalar(select(Society).where(Society.id == meeting.society_id))
    council = db.session.scalar(select(Council).where(Council.id == current_council_id()))
    if society is None or council is None:
        return 0

    def send(member, address: str) -> None:
        subject, body = notice.email(meeting, society, council, member.name)
        queue_email(address, subject, body)

    return operations.email_notice(meeting, society, send)
