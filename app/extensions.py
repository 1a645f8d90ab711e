"""Flask extensions, created unbound so that ``create_app`` can bind them."""

from collections.abc import Callable
from typing import Any

from flask import current_app, g, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_qualified_name, get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()


class _LoginManager(LoginManager):
    """Flask-Login's manager, without rewriting the cookie of someone signed out on every request.

    With ``strong`` session protection, Flask-Login takes any non-empty session
    that lacks its ``_id`` mark as stolen, clears its keys and asks for the
    remember cookie to be deleted. Only signing in writes ``_id``, so a
    signed-out session holding anything (a CSRF token, the code from a letter
    waiting for the account to be made) "failed" on every request that looked
    at ``current_user``, and every answer carried a new session cookie built
    from the cookie its request came with. When a browser has two requests in
    flight (a page and a stylesheet still loading from the page before), the
    answer that arrives last wins, and a value the other had just set (the
    letter's code) is lost. A session with no one signed in has nothing to
    protect, so it is left alone; a signed-in one is checked as before.
    """

    def _session_protection_failed(self) -> bool:
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()


login_manager = _LoginManager()


class _CSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, reusing a request's checked token for the forms on its answer.

    Tokens have no time limit here (``WTF_CSRF_TIME_LIMIT`` is ``None``): a
    token is good for as long as its session, so the one this request was
    just checked against is as good as a new one for the same session, and
    the page answering a POST (a vote's receipt) need not sign a new one for
    its footer's form. Signing one was about 3% of a vote. With a time limit
    set, every page signs a fresh token, as Flask-WTF does. A session started
    afresh in the request drops it (``app.auth.sessions``).
    """

    def protect(self, apply_exemptions: bool = False) -> None:
        super().protect(apply_exemptions)
        if not g.get("csrf_valid") or current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
            return
        field = current_app.config["WTF_CSRF_FIELD_NAME"]
        if field not in g:
            token = self._get_csrf_token()
            if token:
                setattr(g, field, token)  # where generate_csrf keeps the request's token


csrf = _CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window")

# The views that carry a rate limit, by Flask-Limiter's qualified name for them (see ``rate_limit``).
LIMITED_VIEWS: set[str] = set()


def rate_limit(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``limiter.limit(...)`` for a view, noting the view as limited: use this, not ``limiter.limit``.

    There are no default limits, so a request to any other view has none to
    check; :func:`_without_limits` lets those skip Flask-Limiter's per-request
    work (resolving an empty list of limits was about 3% of a vote's time).
    tests/auth/test_throttling.py checks that every view Flask-Limiter limits is noted here.
    """
    decorate = limiter.limit(*args, **kwargs)

    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        LIMITED_VIEWS.add(get_qualified_name(view))
        return decorate(view)

    return wrap


@limiter.request_filter
def _without_limits() -> bool:
    """True (exempt the request) when its view carries no limit and no default or application limits are set."""
    config = current_app.config
    if config.get("RATELIMIT_DEFAULT") or config.get("RATELIMIT_APPLICATION"):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return view is None or get_qualified_name(view) not in LIMITED_VIEWS
