"""Flask-Login wiring: the session identity is ``<user id>:<session version>``.

A session is refused when the person's ``session_version`` has moved on
(signed out, new password, disabled), when it has been idle longer than
``SESSION_IDLE_TIMEOUT`` seconds, or when it is older than
``SESSION_ABSOLUTE_TIMEOUT`` seconds (ASVS 7.3.1, 7.3.2, 7.4.1).
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask, current_app, session

from app.auth.identity import load_user_and_role
from app.auth.models import User
from app.auth.roles import remember_council_role
from app.auth.sessions import LAST_SEEN, SIGNED_IN_AT
from app.extensions import db, login_manager
from app.i18n import _l
from tenants.context import current_council_id_or_none

DEFAULT_IDLE_TIMEOUT = 60 * 60
DEFAULT_ABSOLUTE_TIMEOUT = 12 * 60 * 60
# Refreshing "last seen" rewrites the cookie, so do it at most once a minute.
LAST_SEEN_RESOLUTION = 60


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.config.setdefault("SESSION_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT)
    app.config.setdefault("SESSION_ABSOLUTE_TIMEOUT", DEFAULT_ABSOLUTE_TIMEOUT)
    # "We have sent a link" takes this long whether or not the address has an account.
    app.config.setdefault("PASSWORD_RESET_MIN_RESPONSE_SECONDS", 0.3)
    # Remember-me is never offered; should it ever be, its cookie is safe by default.
    insecure = app.config.get("INSECURE_COOKIES")
    app.config.setdefault("REMEMBER_COOKIE_NAME", "rochdale_remember" if insecure else "__Host-remember")
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=30))

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        if not _within_time_limits():
            return None
        user = _user_and_council_role(int(user_id))
        if user is None or not user.is_active or user.session_version != int(version):
            return None
        return user


def _user_and_council_role(user_id: int) -> User | None:
    """The user, and (inside a council) their role there, read in one statement.

    Nearly every council page asks for the person's role next, so reading it
    with the user saves a round trip on every signed-in request; the role is
    kept for the request by :func:`app.auth.roles.remember_council_role`.
    """
    council_id = current_council_id_or_none()
    user, role = load_user_and_role(db.session, user_id, council_id)
    if user is not None and council_id is not None:
        remember_council_role(user, role)
    return user


def _within_time_limits() -> bool:
    now = int(time.time())
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN)
    # Only start_session writes these, but the cookie is signed, so a session
    # without them was minted by trusted code (a test helper): start its clock now.
    if not isinstance(signed_in_at, int):
        session[SIGNED_IN_AT] = signed_in_at = now
    if not isinstance(last_seen, int):
        session[LAST_SEEN] = last_seen = now
    if now - signed_in_at > current_app.config["SESSION_ABSOLUTE_TIMEOUT"]:
        return False
    if now - last_seen > current_app.config["SESSION_IDLE_TIMEOUT"]:
        return False
    if now - last_seen >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN] = now
    return True
