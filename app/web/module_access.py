"""Who may run a council module's pages: its officers (and council and platform administrators)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.extensions import login_manager
from app.voting import queries as voting_queries


def signed_in() -> None:
    """Send someone who is not signed in to the sign-in page."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def is_module_officer(module: str) -> bool:
    """A council officer with ``module``, a council administrator or a platform administrator."""
    return voting_queries.can_manage(module=module)


def require_module_officer(module: str) -> None:
    """Sign-in page when signed out; 403 unless :func:`is_module_officer`."""
    signed_in()
    if not is_module_officer(module):
        abort(403)
