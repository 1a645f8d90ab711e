"""Youth service choices (the Lambeth model): rounds, budgets, the service catalogue and proposals.

A council runs a *round*: each neighbourhood gets a budget, residents and
young people propose services from the round's catalogue (each service type
has a provider and a cost per session), officers review each proposal for
feasibility and cost and accept or reject it with a reason the proposer sees.
Accepted proposals become the options of each neighbourhood's vote (a later
stage; see ``app.youth.operations.ballot_option_specs``).
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


class Phase(enum.StrEnum):
    """The phases of a round, in order. ``UPCOMING`` is before proposals open."""

    UPCOMING = "upcoming"
    PROPOSALS = "proposals"
    REVIEW = "review"
    VOTING = "voting"
    RESULTS = "results"
    DELIVERY = "delivery"


class ProposalStatus(enum.StrEnum):
    SUBMITTED = "submitted"  # waiting for an officer's decision
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class VoteKind(enum.StrEnum):
    """How a round's neighbourhood votes work (set when the officer opens voting)."""

    PB = "pb"  # choose proposals within the neighbourhood's budget (Equal Shares)
    APPROVAL = "approval"  # pick up to k proposals; the k most chosen are funded
    DIVISION = "division"  # share the budget across service types, within floors and ceilings


class CommissionStatus(enum.StrEnum):
    COMMISSIONED = "commissioned"
    IN_DELIVERY = "in_delivery"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class YouthRound(CouncilScoped, Timestamps, Base):
    """One round of youth service choices: its phase dates and who may vote.

    Each phase starts on its date (UK calendar day) and lasts until the next
    one starts; ``phase_override``, when set, is the phase an officer has put
    the round in regardless of the dates.
    """

    __tablename__ = "youth_rounds"
    __table_args__ = (
        CheckConstraint(
            "proposals_open_on <= review_opens_on AND review_opens_on <= voting_opens_on"
            " AND voting_opens_on <= results_on AND results_on <= delivery_on",
            name="phase_order",
        ),
        CheckConstraint("min_age IS NULL OR (min_age >= 0 AND min_age <= 120)", name="min_age_range"),
        CheckConstraint("max_age IS NULL OR (max_age >= 0 AND max_age <= 120)", name="max_age_range"),
        CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="age_order"),
    )

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    proposals_open_on: Mapped[date] = mapped_column(Date)
    review_opens_on: Mapped[date] = mapped_column(Date)
    voting_opens_on: Mapped[date] = mapped_column(Date)
    results_on: Mapped[date] = mapped_column(Date)
    delivery_on: Mapped[date] = mapped_column(Date)
    phase_override: Mapped[Phase | None] = mapped_column(value_enum(Phase, "youth_phase"))
    # Who may vote: both empty means every resident; otherwise an inclusive age range.
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    # Set when voting opens: the kind of neighbourhood ballot, and k for "pick up to k".
    vote_kind: Mapped[VoteKind | None] = mapped_column(value_enum(VoteKind, "youth_vote_kind"))
    max_picks: Mapped[int | None] = mapped_column(Integer)
    results_announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class YouthBudget(CouncilScoped, Timestamps, Base):
    """What one neighbourhood has to spend in one round, in pence."""

    __tablename__ = "youth_budgets"
    __table_args__ = (
        council_fk(["round_id"], "youth_rounds", ondelete="CASCADE"),
        council_fk(["neighbourhood_id"], "neighbourhoods", ondelete="CASCADE"),
        UniqueConstraint("council_id", "round_id", "neighbourhood_id"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    round_id: Mapped[int] = mapped_column(BigInteger)
    neighbourhood_id: Mapped[int] = mapped_column(BigInteger)
    amount_pence: Mapped[int] = mapped_column(BigInteger)


class YouthProvider(CouncilScoped, Timestamps, Base):
    """An organisation that can deliver youth services for the council."""

    __tablename__ = "youth_providers"
    __table_args__ = (UniqueConstraint("council_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(254), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")


class YouthServiceType(CouncilScoped, Timestamps, Base):
    """A kind of youth service on a round's menu, with its cost per session."""

    __tablename__ = "youth_service_types"
    __table_args__ = (
        council_fk(["round_id"], "youth_rounds", ondelete="CASCADE"),
        council_fk(["provider_id"], "youth_providers", ondelete="SET NULL"),
        UniqueConstraint("council_id", "round_id", "name"),
        CheckConstraint("unit_cost_pence >= 0", name="unit_cost_not_negative"),
    )

    round_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    provider_id: Mapped[int | None] = mapped_column(BigInteger)
    unit_cost_pence: Mapped[int] = mapped_column(BigInteger)
    # The officer's floor and ceiling for this service in a budget-division vote (pence per neighbourhood).
    floor_pence: Mapped[int | None] = mapped_column(BigInteger)
    ceiling_pence: Mapped[int | None] = mapped_column(BigInteger)


class YouthProposal(CouncilScoped, Timestamps, Base):
    """A resident's or young person's proposal of a service for a neighbourhood, and the officer's review.

    The review keeps what the cost was based on: the sessions the officer
    thinks are needed and the service's unit cost at the time of the decision.
    """

    __tablename__ = "youth_proposals"
    __table_args__ = (
        council_fk(["round_id"], "youth_rounds", ondelete="CASCADE"),
        council_fk(["neighbourhood_id"], "neighbourhoods", ondelete="RESTRICT"),
        council_fk(["service_type_id"], "youth_service_types", ondelete="RESTRICT"),
        CheckConstraint("sessions_wanted > 0", name="sessions_wanted_positive"),
        CheckConstraint("estimated_sessions IS NULL OR estimated_sessions > 0", name="estimated_sessions_positive"),
        CheckConstraint("unit_cost_pence IS NULL OR unit_cost_pence >= 0", name="unit_cost_not_negative"),
        CheckConstraint("status <> 'rejected' OR decision_reason <> ''", name="rejection_has_reason"),
    )

    round_id: Mapped[int] = mapped_column(BigInteger, index=True)
    neighbourhood_id: Mapped[int] = mapped_column(BigInteger)
    service_type_id: Mapped[int] = mapped_column(BigInteger)
    proposer_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(500))  # who it is for, in the proposer's words
    sessions_wanted: Mapped[int] = mapped_column(Integer)
    status: Mapped[ProposalStatus] = mapped_column(
        value_enum(ProposalStatus, "youth_proposal_status"), default=ProposalStatus.SUBMITTED
    )
    decision_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    feasibility: Mapped[str] = mapped_column(Text, default="", server_default="")
    estimated_sessions: Mapped[int | None] = mapped_column(Integer)
    unit_cost_pence: Mapped[int | None] = mapped_column(BigInteger)
    decided_by_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def estimated_cost_pence(self) -> int | None:
        """Estimated sessions times unit cost, once reviewed."""
        if self.estimated_sessions is None or self.unit_cost_pence is None:
            return None
        return self.estimated_sessions * self.unit_cost_pence


class YouthBallot(CouncilScoped, Timestamps, Base):
    """The voting ballot of one neighbourhood in a round (the ballot itself lives in ``app.voting``)."""

    __tablename__ = "youth_ballots"
    __table_args__ = (
        council_fk(["round_id"], "youth_rounds", ondelete="CASCADE"),
        council_fk(["neighbourhood_id"], "neighbourhoods", ondelete="CASCADE"),
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        UniqueConstraint("council_id", "round_id", "neighbourhood_id"),
    )

    round_id: Mapped[int] = mapped_column(BigInteger)
    neighbourhood_id: Mapped[int] = mapped_column(BigInteger)
    ballot_id: Mapped[int] = mapped_column(BigInteger)


class YouthCommission(CouncilScoped, Timestamps, Base):
    """A funded proposal commissioned to a provider, and how its delivery is going."""

    __tablename__ = "youth_commissions"
    __table_args__ = (
        council_fk(["round_id"], "youth_rounds", ondelete="CASCADE"),
        council_fk(["proposal_id"], "youth_proposals", ondelete="CASCADE"),
        council_fk(["provider_id"], "youth_providers", ondelete="RESTRICT"),
        UniqueConstraint("council_id", "proposal_id"),
        CheckConstraint("status <> 'cancelled' OR cancel_reason <> ''", name="cancellation_has_reason"),
    )

    round_id: Mapped[int] = mapped_column(BigInteger, index=True)
    proposal_id: Mapped[int] = mapped_column(BigInteger)
    provider_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[CommissionStatus] = mapped_column(
        value_enum(CommissionStatus, "youth_commission_status"), default=CommissionStatus.COMMISSIONED
    )
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class YouthDeliveryRecord(CouncilScoped, Timestamps, Base):
    """Sessions delivered under a commission: one session on a day, or a month's sessions together."""

    __tablename__ = "youth_delivery_records"
    __table_args__ = (
        council_fk(["commission_id"], "youth_commissions", ondelete="CASCADE"),
        CheckConstraint("sessions > 0", name="sessions_positive"),
        CheckConstraint("attendance >= 0", name="attendance_not_negative"),
    )

    commission_id: Mapped[int] = mapped_column(BigInteger, index=True)
    held_on: Mapped[date] = mapped_column(Date)  # the day, or the first day of the month for a monthly figure
    sessions: Mapped[int] = mapped_column(Integer)
    attendance: Mapped[int] = mapped_column(Integer)  # attendances in total (no names: nothing personal)
