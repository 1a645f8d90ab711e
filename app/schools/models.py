"""Co-operative trust schools: what the schools module adds to the governance core.

A trust *is* a :class:`app.governance.models.Society` of kind ``school_trust``
(its register, constituencies, meetings and forum elections are the
governance core's); :class:`SchoolTrust` only adds the trust's legal model,
and :class:`TrustPartner` its external partners. Schools, their Ofsted
judgements, the council's pipeline of schools exploring the co-operative
model, school-to-school support and the yearly values self-review are the
module's own records. Trustees appointed by the stakeholder forum point at
the forum meeting's resolution that appointed them.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum

VALUES = ("self_help", "self_responsibility", "democracy", "equality", "equity", "solidarity")


class LegalModel(enum.StrEnum):
    FOUNDATION_TRUST = "foundation_trust"  # charitable foundation trust (Education and Inspections Act 2006)
    ACADEMY = "academy"  # co-operative academy


class PartnerKind(enum.StrEnum):
    COLLEGE = "college"
    UNIVERSITY = "university"
    BUSINESS = "business"
    CHARITY = "charity"
    NHS_TRUST = "nhs_trust"
    COMMUNITY_TRUST = "community_trust"
    COOPERATIVE = "cooperative"


class Phase(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SPECIAL = "special"
    ALL_THROUGH = "all_through"


class Judgement(enum.StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"


class Stage(enum.StrEnum):
    """A school's place in the council's pipeline, in order."""

    CONSULTATION = "consultation"
    TRUST_ESTABLISHED = "trust_established"
    LIVE = "live"


class PairingKind(enum.StrEnum):
    FEDERATION = "federation"
    PARTNERSHIP = "partnership"


class Term(enum.StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


class Progress(enum.StrEnum):
    """A termly review's judgement of the supported school's progress against the pairing's goals."""

    STRONG = "strong"
    GOOD = "good"
    SOME = "some"
    NONE = "none"


class SchoolTrust(CouncilScoped, Timestamps, Base):
    """The schools-side details of a school trust society (one row per trust)."""

    __tablename__ = "schools_trusts"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        UniqueConstraint("council_id", "society_id"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    legal_model: Mapped[LegalModel] = mapped_column(value_enum(LegalModel, "schools_legal_model"))


class TrustPartner(CouncilScoped, Timestamps, Base):
    """An external partner of a trust: a college, a university, a business, the NHS trust…"""

    __tablename__ = "schools_trust_partners"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        UniqueConstraint("council_id", "society_id", "name"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PartnerKind] = mapped_column(value_enum(PartnerKind, "schools_partner_kind"))


class School(CouncilScoped, Timestamps, Base):
    """A school of the council; ``society_id`` is the trust it belongs to, if any."""

    __tablename__ = "schools_schools"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies"),
        UniqueConstraint("council_id", "urn"),
        CheckConstraint("urn ~ '^[0-9]{6}$'", name="urn_six_digits"),
        CheckConstraint("pupils >= 0", name="pupils_not_negative"),
    )

    name: Mapped[str] = mapped_column(String(200))
    # The DfE unique reference number: six digits.
    urn: Mapped[str] = mapped_column(String(6))
    phase: Mapped[Phase] = mapped_column(value_enum(Phase, "schools_phase"))
    pupils: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    society_id: Mapped[int | None] = mapped_column(BigInteger)


class OfstedJudgement(CouncilScoped, Timestamps, Base):
    """An Ofsted inspection's overall judgement of a school, on the day it was inspected."""

    __tablename__ = "schools_ofsted_judgements"
    __table_args__ = (
        council_fk(["school_id"], "schools_schools", ondelete="CASCADE"),
        UniqueConstraint("council_id", "school_id", "inspected_on"),
    )

    school_id: Mapped[int] = mapped_column(BigInteger)
    inspected_on: Mapped[date] = mapped_column(Date)
    judgement: Mapped[Judgement] = mapped_column(value_enum(Judgement, "schools_judgement"))


class PipelineEntry(CouncilScoped, Timestamps, Base):
    """A school exploring the co-operative model: its current stage and the day it reached each stage."""

    __tablename__ = "schools_pipeline_entries"
    __table_args__ = (
        council_fk(["school_id"], "schools_schools", ondelete="CASCADE"),
        UniqueConstraint("council_id", "school_id"),
        CheckConstraint("(stage = 'consultation') OR established_on IS NOT NULL", name="established_dated"),
        CheckConstraint("(stage <> 'live') OR live_on IS NOT NULL", name="live_dated"),
    )

    school_id: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[Stage] = mapped_column(value_enum(Stage, "schools_stage"))
    consultation_on: Mapped[date] = mapped_column(Date)
    established_on: Mapped[date | None] = mapped_column(Date)
    live_on: Mapped[date | None] = mapped_column(Date)


