"""Reads for the housing pages, the electorate rule and the benchmarking figures."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, case, func, or_, select

from app.extensions import db
from app.governance.models import Society, SocietyKind
from app.governance.queries import societies
from app.housing import targets
from app.housing.models import (
    HousingBlock,
    HousingContractor,
    HousingEstate,
    HousingHome,
    HousingRepair,
    HousingRepairPhoto,
    HousingRepairTarget,
    HousingSurvey,
    HousingSurveyResponse,
    HousingTenancy,
    HousingTenant,
    HousingTransferBallot,
    RepairCategory,
    RepairStatus,
    SurveyStatus,
    Urgency,
)

MODULE = "housing"
OPEN_STATUSES = (RepairStatus.REPORTED, RepairStatus.ASSIGNED, RepairStatus.IN_PROGRESS)


# --- estates and homes ---------------------------------------------------------------------------


def housing_coops() -> list[Society]:
    """The council's housing co-operatives, by name."""
    return societies(SocietyKind.HOUSING_COOP)


def estates(society_id: int | None = None) -> list[HousingEstate]:
    query = select(HousingEstate).order_by(HousingEstate.name)
    if society_id is not None:
        query = query.where(HousingEstate.society_id == society_id)
    return list(db.session.scalars(query))


def estate(estate_id: int) -> HousingEstate | None:
    return db.session.scalar(select(HousingEstate).where(HousingEstate.id == estate_id))


def estate_names() -> dict[int, str]:
    return {estate_id: name for estate_id, name in db.session.execute(select(HousingEstate.id, HousingEstate.name))}


def blocks(estate_id: int) -> list[HousingBlock]:
    return list(
        db.session.scalars(select(HousingBlock).where(HousingBlock.estate_id == estate_id).order_by(HousingBlock.name))
    )


def block(estate_id: int, block_id: int) -> HousingBlock | None:
    return db.session.scalar(
        select(HousingBlock).where(HousingBlock.estate_id == estate_id, HousingBlock.id == block_id)
    )


def homes(estate_id: int) -> list[HousingHome]:
    return list(
        db.session.scalars(
            select(HousingHome).where(HousingHome.estate_id == estate_id).order_by(HousingHome.reference)
        )
    )


def home_count(estate_id: int) -> int:
    return db.session.scalar(select(func.count()).where(HousingHome.estate_id == estate_id)) or 0


def home_references() -> set[str]:
    return set(db.session.scalars(select(HousingHome.reference)))


def estate_of(home: HousingHome) -> HousingEstate:
    return db.session.scalar(select(HousingEstate).where(HousingEstate.id == home.estate_id))


# --- tenancies -----------------------------------------------------------------------------------


def _running_on(day: date):
    return and_(HousingTenancy.starts_on <= day, or_(HousingTenancy.ends_on.is_(None), HousingTenancy.ends_on > day))


def tenancies(home_id: int) -> list[HousingTenancy]:
    """A home's tenancies, the latest first."""
    return list(
        db.session.scalars(
            select(HousingTenancy)
            .where(HousingTenancy.home_id == home_id)
            .order_by(HousingTenancy.starts_on.desc(), HousingTenancy.id.desc())
        )
    )


def tenancy(home_id: int, tenancy_id: int) -> HousingTenancy | None:
    return db.session.scalar(
        select(HousingTenancy).where(HousingTenancy.home_id == home_id, HousingTenancy.id == tenancy_id)
    )


def overlapping_tenancy(home_id: int, starts_on: date, ends_on: date | None) -> HousingTenancy | None:
    """A tenancy of the home that runs on any day of [starts_on, ends_on)."""
    query = select(HousingTenancy).where(
        HousingTenancy.home_id == home_id,
        or_(HousingTenancy.ends_on.is_(None), HousingTenancy.ends_on > starts_on),
    )
    if ends_on is not None:
        query = query.where(HousingTenancy.starts_on < ends_on)
    return db.session.scalar(query.limit(1))


def tenants(tenancy_id: int) -> list[HousingTenant]:
    return list(
        db.session.scalars(
            select(HousingTenant).where(HousingTenant.tenancy_id == tenancy_id).order_by(HousingTenant.id)
        )
    )


@dataclass(frozen=True)
class MyHome:
    tenant: HousingTenant
    tenancy: HousingTenancy
    home: HousingHome
    estate: HousingEstate


def homes_of(user_id: int, day: date) -> list[MyHome]:
    """The homes the person is a tenant of on ``day``."""
    rows = db.session.execute(
        select(HousingTenant, HousingTenancy, HousingHome, HousingEstate)
        .join(HousingTenancy, HousingTenancy.id == HousingTenant.tenancy_id)
        .join(HousingHome, HousingHome.id == HousingTenancy.home_id)
        .join(HousingEstate, HousingEstate.id == HousingHome.estate_id)
        .where(HousingTenant.user_id == user_id, _running_on(day))
        .order_by(HousingHome.reference)
    ).all()
    return [MyHome(*row) for row in rows]


def tenant_line(tenant_id: int) -> HousingTenant | None:
    return db.session.scalar(select(HousingTenant).where(HousingTenant.id == tenant_id))


