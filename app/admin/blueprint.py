"""Routes for council administrators, under /c/<council>/admin.

Routing only: the views are in ``views.py``. Every page is for the council's
administrators (platform administrators pass too); anyone not signed in is
sent to sign in. Pages without an id check the role first: officers and
residents get 403. Pages naming an object load it first, then check
("load, then check"): an id that is not this council's is a 404 for
everyone, exactly like one that exists nowhere, and only then is the role
checked (``views.require_council_admin``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint
from flask_login import current_user

from app.admin import views
from app.auth.models import Role
from app.extensions import login_manager
from app.web.decorators import role_required

bp = Blueprint("council_admin", __name__, url_prefix="/admin")

_GET_POST = ("GET", "POST")


def _signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anonymous people to sign in; the view loads its object, then checks the role."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


def _page(rule: str, endpoint: str, view: Callable[..., Any], methods=("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, role_required(Role.COUNCIL_ADMIN)(view), methods=list(methods))


def _object_page(rule: str, endpoint: str, view: Callable[..., Any], methods=("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, _signed_in(view), methods=list(methods))


_page("/", "index", views.index)
_page("/modules", "modules", views.modules, _GET_POST)
_page("/neighbourhoods", "neighbourhoods", views.neighbourhoods)
_page("/neighbourhoods/new", "add_neighbourhood", views.add_neighbourhood, _GET_POST)
_page("/neighbourhoods/import", "import_neighbourhoods", views.import_neighbourhoods, _GET_POST)
_page("/neighbourhoods/template.csv", "neighbourhood_template", views.neighbourhood_template)
_page("/officers", "officers", views.officers)
_page("/officers/invite", "invite_officer", views.invite_officer, _GET_POST)
_object_page("/neighbourhoods/<int:neighbourhood_id>/edit", "edit_neighbourhood", views.edit_neighbourhood, _GET_POST)
_object_page(
    "/neighbourhoods/<int:neighbourhood_id>/delete", "delete_neighbourhood", views.delete_neighbourhood, _GET_POST
)
_object_page("/officers/<int:role_id>/edit", "edit_officer", views.edit_officer, _GET_POST)
_object_page("/officers/<int:role_id>/remove", "remove_officer", views.remove_officer, _GET_POST)
_object_page("/invitations/<int:invitation_id>/revoke", "revoke_invitation", views.revoke_invitation, _GET_POST)