class ChecklistItem(CouncilScoped, Timestamps, Base):
    """One thing to do in a stage of a school's pipeline; ticked with the day and the person."""

    __tablename__ = "schools_checklist_items"
    __table_args__ = (
        council_fk(["entry_id"], "schools_pipeline_entries", ondelete="CASCADE"),
        UniqueConstraint("council_id", "entry_id", "stage", "title"),
    )

    entry_id: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[Stage] = mapped_column(value_enum(Stage, "schools_stage"))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    title: Mapped[str] = mapped_column(String(200))
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class SchoolsTarget(CouncilScoped, Timestamps, Base):
    """The council's target number of co-operative schools (one row per council)."""

    __tablename__ = "schools_targets"
    __table_args__ = (
        UniqueConstraint("council_id"),
        CheckConstraint("target >= 0", name="target_not_negative"),
    )

    target: Mapped[int] = mapped_column(Integer)


class Pairing(CouncilScoped, Timestamps, Base):
    """School-to-school support: a supporting school working with a supported one towards goals.

    The two schools differ (``operations.create_pairing`` refuses one school paired with itself).
    """

    __tablename__ = "schools_pairings"
    __table_args__ = (
        council_fk(["supporting_id"], "schools_schools", ondelete="CASCADE"),
        council_fk(["supported_id"], "schools_schools", ondelete="CASCADE"),
        UniqueConstraint("council_id", "supporting_id", "supported_id"),
    )

    supporting_id: Mapped[int] = mapped_column(BigInteger)
    supported_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[PairingKind] = mapped_column(value_enum(PairingKind, "schools_pairing_kind"))
    goals: Mapped[str] = mapped_column(Text)
    started_on: Mapped[date] = mapped_column(Date)


class PairingReview(CouncilScoped, Timestamps, Base):
    """A termly review of a pairing's progress (one per term and school year)."""

    __tablename__ = "schools_pairing_reviews"
    __table_args__ = (
        council_fk(["pairing_id"], "schools_pairings", ondelete="CASCADE"),
        UniqueConstraint("council_id", "pairing_id", "year", "term"),
        CheckConstraint("year >= 2000 AND year <= 2200", name="year_range"),
    )

    pairing_id: Mapped[int] = mapped_column(BigInteger)
    term: Mapped[Term] = mapped_column(value_enum(Term, "schools_term"))
    # The school year by the calendar year it starts in (2026 = 2026/27).
    year: Mapped[int] = mapped_column(Integer)
    progress: Mapped[Progress] = mapped_column(value_enum(Progress, "schools_progress"))
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")


class ValuesReview(CouncilScoped, Timestamps, Base):
    """A school's yearly self-review against the six co-operative values, each rated 1 to 5, with evidence."""

    __tablename__ = "schools_values_reviews"
    __table_args__ = (
        council_fk(["school_id"], "schools_schools", ondelete="CASCADE"),
        UniqueConstraint("council_id", "school_id", "year"),
        CheckConstraint("year >= 2000 AND year <= 2200", name="year_range"),
        *(CheckConstraint(f"{v} BETWEEN 1 AND 5", name=f"{v}_range") for v in VALUES),
    )

    school_id: Mapped[int] = mapped_column(BigInteger)
    year: Mapped[int] = mapped_column(Integer)
    self_help: Mapped[int] = mapped_column(SmallInteger)
    self_responsibility: Mapped[int] = mapped_column(SmallInteger)
    democracy: Mapped[int] = mapped_column(SmallInteger)
    equality: Mapped[int] = mapped_column(SmallInteger)
    equity: Mapped[int] = mapped_column(SmallInteger)
    solidarity: Mapped[int] = mapped_column(SmallInteger)
    evidence: Mapped[str] = mapped_column(Text, default="", server_default="")
    entered_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class Trustee(CouncilScoped, Timestamps, Base):
    """A trustee appointed by the stakeholder forum: who, by which forum resolution, from when (and until when)."""

    __tablename__ = "schools_trustees"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        council_fk(["resolution_id"], "gov_resolutions"),
        council_fk(["member_id"], "gov_members"),
        Index("ix_schools_trustees_society", "council_id", "society_id"),
        CheckConstraint("to_on IS NULL OR to_on >= from_on", name="term_order"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    resolution_id: Mapped[int] = mapped_column(BigInteger)
    # The trustee's line in the trust's register, when they are a member.
    member_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)
