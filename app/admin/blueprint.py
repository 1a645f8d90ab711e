"""Routes for council administrators, under /c/<council>/admin.

Routing only: the views are in ``views.py``. Every page needs the council
administrator role here (platform administrators pass too); officers and
residents get 403, and anyone not signed in is sent to sign in.
"""

from flask import Blueprint

from app.admin import views
from app.auth.models import Role
from app.web.decorators import role_required

bp = Blueprint("council_admin", __name__, url_prefix="/admin")

_admin_only = role_required(Role.COUNCIL_ADMIN)
_GET_POST = ("GET", "POST")


def _route(rule: str, endpoint: str, view, methods=("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, _admin_only(view), methods=list(methods))


_route("/", "index", views.index)
_route("/modules", "modules", views.modules, _GET_POST)
_route("/neighbourhoods", "neighbourhoods", views.neighbourhoods)
_route("/neighbourhoods/new", "add_neighbourhood", views.add_neighbourhood, _GET_POST)
_route("/neighbourhoods/<int:neighbourhood_id>/edit", "edit_neighbourhood", views.edit_neighbourhood, _GET_POST)
_route("/neighbourhoods/<int:neighbourhood_id>/delete", "delete_neighbourhood", views.delete_neighbourhood, _GET_POST)
_route("/neighbourhoods/import", "import_neighbourhoods", views.import_neighbourhoods, _GET_POST)
_route("/neighbourhoods/template.csv", "neighbourhood_template", views.neighbourhood_template)
_route("/officers", "officers", views.officers)
_route("/officers/invite", "invite_officer", views.invite_officer, _GET_POST)
_route("/officers/<int:role_id>/edit", "edit_officer", views.edit_officer, _GET_POST)
_route("/officers/<int:role_id>/remove", "remove_officer", views.remove_officer, _GET_POST)
_route("/invitations/<int:invitation_id>/revoke", "revoke_invitation", views.revoke_invitation, _GET_POST)
