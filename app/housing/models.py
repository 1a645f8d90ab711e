"""Housing co-operatives: estates, blocks and homes, tenancies, repairs, the transfer ballot and the TSM survey.

Homes belong to the council; an estate is managed either by the council or by
a housing co-operative (a :class:`app.governance.models.Society` of kind
``housing_coop``), and everything the co-op decides (repair targets,
contractors, surveys) hangs off that society. A tenancy links a home to the
people living there: platform accounts of the council where they have one,
otherwise just a name. Becoming a tenant of a co-op-managed home offers
membership of the co-op (the offer lives on the tenant line).

Repair photos are kept in the database (``HousingRepairPhoto.data``), not
under instance storage: the bytes are then covered by the same row-level
security as the repair they belong to, a repair and its photos are written in
one transaction (a refused photo leaves nothing behind), and web servers and
workers need no shared disk. Each photo is at most 5 MB after re-encoding and
a repair has at most three, so the rows stay small.
"""

from __future__ import annotations

import enum
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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum


class HomeType(enum.StrEnum):
    FLAT = "flat"
    MAISONETTE = "maisonette"
    HOUSE = "house"
    BUNGALOW = "bungalow"
    BEDSIT = "bedsit"


class OfferStatus(enum.StrEnum):
    """Where a tenant is with the co-op's offer of membership."""

    NONE = "none"  # the home is not managed by a co-op (or the tenant has no account to accept online)
    OFFERED = "offered"
    ACCEPTED = "accepted"  # an application to the co-op's tenants class was made
    DECLINED = "declined"


class RepairCategory(enum.StrEnum):
    DAMP_MOULD = "damp_mould"
    HEATING_HOT_WATER = "heating_hot_water"
    PLUMBING = "plumbing"
    ELECTRICAL = "electrical"
    DOORS_WINDOWS = "doors_windows"
    ROOF_GUTTERS = "roof_gutters"
    KITCHEN_BATHROOM = "kitchen_bathroom"
    COMMUNAL = "communal"
    OTHER = "other"


class Urgency(enum.StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"


class TargetUnit(enum.StrEnum):
    """How a target is measured: elapsed hours, calendar days or working days (Monday to Friday), in UK time."""

    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


class RepairLocation(enum.StrEnum):
    KITCHEN = "kitchen"
    BATHROOM = "bathroom"
    BEDROOM = "bedroom"
    LIVING_ROOM = "living_room"
    HALL_STAIRS = "hall_stairs"
    OUTSIDE = "outside"
    COMMUNAL_AREA = "communal_area"
    WHOLE_HOME = "whole_home"


class RepairStatus(enum.StrEnum):
    REPORTED = "reported"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class HousingEstate(CouncilScoped, Timestamps, Base):
    """An estate of the council's homes; ``society_id`` is the housing co-op managing it (None: the council)."""

    __tablename__ = "housing_estates"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies"),
        UniqueConstraint("council_id", "name"),
    )

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    society_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


class HousingBlock(CouncilScoped, Timestamps, Base):
    """A block of flats (or a terrace) within an estate."""

    __tablename__ = "housing_blocks"
    __table_args__ = (
        council_fk(["estate_id"], "housing_estates", ondelete="CASCADE"),
        UniqueConstraint("council_id", "estate_id", "name"),
    )

    estate_id: Mapped[int] = mapped_column(BigInteger, index=True)
    name: Mapped[str] = mapped_column(String(120))


class HousingHome(CouncilScoped, Timestamps, Base):
    """One home: its address, postcode, number of bedrooms and type; ``reference`` is the council's own."""

    __tablename__ = "housing_homes"
    __table_args__ = (
        council_fk(["estate_id"], "housing_estates"),
        council_fk(["block_id"], "housing_blocks"),
        UniqueConstraint("council_id", "reference"),
        CheckConstraint("bedrooms >= 0 AND bedrooms <= 20", name="bedrooms_range"),
        Index("ix_housing_homes_estate", "council_id", "estate_id"),
    )

    estate_id: Mapped[int] = mapped_column(BigInteger)
    block_id: Mapped[int | None] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(Text)
    postcode: Mapped[str] = mapped_column(String(8))
    bedrooms: Mapped[int] = mapped_column(Integer)
    home_type: Mapped[HomeType] = mapped_column(value_enum(HomeType, "housing_home_type"))


