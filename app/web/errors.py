"""Error pages in the GOV.UK style for every error a person can meet.

A failure of our own (500) is logged with its traceback; the person sees a
plain apology and never a stack trace or what they submitted.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

logger = logging.getLogger(__name__)

TITLES = {
    400: "Sorry, there is a problem with your request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Sorry, that action is not available here",
    409: "Sorry, that conflicts with what is already there",
    413: "The file is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _render(code: int, description: str | None = None) -> Response:
    title = TITLES.get(code, "Sorry, there is a problem")
    if _wants_json():
        response = jsonify(error=title, status=code)
    else:
        html = render_template("errors/error.html", code=code, title=title, description=description)
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
        limit_mib = (request.max_content_length or 0) / (1024 * 1024)
        description = f"The file must be smaller than {limit_mib:g} MB. Choose a smaller file and try again."
    if code == 400 and getattr(exc, "description", "").startswith("The CSRF"):
        description = "Your form expired or was sent from somewhere else. Go back, reload the page and try again."
    response = _render(code, description)
    if code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _unexpected_error(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    logger.exception("Unhandled error on %s %s", request.method, request.path)
    from app.extensions import db

    db.session.rollback()  # the page itself must not fail on a broken transaction
    return _render(InternalServerError.code)
