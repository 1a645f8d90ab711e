"""Reads for the council administration pages, all within the current council."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import abort
from sqlalchemy import func, select

from app.auth.models import CouncilRole, Invitation, Role, User
from app.extensions import db
from app.web.loading import get_or_404
from tenants.features import MODULES, enabled_modules
from tenants.models import Neighbourhood

STAFF_ROLES = (Role.COUNCIL_ADMIN, Role.OFFICER)


@dataclass(frozen=True)
class AdminSummary:
    """The counts shown on the administration start page."""

    modules_on: int
    modules_total: int
    neighbourhoods: int
    staff: int
    pending_invitations: int


def admin_summary() -> AdminSummary:
    """Counts of modules switched on, neighbourhoods, staff and pending invitations."""
    return AdminSummary(
        modules_on=len(enabled_modules() & MODULES.keys()),
        modules_total=len(MODULES),
        neighbourhoods=db.session.scalar(select(func.count()).select_from(Neighbourhood)) or 0,
        staff=db.session.scalar(select(func.count()).select_from(CouncilRole).where(CouncilRole.role.in_(STAFF_ROLES)))
        or 0,
        pending_invitations=db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.accepted_at.is_(None))
        )
        or 0,
    )


def neighbourhoods() -> list[Neighbourhood]:
    """The council's neighbourhoods in name order."""
    return list(db.session.scalars(select(Neighbourhood).order_by(func.lower(Neighbourhood.name), Neighbourhood.id)))


def neighbourhood_name_taken(name: str, *, except_id: int | None = None) -> bool:
    """Whether another neighbourhood already has ``name`` (ignoring case)."""
    query = select(Neighbourhood.id).where(func.lower(Neighbourhood.name) == name.lower())
    if except_id is not None:
        query = query.where(Neighbourhood.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def ward_code_taken(code: str, *, except_id: int | None = None) -> bool:
    """Whether another neighbourhood already has ONS ward code ``code``."""
    query = select(Neighbourhood.id).where(Neighbourhood.ons_ward_code == code)
    if except_id is not None:
        query = query.where(Neighbourhood.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def existing_names_and_codes() -> tuple[list[str], list[str]]:
    """Every current neighbourhood name and ward code, for checking an import file."""
    rows = db.session.execute(select(Neighbourhood.name, Neighbourhood.ons_ward_code)).all()
    return [name for name, _ in rows], [code for _, code in rows if code]


def staff() -> list[tuple[CouncilRole, User]]:
    """Officers and administrators of the council with their sign-in identity, by name."""
    query = (
        select(CouncilRole, User)
        .join(User, User.id == CouncilRole.user_id)
        .where(CouncilRole.role.in_(STAFF_ROLES))
        .order_by(func.lower(User.name), User.id)
    )
    return [(role, user) for role, user in db.session.execute(query)]


def staff_role_or_404(role_id: int) -> tuple[CouncilRole, User]:
    """An officer's or administrator's role in this council and their identity; 404 otherwise."""
    role = get_or_404(CouncilRole, role_id)
    if role.role not in STAFF_ROLES:
        abort(404)
    user = db.session.scalar(select(User).where(User.id == role.user_id))
    if user is None:
        abort(404)
    return role, user


def pending_invitations() -> list[Invitation]:
    """Invitations not yet accepted (expired ones too, so they can be revoked), newest first."""
    query = select(Invitation).where(Invitation.accepted_at.is_(None)).order_by(Invitation.created_at.desc())
    return list(db.session.scalars(query))


def pending_invitation_or_404(invitation_id: int) -> Invitation:
    """A not-yet-accepted invitation of this council; 404 otherwise."""
    invitation = get_or_404(Invitation, invitation_id)
    if invitation.accepted_at is not None:
        abort(404)
    return invitation


def live_invitation_for(email: str) -> Invitation | None:
    """An unexpired, unaccepted invitation for ``email`` in this council, if there is one."""
    query = select(Invitation).where(
        Invitation.email == email.lower(),
        Invitation.accepted_at.is_(None),
        Invitation.expires_at > datetime.now(UTC),
    )
    return db.session.scalar(query.limit(1))


def role_of_email(email: str) -> CouncilRole | None:
    """The role in this council of the person signing in with ``email``, if any."""
    query = select(CouncilRole).join(User, User.id == CouncilRole.user_id).where(User.email == email.lower())
    return db.session.scalar(query)
