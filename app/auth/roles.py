"""The signed-in person's role in the current council."""

from __future__ import annotations

from flask import g
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import CouncilRole, User
from app.extensions import db
from tenants.context import current_council_id_or_none

_UNSET = object()


def remember_council_role(user: User, role: CouncilRole | None) -> None:
    """Keep ``user``'s role in the current council for this request (read with the user at sign-in time)."""
    g._council_role = (user.id, role)


def current_council_role() -> CouncilRole | None:
    """The signed-in person's role in the current council, cached per request."""
    cached = g.get("_council_role", _UNSET)
    if cached is not _UNSET and current_user.is_authenticated and cached[0] == current_user.id:
        return cached[1]
    role = None
    if current_user.is_authenticated and current_council_id_or_none() is not None:
        role = db.session.scalar(select(CouncilRole).where(CouncilRole.user_id == current_user.id))
    if current_user.is_authenticated:
        g._council_role = (current_user.id, role)
    return role
