"""Starting and ending a signed-in session, and where to go afterwards.

Flask keeps the session in a signed cookie, so the server cannot delete it;
instead the cookie names a ``session_version`` the user loader checks, and
signing in starts from an empty session so nothing from before (a planted
value, an old CSRF token) survives into the signed-in one (ASVS 7.2.4).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, g, session
from flask_login import login_user

from app.auth.models import User

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN = "_last_seen"


def start_session(user: User) -> None:
    """Replace whatever session the browser had with a fresh one for ``user``.

    Remember-me is never offered: the session ends with the browser, and the
    user loader enforces idle and absolute timeouts on top.
    """
    _empty_session()
    login_user(user, remember=False)
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


def end_session() -> None:
    """Forget the signed-in person in this browser (the caller bumps the session version)."""
    _empty_session()


def _empty_session() -> None:
    """Empty the session, and forget the request's CSRF token with it: forms on the answer get a new one."""
    session.clear()
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else ``None`` (no open redirects).

    Only a path starting with one ``/`` is accepted: no scheme, no host, no
    ``//host`` and no backslashes, which some browsers read as slashes.
    """
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
