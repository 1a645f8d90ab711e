"""The signed-in person's role in the current council."""

from __future__ import annotations

from flask import g
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import CouncilRole
from app.extensions import db
from tenants.context import current_council_id_or_none

_UNSET = object()


def current_council_role() -> CouncilRole | None:
    """The signed-in person's role in the current council, cached per request."""
    cached = g.get("_council_role", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    role = None
    if current_user.is_authenticated and current_council_id_or_none() is not None:
        role = db.session.scalar(select(CouncilRole).where(CouncilRole.user_id == current_user.id))
    g._council_role = role
    return role
