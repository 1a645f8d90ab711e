"""Resident accounts: signing up to a council, and joining it with an existing account.

Operations flush, never commit.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.audit.operations import record_event
from app.auth.models import CouncilRole, Role, User
from app.auth.operations import normalise_email
from app.auth.passwords import hash_password
from app.extensions import db
from app.residents import profiles
from app.residents.models import ResidentProfile

logger = logging.getLogger(__name__)


def sign_up(name: str, email: str, password: str) -> User | None:
    """A new account that is a resident of the current council, with an unverified profile.

    Returns ``None``, writing nothing, if the address already has an account.
    """
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        return None
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    join_as_resident(user)
    record_event("resident.signed_up", "user", user.id, actor_user_id=user.id)
    logger.info("User %s signed up as a resident", user.id)
    return user


def join_as_resident(user: User) -> ResidentProfile:
    """Give ``user`` a resident role here (unless they have a role already) and a profile."""
    role = db.session.scalar(select(CouncilRole).where(CouncilRole.user_id == user.id))
    if role is None:
        db.session.add(CouncilRole(user_id=user.id, role=Role.RESIDENT, modules=[]))
        db.session.flush()
    return profiles.ensure_profile(user.id)
