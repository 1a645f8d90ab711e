"""Care social enterprises: the enterprise's care-side details, services, staff teams, people supported and
their support plans, feedback stories and the satisfaction survey.

An enterprise is a :class:`app.governance.models.Society` of kind
``care_enterprise`` (its register, member classes and board elections are the
governance core's); :class:`CareEnterprise` adds what is particular to care:
its model (staff mutual or multi-stakeholder co-op), the three member classes
it was created with, and the people it names to read plans and moderate
stories.

Support plans are health data. Every version of a plan is kept
(:class:`CarePlanVersion`, never updated), and every read is a row of
:class:`CarePlanRead`, which the person can see.
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
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, council_fk, value_enum


class EnterpriseModel(enum.StrEnum):
    """How the enterprise is owned: by its staff, or by staff, people who use its services and carers together."""

    STAFF_MUTUAL = "staff_mutual"
    MULTI_STAKEHOLDER = "multi_stakeholder"


class ServiceKind(enum.StrEnum):
    HOME_CARE = "home_care"
    DAY_SERVICES = "day_services"
    SUPPORTED_LIVING = "supported_living"
    SHORT_BREAKS = "short_breaks"


class NamedRole(enum.StrEnum):
    """What an enterprise names a person for, beyond its teams."""

    PLAN_OFFICER = "plan_officer"  # may read every support plan of the enterprise
    MODERATOR = "moderator"  # checks feedback stories and replies to them


class StoryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the moderator
    HELD = "held"  # holds personal data (found by the screen or the moderator): never published while held
    PUBLISHED = "published"
    REJECTED = "rejected"  # breaks the moderation policy in another way


class CareEnterprise(CouncilScoped, Timestamps, Base):
    """The care side of a society of kind ``care_enterprise``, with the member classes it was created with."""

    __tablename__ = "care_enterprises"
    __table_args__ = (
        council_fk(["society_id"], "gov_societies", ondelete="CASCADE"),
        council_fk(["staff_class_id"], "gov_member_classes"),
        council_fk(["people_class_id"], "gov_member_classes"),
        council_fk(["carers_class_id"], "gov_member_classes"),
        UniqueConstraint("council_id", "society_id"),
    )

    society_id: Mapped[int] = mapped_column(BigInteger)
    model: Mapped[EnterpriseModel] = mapped_column(value_enum(EnterpriseModel, "care_enterprise_model"))
    staff_class_id: Mapped[int] = mapped_column(BigInteger)
    people_class_id: Mapped[int] = mapped_column(BigInteger)
    carers_class_id: Mapped[int] = mapped_column(BigInteger)


class CareNamedPerson(CouncilScoped, Timestamps, Base):
    """A person the enterprise names as a plan officer or a moderator."""

    __tablename__ = "care_named_people"
    __table_args__ = (
        council_fk(["enterprise_id"], "care_enterprises", ondelete="CASCADE"),
        UniqueConstraint("council_id", "enterprise_id", "user_id", "role"),
    )

    enterprise_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[NamedRole] = mapped_column(value_enum(NamedRole, "care_named_role"))


class CareService(CouncilScoped, Timestamps, Base):
    """A service the enterprise runs (home care in the north of the borough, a day centre…)."""

    __tablename__ = "care_services"
    __table_args__ = (
        council_fk(["enterprise_id"], "care_enterprises", ondelete="CASCADE"),
        UniqueConstraint("council_id", "enterprise_id", "name"),
    )

    enterprise_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ServiceKind] = mapped_column(value_enum(ServiceKind, "care_service_kind"))


class CareTeam(CouncilScoped, Timestamps, Base):
    """A self-managing staff team delivering one service (a service may have several teams)."""

    __tablename__ = "care_teams"
    __table_args__ = (
        council_fk(["service_id"], "care_services", ondelete="CASCADE"),
        UniqueConstraint("council_id", "service_id", "name"),
    )

    service_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))


class CareTeamMember(CouncilScoped, Timestamps, Base):
    """A member of staff in a team (a platform account of the council)."""

    __tablename__ = "care_team_members"
    __table_args__ = (
        council_fk(["team_id"], "care_teams", ondelete="CASCADE"),
        UniqueConstraint("council_id", "team_id", "user_id"),
    )

    team_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)


class CarePerson(CouncilScoped, Timestamps, Base):
    """A person the enterprise supports, looked after by one team.

    ``user_id`` links the record to the person's own account (so they can read
    their plan); ``carer_user_id`` is the carer they chose to share it with.
    """

    __tablename__ = "care_people"
    __table_args__ = (
        council_fk(["team_id"], "care_teams"),
        Index("ix_care_people_team", "council_id", "team_id"),
    )

    team_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    carer_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class CarePlanVersion(CouncilScoped, Timestamps, Base):
    """One version of a person's co-produced support plan. Never updated: a change is the next version."""

    __tablename__ = "care_plan_versions"
    __table_args__ = (
        council_fk(["person_id"], "care_people", ondelete="CASCADE"),
        UniqueConstraint("council_id", "person_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    person_id: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(Integer)
    # The outcomes the person wants, in their own words.
    outcomes: Mapped[str] = mapped_column(Text)
    who_helps: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_on: Mapped[date] = mapped_column(Date)
    written_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class CarePlanReview(CouncilScoped, Timestamps, Base):
    """A review of a person's plan: when it happened and what was agreed."""

    __tablename__ = "care_plan_reviews"
    __table_args__ = (council_fk(["person_id"], "care_people", ondelete="CASCADE"),)

    person_id: Mapped[int] = mapped_column(BigInteger, index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text)
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )


class CarePlanComment(CouncilScoped, Timestamps, Base):
    """A comment on a plan by the person or their chosen carer."""

    __tablename__ = "care_plan_comments"
    __table_args__ = (council_fk(["person_id"], "care_people", ondelete="CASCADE"),)

    person_id: Mapped[int] = mapped_column(BigInteger, index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)


class CarePlanRead(CouncilScoped, Base):
    """Someone opened a person's plan: who and when (the person can see every row)."""

    __tablename__ = "care_plan_reads"
    __table_args__ = (
        council_fk(["person_id"], "care_people", ondelete="CASCADE"),
        Index("ix_care_plan_reads_person", "council_id", "person_id", "read_at"),
    )

    person_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CareStory(CouncilScoped, Timestamps, Base):
    """A story someone told about the care they received, and the enterprise's public reply.

    ``screen_flags`` lists what the automatic screen found (``email``,
    ``phone``, ``postcode``, ``nhs_number``); a story with any, or one the
    moderator flagged, is held and never published while held.
    """

    __tablename__ = "care_stories"
    __table_args__ = (
        council_fk(["enterprise_id"], "care_enterprises", ondelete="CASCADE"),
        council_fk(["service_id"], "care_services", ondelete="SET NULL"),
        Index("ix_care_stories_enterprise_status", "council_id", "enterprise_id", "status"),
        CheckConstraint("(published_at IS NOT NULL) = (status = 'published')", name="published_when_published"),
    )

    enterprise_id: Mapped[int] = mapped_column(BigInteger)
    service_id: Mapped[int | None] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Blank when the teller chose to stay anonymous.
    author_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[StoryStatus] = mapped_column(value_enum(StoryStatus, "care_story_status"))
    screen_flags: Mapped[list[str]] = mapped_column(JSONB, default=list)
    flagged_by_moderator: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    moderator_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reply: Mapped[str] = mapped_column(Text, default="", server_default="")
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CareSurveyResponse(CouncilScoped, Timestamps, Base):
    """One person's answers to the satisfaction survey about a service (Adult Social Care Survey questions).

    ``overall`` is Q1, 1 (extremely satisfied) to 7 (extremely dissatisfied);
    ``control`` is Q3a, 1 (as much control over daily life as I want) to 4 (no control).
    """

    __tablename__ = "care_survey_responses"
    __table_args__ = (
        council_fk(["service_id"], "care_services", ondelete="CASCADE"),
        Index("ix_care_survey_responses_service", "council_id", "service_id", "answered_on"),
        CheckConstraint("overall >= 1 AND overall <= 7", name="overall_range"),
        CheckConstraint("control >= 1 AND control <= 4", name="control_range"),
    )

    service_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    answered_on: Mapped[date] = mapped_column(Date)
    overall: Mapped[int] = mapped_column(Integer)
    control: Mapped[int] = mapped_column(Integer)
