"""Reads for general meetings. Everything runs inside the current council (ORM filter and RLS)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.governance.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    ChannelCount,
    ChannelVoter,
    Meeting,
    Resolution,
    VoteChannel,
)
from app.governance.models import Member, MemberStatus
from app.governance.queries import member_for_user, members_on
from app.voting import timing
from app.voting.models import Ballot, Channel, Participation


def meeting_day(meeting: Meeting) -> date:
    """The UK calendar day the meeting is held on."""
    return timing.to_uk(meeting.starts_at).date()


def meetings(society_id: int, *, noticed_only: bool = False) -> list[Meeting]:
    """A society's meetings, latest first (only those with notice given, for members)."""
    query = select(Meeting).where(Meeting.society_id == society_id).order_by(Meeting.starts_at.desc(), Meeting.id)
    if noticed_only:
        query = query.where(Meeting.notice_given_on.is_not(None))
    return list(db.session.scalars(query))


def meeting(society_id: int, meeting_id: int) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.society_id == society_id, Meeting.id == meeting_id))


def agenda(meeting_id: int) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def resolutions(meeting_id: int) -> list[Resolution]:
    return list(
        db.session.scalars(
            select(Resolution).where(Resolution.meeting_id == meeting_id).order_by(Resolution.position, Resolution.id)
        )
    )


def resolution(meeting_id: int, resolution_id: int) -> Resolution | None:
    return db.session.scalar(
        select(Resolution).where(Resolution.meeting_id == meeting_id, Resolution.id == resolution_id)
    )


def ballot(resolution: Resolution) -> Ballot:
    """The resolution's ballot in the voting engine."""
    return db.session.scalar(select(Ballot).where(Ballot.id == resolution.ballot_id))


def attendance(meeting_id: int) -> list[tuple[Attendance, Member]]:
    """Who attended, with their register line, by membership number."""
    rows = db.session.execute(
        select(Attendance, Member)
        .join(Member, (Member.council_id == Attendance.council_id) & (Member.id == Attendance.member_id))
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Member.membership_number)
    )
    return [(a, m) for a, m in rows]


def attendance_of(meeting_id: int, member_id: int) -> Attendance | None:
    return db.session.scalar(
        select(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.member_id == member_id)
    )


def count_attending(meeting_id: int, mode: AttendanceMode) -> int:
    return len([a for a, _m in attendance(meeting_id) if a.mode is mode])


def channel_voters(resolution_id: int) -> list[tuple[ChannelVoter, Member]]:
    """Members recorded as voting by post or in the room, by membership number."""
    rows = db.session.execute(
        select(ChannelVoter, Member)
        .join(Member, (Member.council_id == ChannelVoter.council_id) & (Member.id == ChannelVoter.member_id))
        .where(ChannelVoter.resolution_id == resolution_id)
        .order_by(ChannelVoter.channel, Member.membership_number)
    )
    return [(v, m) for v, m in rows]


def channel_voter(resolution_id: int, member_id: int) -> ChannelVoter | None:
    return db.session.scalar(
        select(ChannelVoter).where(ChannelVoter.resolution_id == resolution_id, ChannelVoter.member_id == member_id)
    )


def voters_in(resolution_id: int, channel: VoteChannel) -> int:
    return len([v for v, _m in channel_voters(resolution_id) if v.channel is channel])


def channel_counts(resolution_id: int) -> dict[VoteChannel, ChannelCount]:
    rows = db.session.scalars(select(ChannelCount).where(ChannelCount.resolution_id == resolution_id))
    return {row.channel: row for row in rows}


def participation_channel(ballot_id: int, user_id: int) -> Channel | None:
    """How the person's vote in the ballot was cast (online, proxy, or a channel entered here), if it was."""
    return db.session.scalar(
        select(Participation.channel).where(Participation.ballot_id == ballot_id, Participation.user_id == user_id)
    )


def online_voter_member_ids(society_id: int, ballot_id: int) -> set[int]:
    """Register lines of the members who voted online themselves (not by proxy) in a ballot."""
    rows = db.session.scalars(
        select(Member.id)
        .join(Participation, Participation.user_id == Member.user_id)
        .where(
            Member.society_id == society_id,
            Participation.ballot_id == ballot_id,
            Participation.channel == Channel.ONLINE,
        )
    )
    return set(rows)


def present_in_person(meeting: Meeting, resolution: Resolution) -> int:
    """Members taking part in person: attended (room or online) or voted online, by post or in the room; once each."""
    present = {a.member_id for a, _m in attendance(meeting.id)}
    present |= {v.member_id for v, _m in channel_voters(resolution.id)}
    present |= online_voter_member_ids(meeting.society_id, resolution.ballot_id)
    return len(present)


def user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return db.session.scalar(select(User).where(User.id == user_id))


def members_to_notify(society_id: int, day: date) -> list[Member]:
    """Members on the register on ``day`` who have an email address (on the register or on their account)."""
    return [m for m in members_on(society_id, day) if notice_address(m)]


def notice_address(member: Member) -> str:
    """Where a member's notice goes: the register's address, else their account's."""
    if member.email:
        return member.email
    account = user(member.user_id)
    return account.email if account is not None else ""


def live_member(society_id: int, user_id: int) -> Member | None:
    """The person's line in the register if they are a member now."""
    line = member_for_user(society_id, user_id)
    return line if line is not None and line.status is MemberStatus.MEMBER else None
