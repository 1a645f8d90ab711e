"""What every schools view shares: who is acting, and turning a refused change into messages on a page."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user

from app.extensions import db
from app.housing.forms import summary
from app.schools.operations import SchoolsError

# Errors that belong to no field link to the page's main content.
PAGE = "main-content"


def by() -> Any:
    return current_user._get_current_object()


def refused(exc: SchoolsError, errors: dict[str, Any]) -> int:
    """Roll back, put the refusal's message on its field (or the page), and give the status to answer."""
    db.session.rollback()
    errors[exc.field or PAGE] = exc.message
    return exc.status


def render(template: str, errors: dict[str, Any], status: int = 200, **context: Any):
    """The page with its error summary; a page with errors answers 422 unless a refusal said otherwise."""
    if errors and status == 200:
        status = 422
    return render_template(template, errors=errors, form_errors=summary(errors), **context), status
