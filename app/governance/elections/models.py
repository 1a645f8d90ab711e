"""An election's records: the election, its seats per constituency, nominations, and the body's members.

Votes are not kept here: each contested constituency has a ranked ballot in
:mod:`app.voting` (``ElectionSeat.ballot_id``), and the count and its round
tables live with the ballot's result.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum

# A body larger than this is not a committee; it keeps forms and counts sane.
MAX_BODY_SIZE = 100


class ElectionStatus(enum.StrEnum):
    """Where an election is: set up, taking nominations, polling, or with its result declared."""

    DRAFT = "draft"  # officers set the details and the seats
    NOMINATIONS = "nominations"  # members stand (within the nomination dates); officers check
    VOTING = "voting"  # the contested constituencies' ballots are open, closed or counted
    DECLARED = "declared"  # results published; the body's members recorded


class NominationStatus(enum.StrEnum):
    AWAITING_CONSENT = "awaiting_consent"  # nominated by another member; the candidate has not yet agreed
    SUBMITTED = "submitted"  # the candidate stands; the officers have not yet checked it
    VALID = "valid"  # checked and accepted: on the ballot paper
    WITHDRAWN = "withdrawn"  # withdrawn by the candidate or the officers (the reason is kept), or lapsed


class SeatOutcome(enum.StrEnum):
    """How a constituency was decided when the poll started."""

    CONTESTED = "contested"  # more valid candidates than seats: a ballot
    UNOPPOSED = "unopposed"  # no more candidates than seats: all returned without a ballot
    UNFILLED = "unfilled"  # nobody stood: the seats stay empty


class CandidateResult(enum.StrEnum):
    ELECTED = "elected"
    ELECTED_UNOPPOSED = "elected_unopposed"
    NOT_ELECTED = "not_elected"


class Election(CouncilScoped, Timestamps, Base):
    """An election to one body of a society (its committee, board or stakeholder forum).

    ``body_size`` is the most seats the society's rules give the body; the
    seats of all constituencies together may not exceed it. Nominations are
    taken from ``nominations_open_on`` to ``nominations_close_on`` (whole UK
    days); the ballots close at the end of ``voting_closes_on``.
    """

    __tablename__ = "gov_elections"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        Index("ix_gov_elections_society", "council_id", "society_id"),
        CheckConstraint(f"body_size >= 1 AND body_size <= {MAX_BODY_SIZE}", name="body_size_range"),
        CheckConstraint("method IN ('stv', 'meek')", name="method_known"),
        CheckConstraint("statement_max_words >= 10 AND statement_max_words <= 2000", name="statement_limit_range"),
        CheckConstraint("term_years >= 1 AND term_years <= 10", name="term_range"),
        CheckConstraint("nominations_close_on >= nominations_open_on", name="nominations_in_order"),
        CheckConstraint("voting_closes_on > nominations_close_on", name="voting_after_nominations"),
        CheckConstraint("(declared_at IS NOT NULL) = (status = 'declared')", name="declared_when_declared"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(200))
    # The body being elected: "Committee of management", "Board", "Stakeholder forum".
    body_name: Mapped[str] = mapped_column(String(120))
    body_size: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The engine's ranked method: "stv" (Scottish rules) or "meek".
    method: Mapped[str] = mapped_column(String(10), default="stv", server_default="stv")
    statement_max_words: Mapped[int] = mapped_column(Integer, default=250, server_default="250")
    term_years: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    nominations_open_on: Mapped[date] = mapped_column(Date)
    nominations_close_on: Mapped[date] = mapped_column(Date)
    voting_closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ElectionStatus] = mapped_column(
        value_enum(ElectionStatus, "gov_election_status"), default=ElectionStatus.DRAFT
    )
    declared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ElectionSeat(CouncilScoped, Timestamps, Base):
    """A constituency of an election: a member class and its number of seats (and, once polling, its ballot)."""

    __tablename__ = "gov_election_seats"
    __table_args__ = (
        council_fk(["election_id"], "gov_elections", ondelete="CASCADE"),
        council_fk(["member_class_id"], "gov_member_classes"),
        council_fk(["ballot_id"], "voting_ballots"),
        UniqueConstraint("council_id", "election_id", "member_class_id"),
        CheckConstraint("seats >= 1", name="seats_positive"),
    )

    election_id: Mapped[int] = mapped_column(BigInteger)
    member_class_id: Mapped[int] = mapped_column(BigInteger)
    seats: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[SeatOutcome | None] = mapped_column(value_enum(SeatOutcome, "gov_seat_outcome"))
    ballot_id: Mapped[int | None] = mapped_column(BigInteger)


class Nomination(CouncilScoped, Timestamps, Base):
    """A member standing for a constituency's seats, with their statement.

    ``nominator_member_id`` is set when another member nominated them (the
    candidate then consents, writing the statement); it is empty for a
    self-nomination. A person has at most one nomination in an election that
    is not withdrawn.
    """

    __tablename__ = "gov_election_nominations"
    __table_args__ = (
        council_fk(["election_id"], "gov_elections", ondelete="CASCADE"),
        council_fk(["seat_id"], "gov_election_seats", ondelete="CASCADE"),
        council_fk(["member_id"], "gov_members"),
        council_fk(["nominator_member_id"], "gov_members"),
        Index(
            "uq_gov_election_nominations_one_live",
            "council_id",
            "election_id",
            "member_id",
            unique=True,
            postgresql_where=column("status") != "withdrawn",
        ),
        CheckConstraint(
            "nominator_member_id IS NULL OR nominator_member_id <> member_id", name="nominator_not_candidate"
        ),
        CheckConstraint("result IS NULL OR status = 'valid'", name="result_only_when_valid"),
    )

    election_id: Mapped[int] = mapped_column(BigInteger)
    seat_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int] = mapped_column(BigInteger)
    nominator_member_id: Mapped[int | None] = mapped_column(BigInteger)
    statement: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[NominationStatus] = mapped_column(value_enum(NominationStatus, "gov_nomination_status"))
    checked_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    result: Mapped[CandidateResult | None] = mapped_column(value_enum(CandidateResult, "gov_candidate_result"))


class BodyMember(CouncilScoped, Timestamps, Base):
    """A person elected to a society's body, for a term (recorded when the election's result is declared)."""

    __tablename__ = "gov_body_members"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        council_fk(["election_id"], "gov_elections", ondelete="CASCADE"),
        council_fk(["nomination_id"], "gov_election_nominations", ondelete="CASCADE"),
        council_fk(["member_id"], "gov_members"),
        council_fk(["member_class_id"], "gov_member_classes"),
        UniqueConstraint("council_id", "election_id", "member_id"),
        Index("ix_gov_body_members_society", "council_id", "society_id"),
        CheckConstraint("term_ends_on > term_starts_on", name="term_in_order"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    election_id: Mapped[int] = mapped_column(BigInteger)
    nomination_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int] = mapped_column(BigInteger)
    member_class_id: Mapped[int] = mapped_column(BigInteger)
    body_name: Mapped[str] = mapped_column(String(120))
    term_starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date] = mapped_column(Date)
    unopposed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
