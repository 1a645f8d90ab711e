"""Read-only queries for the schools pages, benchmarking and data rights (the council is the current one)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.governance import queries as governance_queries
from app.governance.meetings.models import Meeting, MeetingBody, Resolution
from app.governance.models import Society, SocietyKind
from app.schools import pipeline
from app.schools.models import (
    VALUES,
    ChecklistItem,
    OfstedJudgement,
    Pairing,
    PairingReview,
    PipelineEntry,
    School,
    SchoolsTarget,
    SchoolTrust,
    Stage,
    Trustee,
    TrustPartner,
    ValuesReview,
)

MODULE = "schools"


def trusts() -> list[Society]:
    return governance_queries.societies(SocietyKind.SCHOOL_TRUST)


def trust_detail(society_id: int) -> SchoolTrust | None:
    return db.session.scalar(select(SchoolTrust).where(SchoolTrust.society_id == society_id))


def partners(society_id: int) -> list[TrustPartner]:
    return list(
        db.session.scalars(
            select(TrustPartner).where(TrustPartner.society_id == society_id).order_by(TrustPartner.name)
        )
    )


def schools(society_id: int | None = None) -> list[School]:
    query = select(School).order_by(School.name, School.id)
    if society_id is not None:
        query = query.where(School.society_id == society_id)
    return list(db.session.scalars(query))


def school(school_id: int) -> School | None:
    return db.session.scalar(select(School).where(School.id == school_id))


def judgements(school_id: int) -> list[OfstedJudgement]:
    return list(
        db.session.scalars(
            select(OfstedJudgement)
            .where(OfstedJudgement.school_id == school_id)
            .order_by(OfstedJudgement.inspected_on.desc())
        )
    )


def pipeline_entry(school_id: int) -> PipelineEntry | None:
    return db.session.scalar(select(PipelineEntry).where(PipelineEntry.school_id == school_id))


def checklist(entry_id: int) -> list[ChecklistItem]:
    order = {stage: n for n, stage in enumerate(pipeline.ORDER)}
    items = db.session.scalars(select(ChecklistItem).where(ChecklistItem.entry_id == entry_id)).all()
    return sorted(items, key=lambda i: (order[i.stage], i.position, i.id))


def checklist_item(entry_id: int, item_id: int) -> ChecklistItem | None:
    return db.session.scalar(
        select(ChecklistItem).where(ChecklistItem.entry_id == entry_id, ChecklistItem.id == item_id)
    )


def pipeline_rows() -> list[tuple[PipelineEntry, School]]:
    rows = db.session.execute(
        select(PipelineEntry, School).join(School, School.id == PipelineEntry.school_id).order_by(School.name)
    )
    return [(entry, school_) for entry, school_ in rows]


def stage_counts(day: date | None = None) -> dict[Stage, int]:
    """How many schools are at each stage (today, or on ``day``)."""
    counts = dict.fromkeys(pipeline.ORDER, 0)
    for entry, _school in pipeline_rows():
        stage = entry.stage if day is None else pipeline.stage_on(entry, day)
        if stage is not None:
            counts[stage] += 1
    return counts


def target() -> int | None:
    return db.session.scalar(select(SchoolsTarget.target))


def pairings() -> list[Pairing]:
    return list(db.session.scalars(select(Pairing).order_by(Pairing.started_on.desc(), Pairing.id)))


def pairing(pairing_id: int) -> Pairing | None:
    return db.session.scalar(select(Pairing).where(Pairing.id == pairing_id))


def reviews(pairing_id: int) -> list[PairingReview]:
    terms = {"autumn": 0, "spring": 1, "summer": 2}
    rows = db.session.scalars(select(PairingReview).where(PairingReview.pairing_id == pairing_id)).all()
    return sorted(rows, key=lambda r: (r.year, terms[r.term.value]))


def latest_reviews() -> dict[int, PairingReview]:
    """Each pairing's most recent review."""
    found: dict[int, PairingReview] = {}
    for pairing_ in pairings():
        rows = reviews(pairing_.id)
        if rows:
            found[pairing_.id] = rows[-1]
    return found


def school_names() -> dict[int, str]:
    return {s.id: s.name for s in schools()}


def values_reviews(school_ids: list[int]) -> list[ValuesReview]:
    if not school_ids:
        return []
    return list(
        db.session.scalars(
            select(ValuesReview).where(ValuesReview.school_id.in_(school_ids)).order_by(ValuesReview.year)
        )
    )


def values_trend(school_ids: list[int]) -> dict[int, dict[str, float]]:
    """Year → value → the average rating of the given schools' reviews that year (one decimal)."""
    sums: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for review in values_reviews(school_ids):
        for value in VALUES:
            sums[review.year][value].append(getattr(review, value))
    return {
        year: {value: round(sum(r) / len(r), 1) for value, r in ratings.items()}
        for year, ratings in sorted(sums.items())
    }


def trustees(society_id: int) -> list[Trustee]:
    return list(
        db.session.scalars(
            select(Trustee).where(Trustee.society_id == society_id).order_by(Trustee.from_on.desc(), Trustee.id)
        )
    )


def trustee(society_id: int, trustee_id: int) -> Trustee | None:
    return db.session.scalar(select(Trustee).where(Trustee.society_id == society_id, Trustee.id == trustee_id))


def forum_resolutions(society_id: int) -> list[tuple[Resolution, Meeting]]:
    """Resolutions the trust's stakeholder forum passed (the ones that can appoint trustees)."""
    rows = db.session.execute(
        select(Resolution, Meeting)
        .join(Meeting, Meeting.id == Resolution.meeting_id)
        .where(Meeting.society_id == society_id, Meeting.body == MeetingBody.FORUM, Resolution.outcome == "passed")
        .order_by(Meeting.starts_at.desc(), Resolution.position)
    )
    return [(r, m) for r, m in rows]


def resolution(resolution_id: int) -> Resolution | None:
    return db.session.scalar(select(Resolution).where(Resolution.id == resolution_id))


def trust_members_on(day: date) -> int:
    """Members of every school trust on ``day``."""
    return sum(governance_queries.count_members_on(t.id, day) for t in trusts())


def pupils_in_trusts() -> int:
    return db.session.scalar(select(func.coalesce(func.sum(School.pupils), 0)).where(School.society_id.is_not(None)))
