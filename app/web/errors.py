"""Error pages in the GOV.UK style for every error a person can meet.

A failure of our own (500) is logged with its traceback; the person sees a
plain apology and never a stack trace or what they submitted.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, Response, g, jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.i18n import gettext as _

logger = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (JSON answers stay English)."""
    return message


TITLES = {
    400: N_("Sorry, there is a problem with your request"),
    403: N_("You do not have permission to see this page"),
    404: N_("Page not found"),
    405: N_("Sorry, that action is not available here"),
    409: N_("Sorry, that conflicts with what is already there"),
    413: N_("The file is too large"),
    429: N_("Too many attempts"),
    500: N_("Sorry, there is a problem with the service"),
    503: N_("Sorry, the service is unavailable"),
}
# How long a person is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _render(code: int, description: str | None = None) -> Response:
    title = TITLES.get(code, N_("Sorry, there is a problem"))
    if _wants_json():
        response = jsonify(error=title, status=code)
    else:
        html = render_template("errors/error.html", code=code, title=_(title), description=description)
        response = make_response(html)
    response.status_code = code
    return response


def _http_error(exc: HTTPException):
    code = exc.code or 500
    if code >= 500:
        return _render(500)
    description = None
    if code in (400, 409, 413) and exc.description and exc.description != type(exc).description:
        description = exc.description
    if code == 413:
        # Whole megabytes: a page's limit includes some room for the form around the file (app.web.uploads).
        limit_mib = (request.max_content_length or 0) // (1024 * 1024)
        description = _(
            "The file must be smaller than %(limit)s MB. Choose a smaller file and try again.", limit=limit_mib
        )
    if code == 400 and getattr(exc, "description", "").startswith("The CSRF"):
        description = _("Your form expired or was sent from somewhere else. Go back, reload the page and try again.")
    response = _render(code, description)
    if code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _database_unavailable(exc: DBAPIError) -> Response:
    """503 with Retry-After when PostgreSQL cannot be reached (restarting, failing over), rendered without it.

    The pool has already dropped the dead connections (SQLAlchemy does on a
    disconnect), so the next request reconnects: no restart of the app.
    """
    logger.warning("Database unavailable on %s %s: %s", request.method, request.path, type(exc.orig).__name__)
    from app.extensions import db, login_manager

    with contextlib.suppress(DBAPIError):
        db.session.rollback()
    g.database_unavailable = True  # the layout then asks the database for nothing (app.web.navigation)
    # The rollback expired the council's and the person's rows, and reading them again needs the
    # database: the page is shown as the platform's, to someone signed out (a 500 otherwise, found
    # by tests/faults/test_database_restart.py).
    g.pop("council", None)
    g._login_user = login_manager.anonymous_user()
    response = _render(
        503,
        _("The service cannot reach its database at the moment. Nothing you sent was saved. Try again in a minute."),
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _is_unavailable(exc: Exception) -> bool:
    """A lost or refused database connection (not a bad query)."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


def _unexpected_error(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    if _is_unavailable(exc):
        return _database_unavailable(exc)
    logger.exception("Unhandled error on %s %s", request.method, request.path)
    from app.extensions import db

    db.session.rollback()  # the page itself must not fail on a broken transaction
    return _render(InternalServerError.code)
