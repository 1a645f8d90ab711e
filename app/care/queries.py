"""Read-only queries for the care pages (scoped to the current council by the ORM filter and RLS)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.care.models import (
    CareEnterprise,
    CareNamedPerson,
    CarePerson,
    CarePlanComment,
    CarePlanRead,
    CarePlanReview,
    CarePlanVersion,
    CareService,
    CareStory,
    CareSurveyResponse,
    CareTeam,
    CareTeamMember,
    NamedRole,
    StoryStatus,
)
from app.extensions import db
from app.governance.models import Society

MODULE = "care"


@dataclass(frozen=True)
class EnterpriseRow:
    enterprise: CareEnterprise
    society: Society


def enterprises() -> list[EnterpriseRow]:
    """The council's care enterprises with their societies, by name."""
    rows = db.session.execute(
        select(CareEnterprise, Society).join(Society, Society.id == CareEnterprise.society_id).order_by(Society.name)
    )
    return [EnterpriseRow(e, s) for e, s in rows]


def enterprise(enterprise_id: int) -> EnterpriseRow | None:
    row = db.session.execute(
        select(CareEnterprise, Society)
        .join(Society, Society.id == CareEnterprise.society_id)
        .where(CareEnterprise.id == enterprise_id)
    ).first()
    return None if row is None else EnterpriseRow(*row)


def services(enterprise_id: int) -> list[CareService]:
    return list(
        db.session.scalars(
            select(CareService).where(CareService.enterprise_id == enterprise_id).order_by(CareService.name)
        )
    )


def teams(enterprise_id: int) -> list[CareTeam]:
    return list(
        db.session.scalars(
            select(CareTeam)
            .join(CareService, CareService.id == CareTeam.service_id)
            .where(CareService.enterprise_id == enterprise_id)
            .order_by(CareTeam.name)
        )
    )


def service_of_team(team_id: int) -> CareService | None:
    return db.session.scalar(
        select(CareService).join(CareTeam, CareTeam.service_id == CareService.id).where(CareTeam.id == team_id)
    )


def team_members(team_id: int) -> list[CareTeamMember]:
    return list(db.session.scalars(select(CareTeamMember).where(CareTeamMember.team_id == team_id)))


def team_ids_of(user_id: int) -> set[int]:
    """The teams a member of staff belongs to."""
    return set(db.session.scalars(select(CareTeamMember.team_id).where(CareTeamMember.user_id == user_id)))


def named_people(enterprise_id: int) -> list[CareNamedPerson]:
    return list(
        db.session.scalars(
            select(CareNamedPerson)
            .where(CareNamedPerson.enterprise_id == enterprise_id)
            .order_by(CareNamedPerson.role, CareNamedPerson.id)
        )
    )


def has_named_role(enterprise_id: int, user_id: int, role: NamedRole) -> bool:
    return (
        db.session.scalar(
            select(CareNamedPerson.id).where(
                CareNamedPerson.enterprise_id == enterprise_id,
                CareNamedPerson.user_id == user_id,
                CareNamedPerson.role == role,
            )
        )
        is not None
    )


def people(enterprise_id: int) -> list[CarePerson]:
    """The people an enterprise supports, by name."""
    return list(
        db.session.scalars(
            select(CarePerson)
            .join(CareTeam, CareTeam.id == CarePerson.team_id)
            .join(CareService, CareService.id == CareTeam.service_id)
            .where(CareService.enterprise_id == enterprise_id)
            .order_by(CarePerson.name)
        )
    )


def people_of_team(team_id: int) -> list[CarePerson]:
    return list(db.session.scalars(select(CarePerson).where(CarePerson.team_id == team_id).order_by(CarePerson.name)))


def records_of(user_id: int) -> list[CarePerson]:
    """The records a person can open as themselves or as the chosen carer."""
    return list(
        db.session.scalars(
            select(CarePerson)
            .where((CarePerson.user_id == user_id) | (CarePerson.carer_user_id == user_id))
            .order_by(CarePerson.name)
        )
    )


def enterprise_id_of_team(team_id: int) -> int | None:
    service = service_of_team(team_id)
    return None if service is None else service.enterprise_id


def plan_versions(person_id: int) -> list[CarePlanVersion]:
    """Every version of a person's plan, newest first."""
    return list(
        db.session.scalars(
            select(CarePlanVersion)
            .where(CarePlanVersion.person_id == person_id)
            .order_by(CarePlanVersion.version.desc())
        )
    )


def current_plan(person_id: int) -> CarePlanVersion | None:
    versions = plan_versions(person_id)
    return versions[0] if versions else None


def reviews(person_id: int) -> list[CarePlanReview]:
    return list(
        db.session.scalars(
            select(CarePlanReview)
            .where(CarePlanReview.person_id == person_id)
            .order_by(CarePlanReview.reviewed_on.desc(), CarePlanReview.id.desc())
        )
    )


def comments(person_id: int) -> list[CarePlanComment]:
    return list(
        db.session.scalars(
            select(CarePlanComment).where(CarePlanComment.person_id == person_id).order_by(CarePlanComment.id)
        )
    )


def reads(person_id: int) -> list[CarePlanRead]:
    """Who opened the plan and when, newest first."""
    return list(
        db.session.scalars(
            select(CarePlanRead)
            .where(CarePlanRead.person_id == person_id)
            .order_by(CarePlanRead.read_at.desc(), CarePlanRead.id.desc())
        )
    )


def published_stories(enterprise_id: int) -> list[CareStory]:
    return list(
        db.session.scalars(
            select(CareStory)
            .where(CareStory.enterprise_id == enterprise_id, CareStory.status == StoryStatus.PUBLISHED)
            .order_by(CareStory.published_at.desc())
        )
    )


def stories_to_moderate(enterprise_id: int) -> list[CareStory]:
    """Pending and held stories, oldest first, then published ones still waiting for a reply."""
    rows = db.session.scalars(
        select(CareStory)
        .where(
            CareStory.enterprise_id == enterprise_id,
            CareStory.status.in_((StoryStatus.PENDING, StoryStatus.HELD))
            | ((CareStory.status == StoryStatus.PUBLISHED) & (CareStory.reply == "")),
        )
        .order_by(CareStory.id)
    )
    return list(rows)


def responses(service_ids: list[int], start: date | None = None, end: date | None = None) -> list[CareSurveyResponse]:
    query = select(CareSurveyResponse).where(CareSurveyResponse.service_id.in_(service_ids))
    if start is not None:
        query = query.where(CareSurveyResponse.answered_on >= start)
    if end is not None:
        query = query.where(CareSurveyResponse.answered_on <= end)
    return list(db.session.scalars(query))


def answered_since(service_id: int, user_id: int, since: date) -> bool:
    return (
        db.session.scalar(
            select(CareSurveyResponse.id).where(
                CareSurveyResponse.service_id == service_id,
                CareSurveyResponse.user_id == user_id,
                CareSurveyResponse.answered_on >= since,
            )
        )
        is not None
    )
