"""Reads of the governance core: societies, classes, the register and share holdings.

Everything here runs inside the current council (the ORM filter and RLS see to
that); ids from a URL are looked up with these functions, never with a bare
``Session.get``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import case, func, select

from app.auth.models import CouncilRole, User
from app.extensions import db
from app.governance.models import (
    Member,
    MemberClass,
    MemberDecision,
    MemberStatus,
    ShareEntry,
    ShareEntryKind,
    Society,
    SocietyKind,
    SocietyOfficer,
    SocietyRole,
)


def society(society_id: int) -> Society | None:
    """The society with this id in the current council, or None."""
    return db.session.scalar(select(Society).where(Society.id == society_id))


def societies(kind: SocietyKind | None = None) -> list[Society]:
    """The council's societies (of one kind, when given), by name."""
    query = select(Society).order_by(Society.name)
    if kind is not None:
        query = query.where(Society.kind == kind)
    return list(db.session.scalars(query))


def member_classes(society_id: int) -> list[MemberClass]:
    """A society's classes (constituencies), in their set order."""
    return list(
        db.session.scalars(
            select(MemberClass)
            .where(MemberClass.society_id == society_id)
            .order_by(MemberClass.position, MemberClass.name)
        )
    )


def member_class(society_id: int, class_id: int) -> MemberClass | None:
    return db.session.scalar(
        select(MemberClass).where(MemberClass.society_id == society_id, MemberClass.id == class_id)
    )


def member(society_id: int, member_id: int) -> Member | None:
    """A line of the register by id, within one society."""
    return db.session.scalar(select(Member).where(Member.society_id == society_id, Member.id == member_id))


def member_for_user(society_id: int, user_id: int) -> Member | None:
    """The person's live line (applicant or member) in a society, else their latest past line, else None."""
    live_first = case((Member.status.in_((MemberStatus.APPLICANT, MemberStatus.MEMBER)), 0), else_=1)
    return db.session.scalar(
        select(Member)
        .where(Member.society_id == society_id, Member.user_id == user_id)
        .order_by(live_first, Member.applied_on.desc(), Member.id.desc())
        .limit(1)
    )


def _members_on(society_id: int, day: date, class_ids: Iterable[int] | None):
    """Select of the members on the register on ``day`` (admitted on or before it, not ceased by it)."""
    query = select(Member).where(
        Member.society_id == society_id,
        Member.admitted_on <= day,
        (Member.ceased_on.is_(None)) | (Member.ceased_on > day),
    )
    ids = list(class_ids or [])
    if ids:
        query = query.where(Member.member_class_id.in_(ids))
    return query


def members_on(society_id: int, day: date, class_ids: Iterable[int] | None = None) -> list[Member]:
    """The members on the register on ``day``, by membership number (optionally of some classes only)."""
    return list(db.session.scalars(_members_on(society_id, day, class_ids).order_by(Member.membership_number)))


def count_members_on(society_id: int, day: date, class_ids: Iterable[int] | None = None) -> int:
    """How many members were on the register on ``day`` (for quorums and turnout)."""
    inner = _members_on(society_id, day, class_ids).with_only_columns(Member.id).subquery()
    return db.session.scalar(select(func.count()).select_from(inner)) or 0


def is_member_on(society_id: int, user_id: int, day: date) -> bool:
    """Whether the person with this account was a member of the society on ``day``."""
    query = _members_on(society_id, day, None).where(Member.user_id == user_id).with_only_columns(Member.id)
    return db.session.scalar(query.limit(1)) is not None


def register(society_id: int, *, include_past: bool = True) -> list[Member]:
    """The register of members: everyone admitted (and, with ``include_past``, those who have ceased)."""
    statuses = [MemberStatus.MEMBER] + ([MemberStatus.CEASED] if include_past else [])
    return list(
        db.session.scalars(
            select(Member)
            .where(Member.society_id == society_id, Member.status.in_(statuses))
            .order_by(Member.membership_number)
        )
    )


def applications(society_id: int) -> list[Member]:
    """Applications waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            select(Member)
            .where(Member.society_id == society_id, Member.status == MemberStatus.APPLICANT)
            .order_by(Member.applied_on, Member.id)
        )
    )


def decisions(member_id: int) -> list[MemberDecision]:
    """The decisions recorded about one membership, in order."""
    return list(
        db.session.scalars(
            select(MemberDecision)
            .where(MemberDecision.member_id == member_id)
            .order_by(MemberDecision.decided_on, MemberDecision.id)
        )
    )


def _signed_shares():
    return case((ShareEntry.kind == ShareEntryKind.ISSUE, ShareEntry.shares), else_=-ShareEntry.shares)


def shares_held(member_id: int) -> int:
    """The shares a member holds now: issues less withdrawals."""
    total = db.session.scalar(select(func.sum(_signed_shares())).where(ShareEntry.member_id == member_id))
    return int(total or 0)


def holdings(society_id: int) -> dict[int, int]:
    """Shares held now by every member of a society with a ledger line: member id → shares."""
    rows = db.session.execute(
        select(ShareEntry.member_id, func.sum(_signed_shares()))
        .join(Member, (Member.council_id == ShareEntry.council_id) & (Member.id == ShareEntry.member_id))
        .where(Member.society_id == society_id)
        .group_by(ShareEntry.member_id)
    )
    return {member_id: int(total) for member_id, total in rows}


def share_ledger(society_id: int) -> list[ShareEntry]:
    """Every line of a society's share ledger, in the order they were written."""
    return list(
        db.session.scalars(
            select(ShareEntry)
            .join(Member, (Member.council_id == ShareEntry.council_id) & (Member.id == ShareEntry.member_id))
            .where(Member.society_id == society_id)
            .order_by(ShareEntry.entry_date, ShareEntry.id)
        )
    )


def society_roles(society_id: int, user_id: int) -> set[SocietyRole]:
    """The roles this person holds for the society (secretary, committee, scrutineer)."""
    return set(
        db.session.scalars(
            select(SocietyOfficer.role).where(
                SocietyOfficer.society_id == society_id, SocietyOfficer.user_id == user_id
            )
        )
    )


def member_share_lines(member_id: int) -> list[ShareEntry]:
    """One member's lines of the share ledger, in the order they were written."""
    return list(
        db.session.scalars(
            select(ShareEntry).where(ShareEntry.member_id == member_id).order_by(ShareEntry.entry_date, ShareEntry.id)
        )
    )


def share_entry(member_id: int, entry_id: int) -> ShareEntry | None:
    """A ledger line by id, within one member's lines."""
    return db.session.scalar(select(ShareEntry).where(ShareEntry.member_id == member_id, ShareEntry.id == entry_id))


def society_officers(society_id: int) -> list[SocietyOfficer]:
    """Everyone holding a role for the society, by role."""
    return list(
        db.session.scalars(
            select(SocietyOfficer)
            .where(SocietyOfficer.society_id == society_id)
            .order_by(SocietyOfficer.role, SocietyOfficer.id)
        )
    )


def society_officer(society_id: int, officer_id: int) -> SocietyOfficer | None:
    return db.session.scalar(
        select(SocietyOfficer).where(SocietyOfficer.society_id == society_id, SocietyOfficer.id == officer_id)
    )


def people(user_ids: Iterable[int]) -> dict[int, User]:
    """Accounts by id (names for the officers' list and the ledger)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def person_in_council(email: str) -> User | None:
    """The account with this email address if it has a role in the current council, else None."""
    return db.session.scalar(
        select(User)
        .join(CouncilRole, CouncilRole.user_id == User.id)
        .where(func.lower(User.email) == email.strip().lower())
    )