class HousingTenancy(CouncilScoped, Timestamps, Base):
    """A tenancy of a home from ``starts_on``; ``ends_on`` is the first day it no longer runs."""

    __tablename__ = "housing_tenancies"
    __table_args__ = (
        council_fk(["home_id"], "housing_homes", ondelete="CASCADE"),
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ends_after_start"),
        Index("ix_housing_tenancies_home", "council_id", "home_id"),
    )

    home_id: Mapped[int] = mapped_column(BigInteger)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)


class HousingTenant(CouncilScoped, Timestamps, Base):
    """A person named on a tenancy: a platform account of the council, or a name only.

    ``offer_status`` tracks the co-op's offer of membership; ``member_id`` is
    the register line the tenant's acceptance created (an application).
    """

    __tablename__ = "housing_tenants"
    __table_args__ = (
        council_fk(["tenancy_id"], "housing_tenancies", ondelete="CASCADE"),
        council_fk(["member_id"], "gov_members"),
        Index("ix_housing_tenants_tenancy", "council_id", "tenancy_id"),
        UniqueConstraint("council_id", "tenancy_id", "user_id"),
        CheckConstraint("offer_status <> 'accepted' OR member_id IS NOT NULL", name="accepted_has_member"),
    )

    tenancy_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    offer_status: Mapped[OfferStatus] = mapped_column(value_enum(OfferStatus, "housing_offer_status"))
    offer_answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    member_id: Mapped[int | None] = mapped_column(BigInteger)


class HousingContractor(CouncilScoped, Timestamps, Base):
    """A firm that does repairs; ``society_id`` is the co-op that uses it (None: the council's own)."""

    __tablename__ = "housing_contractors"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        UniqueConstraint("council_id", "society_id", "name", postgresql_nulls_not_distinct=True),
    )

    society_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    trades: Mapped[str] = mapped_column(String(300), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")


class HousingRepairTarget(CouncilScoped, Timestamps, Base):
    """A response target the co-op (or, with no society, the council) sets for a category and urgency.

    Rows only exist where the defaults (``app.housing.targets.DEFAULTS``) were
    changed. ``make_safe_days``, for damp and mould, is how long after the
    investigation the home must be made safe.
    """

    __tablename__ = "housing_repair_targets"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        UniqueConstraint("council_id", "society_id", "category", "urgency", postgresql_nulls_not_distinct=True),
        CheckConstraint("amount >= 1 AND amount <= 2000", name="amount_range"),
        CheckConstraint("make_safe_days IS NULL OR (make_safe_days >= 1 AND make_safe_days <= 90)", name="safe_range"),
    )

    society_id: Mapped[int | None] = mapped_column(BigInteger)
    category: Mapped[RepairCategory] = mapped_column(value_enum(RepairCategory, "housing_repair_category"))
    urgency: Mapped[Urgency] = mapped_column(value_enum(Urgency, "housing_urgency"))
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[TargetUnit] = mapped_column(value_enum(TargetUnit, "housing_target_unit"))
    make_safe_days: Mapped[int | None] = mapped_column(Integer)


