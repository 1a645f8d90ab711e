"""Helpers for the web tests: a council with an administrator and signed-in clients."""

from __future__ import annotations

from dataclasses import dataclass

from flask.globals import _cv_app

from app.auth.models import Role
from tests.fixtures.sessions import send
from tests.fixtures.sessions import session_client as _mint

__all__ = ["Staff", "send", "session_client", "staff"]


def session_client(app, user_id):
    """A signed-in client; ``g`` is emptied first, since the ``db`` fixture's app context (and its
    cached CSRF token) outlives each mint."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        ctx.g = ctx.app.app_ctx_globals_class()
    return _mint(app, user_id)


@dataclass
class Staff:
    council: object
    admin: object
    second: object
    third: object


def staff(create_council, create_user, grant_role) -> Staff:
    council = create_council()
    people = [create_user(name=n) for n in ("Alice Admin", "Bob Admin", "Carol Admin")]
    for person in people:
        grant_role(person, council, Role.COUNCIL_ADMIN)
    return Staff(council, *people)
