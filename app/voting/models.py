"""Ballots in the app: configuration, who voted, what was voted, and results.

Secrecy is a property of the schema: ``Participation`` records *who* took part
and ``BallotPaper`` records *what* was voted. They are written in one
transaction but share no column that could join them: a paper has a random
UUID, no voter reference and only the day it was cast; a participation row has
no paper reference. A voter proves inclusion with a receipt code whose SHA-256
is stored on the paper and published, sorted, after the count.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum


class BallotKind(enum.StrEnum):
    APPROVAL = "approval"  # pick up to k options
    RANKED = "ranked"  # number the options in order (IRV, STV, Meek)
    PB = "pb"  # choose projects within a budget
    DIVISION = "division"  # share a budget across lines
    RESOLUTION = "resolution"  # for / against / abstain
    POINTS = "points"  # spread up to N points over the options (cumulative voting)


class BallotStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    COUNTED = "counted"
    PUBLISHED = "published"


class Channel(enum.StrEnum):
    ONLINE = "online"
    PAPER = "paper"  # entered by officers from a paper ballot (double entry)
    PROXY = "proxy"  # cast by a proxy holder for a member


class Ballot(CouncilScoped, Timestamps, Base):
    """One vote: its kind and counting method, options, rules, electorate and window.

    ``parameters`` and ``electorate`` are frozen when the ballot opens; their
    canonical hash (with the method and options) is the ``rules_version`` stored
    with every paper and every result.
    """

    __tablename__ = "voting_ballots"
    __table_args__ = (
        council_fk(["neighbourhood_id"], "neighbourhoods"),
        CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="window_order"),
    )

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    kind: Mapped[BallotKind] = mapped_column(value_enum(BallotKind, "ballot_kind"))
    # approval | irv | stv | meek | greedy | mes | mes-add1 | mean | markets | resolution
    method: Mapped[str] = mapped_column(String(20))
    # The council module that owns the ballot (tenants.features.MODULES key), if any.
    module: Mapped[str | None] = mapped_column(String(40))
    neighbourhood_id: Mapped[int | None] = mapped_column(BigInteger)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    electorate: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    status: Mapped[BallotStatus] = mapped_column(value_enum(BallotStatus, "ballot_status"), default=BallotStatus.DRAFT)
    opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rules_version: Mapped[str | None] = mapped_column(String(64))
    tie_break_rule: Mapped[str] = mapped_column(String(20), default="lexicographic", server_default="lexicographic")
    tie_break_seed: Mapped[str | None] = mapped_column(String(64))
    # How many people could vote when it opened, for turnout.
    electorate_size: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BallotOption(CouncilScoped, Base):
    """A candidate, project, budget line or (for resolutions) the motion itself."""

    __tablename__ = "voting_options"
    __table_args__ = (
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        UniqueConstraint("council_id", "ballot_id", "key"),
        CheckConstraint("cost_pence IS NULL OR cost_pence >= 0", name="cost_not_negative"),
    )

    ballot_id: Mapped[int] = mapped_column(BigInteger)
    # The id used in counts and open formats (BLT candidate number, Pabulib project id).
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    cost_pence: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Participation(CouncilScoped, Base):
    """That a person took part in a ballot (never what they chose)."""

    __tablename__ = "voting_participations"
    __table_args__ = (
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        UniqueConstraint("council_id", "ballot_id", "user_id"),
    )

    ballot_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))
    channel: Mapped[Channel] = mapped_column(value_enum(Channel, "vote_channel"), default=Channel.ONLINE)
    # The day only: a finer time could be matched against a paper.
    cast_on: Mapped[date] = mapped_column(Date)


class BallotPaper(CouncilScoped, Base):
    """What was voted, with no way back to who voted it.

    Council-scoped like every council table, but keyed by a random UUID rather
    than a sequence, so ids carry no order that could be matched against
    participation rows.
    """

    __tablename__ = "voting_papers"
    __table_args__ = (
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        UniqueConstraint("council_id", "receipt_hash"),
        # The count reads one ballot's papers; without this it scans the council's.
        Index("ix_voting_papers_council_id_ballot_id", "council_id", "ballot_id"),
    )

    # Both key columns are spelled out so council_id still leads the primary key.
    council_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    ballot_id: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[Any] = mapped_column(JSONB)
    receipt_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[Channel] = mapped_column(value_enum(Channel, "vote_channel"), default=Channel.ONLINE)
    cast_on: Mapped[date] = mapped_column(Date)
    rules_version: Mapped[str] = mapped_column(String(64))


class BallotResult(CouncilScoped, Base):
    """The count of a ballot: canonical JSON bytes and their SHA-256.

    One row per (ballot, rules version): a re-run of the count finds it and
    compares hashes instead of writing a second result.
    """

    __tablename__ = "voting_results"
    __table_args__ = (
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        UniqueConstraint("council_id", "ballot_id", "rules_version"),
    )

    ballot_id: Mapped[int] = mapped_column(BigInteger)
    rules_version: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as hashed
    sha256: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # An officer's override of a PB outcome, shown with the result.
    override_document: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))


class PaperEntryStatus(enum.StrEnum):
    AWAITING_SECOND = "awaiting_second"  # entered once; a second officer must enter it again
    CONFIRMED = "confirmed"  # both entries matched; the paper is in the ballot box
    MISMATCH = "mismatch"  # entries differ; a third look is needed


class PaperEntry(CouncilScoped, Timestamps, Base):
    """A paper ballot typed in by two officers independently (double entry)."""

    __tablename__ = "voting_paper_entries"
    __table_args__ = (
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        UniqueConstraint("council_id", "ballot_id", "serial"),
    )

    ballot_id: Mapped[int] = mapped_column(BigInteger)
    serial: Mapped[str] = mapped_column(String(40))  # the number printed on the paper
    first_content: Mapped[Any] = mapped_column(JSONB)
    first_by_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))
    second_content: Mapped[Any | None] = mapped_column(JSONB)
    second_by_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))
    status: Mapped[PaperEntryStatus] = mapped_column(
        value_enum(PaperEntryStatus, "paper_entry_status"), default=PaperEntryStatus.AWAITING_SECOND
    )


class Proxy(CouncilScoped, Timestamps, Base):
    """A member's appointment of a proxy holder for one ballot (resolutions)."""

    __tablename__ = "voting_proxies"
    __table_args__ = (
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        UniqueConstraint("council_id", "ballot_id", "member_user_id"),
        CheckConstraint("member_user_id <> holder_user_id", name="not_self"),
    )

    ballot_id: Mapped[int] = mapped_column(BigInteger)
    member_user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))
    holder_user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_by_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))