def tenancy_by_id(tenancy_id: int) -> HousingTenancy | None:
    return db.session.scalar(select(HousingTenancy).where(HousingTenancy.id == tenancy_id))


def home_by_id(home_id: int) -> HousingHome | None:
    return db.session.scalar(select(HousingHome).where(HousingHome.id == home_id))


def is_tenant_of(user_id: int, home_id: int, day: date) -> bool:
    query = (
        select(HousingTenant.id)
        .join(HousingTenancy, HousingTenancy.id == HousingTenant.tenancy_id)
        .where(HousingTenant.user_id == user_id, HousingTenancy.home_id == home_id, _running_on(day))
    )
    return db.session.scalar(query.limit(1)) is not None


def _tenants_on(day: date, estate_ids: Iterable[int] | None) -> Select:
    query = (
        select(HousingTenant)
        .join(HousingTenancy, HousingTenancy.id == HousingTenant.tenancy_id)
        .join(HousingHome, HousingHome.id == HousingTenancy.home_id)
        .where(_running_on(day))
    )
    ids = list(estate_ids or [])
    if ids:
        query = query.where(HousingHome.estate_id.in_(ids))
    return query


def is_tenant_on(user_id: int, day: date, estate_ids: Iterable[int] | None) -> bool:
    """Whether the person is named on a tenancy running on ``day`` (of a home in ``estate_ids``, when given)."""
    query = _tenants_on(day, estate_ids).where(HousingTenant.user_id == user_id).with_only_columns(HousingTenant.id)
    return db.session.scalar(query.limit(1)) is not None


def count_tenants_on(day: date, estate_ids: Iterable[int] | None) -> int:
    """The tenants on ``day``: each account once, and each tenant without an account (they may vote on paper)."""
    inner = _tenants_on(day, estate_ids).with_only_columns(
        case(
            (HousingTenant.user_id.is_not(None), func.concat("u", HousingTenant.user_id)),
            else_=func.concat("t", HousingTenant.id),
        ).label("who")
    )
    return db.session.scalar(select(func.count(func.distinct(inner.subquery().c.who)))) or 0


# --- repairs -------------------------------------------------------------------------------------


def stored_target(society_id: int | None, category: RepairCategory, urgency: Urgency) -> HousingRepairTarget | None:
    query = select(HousingRepairTarget).where(
        HousingRepairTarget.category == category, HousingRepairTarget.urgency == urgency
    )
    query = query.where(
        HousingRepairTarget.society_id.is_(None) if society_id is None else HousingRepairTarget.society_id == society_id
    )
    return db.session.scalar(query)


def target_for(society_id: int | None, category: RepairCategory, urgency: Urgency) -> targets.Target:
    """The target in force: the co-op's (or council's) own, else the default."""
    row = stored_target(society_id, category, urgency)
    if row is None:
        return targets.default_target(category, urgency)
    return targets.Target(row.amount, row.unit, row.make_safe_days)


def target_table(society_id: int | None) -> list[tuple[RepairCategory, Urgency, targets.Target, bool]]:
    """Every category and urgency with its target and whether it differs from the default."""
    rows = []
    for category in RepairCategory:
        for urgency in Urgency:
            target = target_for(society_id, category, urgency)
            rows.append((category, urgency, target, target != targets.default_target(category, urgency)))
    return rows


def contractors(society_id: int | None, *, including_council: bool = False) -> list[HousingContractor]:
    """A co-op's contractors (``None``: the council's); ``including_council`` adds the council's own."""
    query = select(HousingContractor).order_by(HousingContractor.name)
    if society_id is None:
        query = query.where(HousingContractor.society_id.is_(None))
    elif including_council:
        query = query.where(or_(HousingContractor.society_id == society_id, HousingContractor.society_id.is_(None)))
    else:
        query = query.where(HousingContractor.society_id == society_id)
    return list(db.session.scalars(query))


def contractor(contractor_id: int) -> HousingContractor | None:
    return db.session.scalar(select(HousingContractor).where(HousingContractor.id == contractor_id))


def deadline_of(repair: HousingRepair) -> datetime:
    """The deadline the clock is running against now (the make-safe one once a damp case is investigated)."""
    return repair.make_safe_by if repair.make_safe_by is not None else repair.due_at


@dataclass(frozen=True)
class QueueRow:
    repair: HousingRepair
    home: HousingHome
    estate: HousingEstate
    contractor: HousingContractor | None


