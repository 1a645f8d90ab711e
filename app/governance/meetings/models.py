"""General meetings of a society: the meeting, its agenda, resolutions, attendance and the channels' counts.

A resolution is voted on as an :mod:`app.voting` resolution ballot (online
papers and proxy votes live there, secret by schema). What the voting engine
does not hold is kept here: who attended (in the room or online), which
members voted by post or in the room (recorded by member, so nobody votes in
two channels), the scrutineer's totals for those channels, and the signed-off
result sheet.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum


class MeetingKind(enum.StrEnum):
    ANNUAL = "annual"  # the annual general meeting
    SPECIAL = "special"  # a special (or other) general meeting


class MeetingBody(enum.StrEnum):
    """Which of the society's bodies meets: its members in general meeting, its forum, or its board.

    A school trust's stakeholder forum and trust board meet, record attendance
    and pass resolutions just as general meetings do (the forum appoints
    trustees by resolution), so one set of meeting pages serves every body.
    """

    GENERAL_MEETING = "general_meeting"
    FORUM = "forum"
    BOARD = "board"


class ResolutionKind(enum.StrEnum):
    """Decides the threshold: the society's ordinary or special threshold."""

    ORDINARY = "ordinary"
    SPECIAL = "special"


class AttendanceMode(enum.StrEnum):
    ROOM = "room"  # recorded at the door by an officer or scrutineer
    ONLINE = "online"  # the member joined the online meeting page


class VoteChannel(enum.StrEnum):
    """The channels a scrutineer enters by hand (online and proxy votes are ballot papers)."""

    POSTAL = "postal"
    ROOM = "room"


class Meeting(CouncilScoped, Timestamps, Base):
    """A meeting of the members (a general meeting), the forum or the board: when and where, the online voting
    window, and when notice was given."""

    __tablename__ = "gov_meetings"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        CheckConstraint("voting_closes_at > voting_opens_at", name="voting_window_order"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[MeetingKind] = mapped_column(value_enum(MeetingKind, "gov_meeting_kind"))
    body: Mapped[MeetingBody] = mapped_column(
        value_enum(MeetingBody, "gov_meeting_body"),
        default=MeetingBody.GENERAL_MEETING,
        server_default=MeetingBody.GENERAL_MEETING.value,
    )
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(Text, default="", server_default="")
    online_link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Online voting on the resolutions is open during this window.
    voting_opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    voting_closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The day the notice was sent (the "day of sending" that does not count as a clear day).
    notice_given_on: Mapped[date | None] = mapped_column(Date)
    minutes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class AgendaItem(CouncilScoped, Timestamps, Base):
    """One item of business on a meeting's agenda, in order."""

    __tablename__ = "gov_agenda_items"
    __table_args__ = (council_fk(["meeting_id"], "gov_meetings", ondelete="CASCADE"),)

    meeting_id: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")


class Resolution(CouncilScoped, Timestamps, Base):
    """A motion put to a general meeting, its ballot, and once counted its signed-off result.

    ``noticed_on`` is the day the notice including this resolution was sent;
    a resolution added after the notice has none until a new notice is sent.
    After ``signed_off_at`` the counts are fixed: ``result_document`` is the
    canonical JSON of the merged tally and ``result_sha256`` its hash (also in
    the audit chain).
    """

    __tablename__ = "gov_resolutions"
    __table_args__ = (
        council_fk(["meeting_id"], "gov_meetings", ondelete="CASCADE"),
        council_fk(["ballot_id"], "voting_ballots"),
        UniqueConstraint("council_id", "ballot_id"),
        CheckConstraint("(signed_off_at IS NULL) = (result_sha256 IS NULL)", name="signed_with_hash"),
        CheckConstraint("published_at IS NULL OR signed_off_at IS NOT NULL", name="published_after_sign_off"),
    )

    meeting_id: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    kind: Mapped[ResolutionKind] = mapped_column(value_enum(ResolutionKind, "gov_resolution_kind"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    proposer: Mapped[str] = mapped_column(String(200), default="", server_default="")
    ballot_id: Mapped[int] = mapped_column(BigInteger)
    noticed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    result_document: Mapped[str | None] = mapped_column(Text)
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_off_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Attendance(CouncilScoped, Timestamps, Base):
    """A member present at a meeting, in the room or online (once per meeting)."""

    __tablename__ = "gov_meeting_attendance"
    __table_args__ = (
        council_fk(["meeting_id"], "gov_meetings", ondelete="CASCADE"),
        council_fk(["member_id"], "gov_members", ondelete="CASCADE"),
        UniqueConstraint("council_id", "meeting_id", "member_id"),
    )

    meeting_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int] = mapped_column(BigInteger)
    mode: Mapped[AttendanceMode] = mapped_column(value_enum(AttendanceMode, "gov_attendance_mode"))
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class ChannelVoter(CouncilScoped, Timestamps, Base):
    """That a member voted on a resolution by post or in the room (never how): one channel per member."""

    __tablename__ = "gov_channel_voters"
    __table_args__ = (
        council_fk(["resolution_id"], "gov_resolutions", ondelete="CASCADE"),
        council_fk(["member_id"], "gov_members", ondelete="CASCADE"),
        UniqueConstraint("council_id", "resolution_id", "member_id"),
    )

    resolution_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int] = mapped_column(BigInteger)
    channel: Mapped[VoteChannel] = mapped_column(value_enum(VoteChannel, "gov_vote_channel"))
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class ChannelCount(CouncilScoped, Timestamps, Base):
    """The scrutineer's count of one channel (postal papers, or hands/cards in the room) for a resolution."""

    __tablename__ = "gov_channel_counts"
    __table_args__ = (
        council_fk(["resolution_id"], "gov_resolutions", ondelete="CASCADE"),
        UniqueConstraint("council_id", "resolution_id", "channel"),
        CheckConstraint("votes_for >= 0 AND votes_against >= 0 AND abstentions >= 0", name="counts_not_negative"),
    )

    resolution_id: Mapped[int] = mapped_column(BigInteger)
    channel: Mapped[VoteChannel] = mapped_column(value_enum(VoteChannel, "gov_vote_channel"))
    votes_for: Mapped[int] = mapped_column(Integer)
    votes_against: Mapped[int] = mapped_column(Integer)
    abstentions: Mapped[int] = mapped_column(Integer)
    entered_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class NoticeEmail(CouncilScoped, Base):
    """That a meeting's notice was emailed to a member: at most once per meeting and member."""

    __tablename__ = "gov_notice_emails"
    __table_args__ = (
        council_fk(["meeting_id"], "gov_meetings", ondelete="CASCADE"),
        council_fk(["member_id"], "gov_members", ondelete="CASCADE"),
        UniqueConstraint("council_id", "meeting_id", "member_id"),
    )

    meeting_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int] = mapped_column(BigInteger)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
