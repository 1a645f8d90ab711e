"""A person's lines in co-operative societies' records, for residents' data rights (``app.privacy.registry``).

Covers the register of members and everything hanging off a register line
(share ledger, decisions, meeting attendance, the channel they voted by,
notices sent, nominations, seats held), society roles, and what they recorded
as a secretary, scrutineer or officer.

Erasure follows the register rule in ``app.privacy.retention`` (the
Co-operative and Community Benefit Societies Act 2014): the lines and the
share ledger stay; the account link and email always go; the name and
address go only where the law no longer needs them. Society roles end.
Attendance, channel voters, nominations and seats stay with the register line
they belong to (quorums, counts and election results depend on them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select

from app.extensions import db
from app.governance.elections.models import BodyMember, Nomination
from app.governance.meetings.models import Attendance, ChannelCount, ChannelVoter, Meeting, NoticeEmail, Resolution
from app.governance.models import Member, MemberDecision, MemberStatus, ShareEntry, Society, SocietyOfficer
from app.privacy.records import actions_as_officer, record, records, rows_where
from app.privacy.retention import name_may_be_removed
from app.voting import timing

NAME_REMOVED = "Name removed"


def _lines(user_id: int) -> list[Member]:
    return rows_where(Member.user_id, user_id)


def _society_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {row.id: row.name for row in db.session.execute(select(Society.id, Society.name).where(Society.id.in_(ids)))}


def export_for_user(user_id: int) -> dict[str, Any]:
    """Register lines with their shares, decisions, attendance, votes by channel, notices, nominations and seats."""
    lines = _lines(user_id)
    ids = [m.id for m in lines]
    societies = _society_names({m.society_id for m in lines})
    nominations = (
        list(
            db.session.scalars(
                select(Nomination)
                .where(or_(Nomination.member_id.in_(ids), Nomination.nominator_member_id.in_(ids)))
                .order_by(Nomination.id)
            )
        )
        if ids
        else []
    )
    return {
        "register_lines": [{"society": societies.get(m.society_id, ""), **record(m)} for m in lines],
        "share_ledger": records(rows_where(ShareEntry.member_id, ids)) if ids else [],
        "membership_decisions": records(rows_where(MemberDecision.member_id, ids)) if ids else [],
        "meeting_attendance": records(rows_where(Attendance.member_id, ids)) if ids else [],
        "voted_by_post_or_in_the_room": records(rows_where(ChannelVoter.member_id, ids)) if ids else [],
        "meeting_notices": records(rows_where(NoticeEmail.member_id, ids)) if ids else [],
        "nominations": records(nominations),
        "seats_held": records(rows_where(BodyMember.member_id, ids)) if ids else [],
        "society_roles": records(rows_where(SocietyOfficer.user_id, user_id)),
        "as_officer": actions_as_officer(
            user_id,
            MemberDecision.recorded_by_user_id,
            ShareEntry.recorded_by_user_id,
            Meeting.created_by_user_id,
            Resolution.signed_off_by_user_id,
            Attendance.recorded_by_user_id,
            ChannelVoter.recorded_by_user_id,
            ChannelCount.entered_by_user_id,
            Nomination.checked_by_user_id,
        ),
    }


def erase_for_user(user_id: int) -> None:
    """Apply the register rule to each line, and end the person's society roles."""
    today = timing.today()
    for line in _lines(user_id):
        line.user_id = None
        line.email = ""
        admitted = line.status in (MemberStatus.MEMBER, MemberStatus.CEASED)
        if name_may_be_removed(admitted=admitted, ceased_on=line.ceased_on, today=today):
            line.name = NAME_REMOVED
            line.address = ""
            line.postcode = ""
            line.date_of_birth = None
            line.guardian_consent_by = ""
    db.session.execute(delete(SocietyOfficer).where(SocietyOfficer.user_id == user_id))
    db.session.flush()
