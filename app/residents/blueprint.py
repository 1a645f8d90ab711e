"""Routes for the register of eligible residents and the postcode lookup, under /c/<council>/admin/register.

For the council's officers and administrators (platform administrators pass
too); residents get 403, anyone not signed in is sent to sign in. Upload pages
allow a larger request than the app's default, up to the file limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint
from flask_login import current_user

from app.extensions import login_manager
from app.residents import letter_views, views
from app.residents.imports import MAX_BYTES
from app.residents.models import ImportKind
from app.web.decorators import role_required
from app.web.uploads import allow_larger_uploads

bp = Blueprint("residents_admin", __name__, url_prefix="/admin/register")

_GET_POST = ("GET", "POST")
_UPLOAD_LIMITS = {
    "residents_admin.import_register": MAX_BYTES[ImportKind.REGISTER],
    "residents_admin.import_postcodes": MAX_BYTES[ImportKind.POSTCODES],
}
allow_larger_uploads(bp, _UPLOAD_LIMITS)


def _signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


def _page(rule: str, endpoint: str, view: Callable[..., Any], methods=("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, role_required(*views.STAFF)(view), methods=list(methods))


_page("/", "register", views.register)
_page("/import", "import_register", views.import_register, _GET_POST)
_page("/template.csv", "register_template", views.register_template)
_page("/postcodes", "postcodes", views.postcodes)
_page("/postcodes/import", "import_postcodes", views.import_postcodes, _GET_POST)
_page("/postcodes/template.csv", "postcode_template", views.postcode_template)
bp.add_url_rule("/imports/<int:import_id>", "import_status", _signed_in(views.import_status))
_page("/letters", "letters", letter_views.letters, _GET_POST)
# Pages with an id: the view loads the row (404) before it checks the role (403).
bp.add_url_rule("/letters/<int:run_id>", "letter_run", _signed_in(letter_views.letter_run))
bp.add_url_rule("/letters/<int:run_id>/letters.pdf", "letter_pdf", _signed_in(letter_views.letter_pdf))
bp.add_url_rule("/letters/<int:run_id>/mailmerge.csv", "letter_csv", _signed_in(letter_views.letter_csv))
bp.add_url_rule(
    "/letters/<int:run_id>/delete-files",
    "delete_letter_files",
    _signed_in(letter_views.delete_letter_files),
    methods=["POST"],
)
_page("/residents", "residents", letter_views.residents)
bp.add_url_rule(
    "/residents/<int:user_id>/verify", "verify_resident", _signed_in(letter_views.verify_resident), methods=_GET_POST
)
bp.add_url_rule(
    "/residents/<int:user_id>/consent", "paper_consent", _signed_in(letter_views.paper_consent), methods=_GET_POST
)