def repair_queue(society_id: int | None = None, *, all_estates: bool = True, open_only: bool = True) -> list[QueueRow]:
    """Repairs, overdue first, then by deadline (soonest first); finished ones last, latest first.

    ``all_estates`` (council officers) shows every home; otherwise only the
    homes of estates ``society_id`` manages.
    """
    deadline = func.coalesce(HousingRepair.make_safe_by, HousingRepair.due_at)
    is_open = HousingRepair.status.in_(OPEN_STATUSES)
    query = (
        select(HousingRepair, HousingHome, HousingEstate, HousingContractor)
        .join(HousingHome, HousingHome.id == HousingRepair.home_id)
        .join(HousingEstate, HousingEstate.id == HousingHome.estate_id)
        .outerjoin(HousingContractor, HousingContractor.id == HousingRepair.contractor_id)
        .order_by(
            case((is_open, 0), else_=1),
            case((and_(is_open, deadline < func.now()), 0), else_=1),
            case((is_open, deadline)),
            HousingRepair.reported_at.desc(),
            HousingRepair.id,
        )
    )
    if not all_estates:
        query = query.where(HousingEstate.society_id == society_id)
    if open_only:
        query = query.where(is_open)
    return [QueueRow(*row) for row in db.session.execute(query).all()]


def repairs_for_homes(home_ids: Iterable[int]) -> list[HousingRepair]:
    ids = list(home_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(HousingRepair)
            .where(HousingRepair.home_id.in_(ids))
            .order_by(HousingRepair.reported_at.desc(), HousingRepair.id.desc())
        )
    )


def photos(repair_id: int) -> list[HousingRepairPhoto]:
    """A repair's photos without their bytes loaded twice (the list reads only what the page needs)."""
    return list(
        db.session.scalars(
            select(HousingRepairPhoto)
            .where(HousingRepairPhoto.repair_id == repair_id)
            .order_by(HousingRepairPhoto.position)
        )
    )


def photo(repair_id: int, photo_id: int) -> HousingRepairPhoto | None:
    return db.session.scalar(
        select(HousingRepairPhoto).where(HousingRepairPhoto.repair_id == repair_id, HousingRepairPhoto.id == photo_id)
    )


# --- transfer ballots and surveys ----------------------------------------------------------------


def transfer_ballots() -> list[HousingTransferBallot]:
    return list(db.session.scalars(select(HousingTransferBallot).order_by(HousingTransferBallot.created_at.desc())))


def surveys(society_id: int | None = None, *, everyone: bool = False) -> list[HousingSurvey]:
    query = select(HousingSurvey).order_by(HousingSurvey.created_at.desc(), HousingSurvey.id.desc())
    if not everyone:
        query = query.where(
            HousingSurvey.society_id.is_(None) if society_id is None else HousingSurvey.society_id == society_id
        )
    return list(db.session.scalars(query))


def open_surveys_for(estates_: Iterable[HousingEstate]) -> list[HousingSurvey]:
    """Open surveys that a tenant of these estates is asked: their co-op's, or the council's for council homes."""
    societies_ = {e.society_id for e in estates_}
    if not societies_:
        return []
    conditions = [HousingSurvey.society_id.in_([s for s in societies_ if s is not None])]
    if None in societies_:
        conditions.append(HousingSurvey.society_id.is_(None))
    return list(
        db.session.scalars(select(HousingSurvey).where(HousingSurvey.status == SurveyStatus.OPEN, or_(*conditions)))
    )


def response_of(survey_id: int, user_id: int) -> HousingSurveyResponse | None:
    return db.session.scalar(
        select(HousingSurveyResponse).where(
            HousingSurveyResponse.survey_id == survey_id, HousingSurveyResponse.user_id == user_id
        )
    )


def responses(survey_id: int) -> list[HousingSurveyResponse]:
    return list(db.session.scalars(select(HousingSurveyResponse).where(HousingSurveyResponse.survey_id == survey_id)))


# --- figures for the benchmarking dashboard ------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole``; ``percent`` is None when there is nothing to divide."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return None if self.whole == 0 else 100 * self.part / self.whole


def _completed(since: datetime | None, until: datetime | None, society_id: int | None) -> Select:
    query = select(HousingRepair).where(HousingRepair.status == RepairStatus.COMPLETED)
    if since is not None:
        query = query.where(HousingRepair.completed_at >= since)
    if until is not None:
        query = query.where(HousingRepair.completed_at < until)
    if society_id is not None:
        query = (
            query.join(HousingHome, HousingHome.id == HousingRepair.home_id)
            .join(HousingEstate, HousingEstate.id == HousingHome.estate_id)
            .where(HousingEstate.society_id == society_id)
        )
    return query


def repairs_within_target(
    since: datetime | None = None, until: datetime | None = None, *, society_id: int | None = None
) -> Share:
    """Repairs completed in [since, until) and how many of them were completed by their deadline (RP02-style)."""
    rows = list(db.session.scalars(_completed(since, until, society_id)))
    within = sum(1 for r in rows if r.completed_at <= deadline_of(r))
    return Share(within, len(rows))


def median_days_to_complete(
    since: datetime | None = None, until: datetime | None = None, *, society_id: int | None = None
) -> float | None:
    """The median time from report to completion, in days (fractional), of repairs completed in [since, until)."""
    rows = list(db.session.scalars(_completed(since, until, society_id)))
    if not rows:
        return None
    return statistics.median((r.completed_at - r.reported_at).total_seconds() / 86400 for r in rows)


def tsm_overall_satisfaction(survey_id: int) -> Share:
    """TP01: the tenants very or fairly satisfied overall, out of those who answered it."""
    from app.housing.survey import question_share

    return question_share(responses(survey_id), "TP01")