class HousingRepair(CouncilScoped, Timestamps, Base):
    """A repair a tenant reported, with its clock and what happened to it.

    The target in force when it was reported is copied onto the repair
    (``target_amount``/``target_unit``) and ``due_at`` is computed from it
    then, so changing a target later does not move the clock of repairs
    already reported. For damp and mould ``due_at`` is the investigation
    deadline; once investigated, ``make_safe_by`` is the next one.
    """

    __tablename__ = "housing_repairs"
    __table_args__ = (
        council_fk(["home_id"], "housing_homes", ondelete="CASCADE"),
        council_fk(["contractor_id"], "housing_contractors"),
        Index("ix_housing_repairs_home", "council_id", "home_id"),
        Index("ix_housing_repairs_status_due", "council_id", "status", "due_at"),
        CheckConstraint("satisfaction IS NULL OR (satisfaction >= 1 AND satisfaction <= 5)", name="satisfaction_range"),
        CheckConstraint("(completed_at IS NOT NULL) = (status = 'completed')", name="completed_when_completed"),
        CheckConstraint("(cancelled_at IS NOT NULL) = (status = 'cancelled')", name="cancelled_when_cancelled"),
        CheckConstraint("status = 'reported' OR status = 'cancelled' OR contractor_id IS NOT NULL", name="assigned"),
    )

    home_id: Mapped[int] = mapped_column(BigInteger)
    reported_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[RepairCategory] = mapped_column(value_enum(RepairCategory, "housing_repair_category"))
    urgency: Mapped[Urgency] = mapped_column(value_enum(Urgency, "housing_urgency"))
    location: Mapped[RepairLocation] = mapped_column(value_enum(RepairLocation, "housing_repair_location"))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[RepairStatus] = mapped_column(value_enum(RepairStatus, "housing_repair_status"))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    target_amount: Mapped[int] = mapped_column(Integer)
    target_unit: Mapped[TargetUnit] = mapped_column(value_enum(TargetUnit, "housing_target_unit"))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    make_safe_days: Mapped[int | None] = mapped_column(Integer)
    investigated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    make_safe_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    contractor_id: Mapped[int | None] = mapped_column(BigInteger)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    satisfaction_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    satisfaction_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HousingRepairPhoto(CouncilScoped, Timestamps, Base):
    """A photo of a repair, re-encoded (metadata stripped) and stored in the database."""

    __tablename__ = "housing_repair_photos"
    __table_args__ = (
        council_fk(["repair_id"], "housing_repairs", ondelete="CASCADE"),
        UniqueConstraint("council_id", "repair_id", "position"),
        CheckConstraint("position >= 1 AND position <= 3", name="position_range"),
        CheckConstraint("content_type IN ('image/jpeg', 'image/png', 'image/webp')", name="content_type_known"),
        CheckConstraint("octet_length(data) <= 5242880", name="at_most_5_mb"),
    )

    repair_id: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class HousingTransferBallot(CouncilScoped, Timestamps, Base):
    """A ballot of tenants on transferring the council's homes to a co-op (a resolution ballot of ``app.voting``).

    ``estate_ids`` empty means every tenant of the council; ``threshold`` is
    the majority of votes cast needed (simple majority unless the council set
    another).
    """

    __tablename__ = "housing_transfer_ballots"
    __table_args__ = (
        council_fk(["ballot_id"], "voting_ballots", ondelete="CASCADE"),
        council_fk(["society_id"], "gov_societies"),
        UniqueConstraint("council_id", "ballot_id"),
    )

    ballot_id: Mapped[int] = mapped_column(BigInteger)
    society_id: Mapped[int | None] = mapped_column(BigInteger)
    estate_ids: Mapped[list[int]] = mapped_column(JSONB, default=list)
    threshold: Mapped[str] = mapped_column(String(20), default="simple_majority", server_default="simple_majority")
    created_by_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))


class HousingSurvey(CouncilScoped, Timestamps, Base):
    """A tenant perception survey (the Regulator of Social Housing's TSM questions) run by a co-op or the council."""

    __tablename__ = "housing_surveys"
    __table_args__ = (council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),)

    society_id: Mapped[int | None] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[SurveyStatus] = mapped_column(value_enum(SurveyStatus, "housing_survey_status"))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HousingSurveyResponse(CouncilScoped, Timestamps, Base):
    """One tenant's answers: ``answers`` maps a question code (``TP01``) to 1 to 5, or to 0 for "does not apply".

    ``estate_id`` is the respondent's estate when they answered, so results by
    estate do not change when someone moves.
    """

    __tablename__ = "housing_survey_responses"
    __table_args__ = (
        council_fk(["survey_id"], "housing_surveys", ondelete="CASCADE"),
        council_fk(["estate_id"], "housing_estates"),
        UniqueConstraint("council_id", "survey_id", "user_id"),
    )

    survey_id: Mapped[int] = mapped_column(BigInteger)
    estate_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
