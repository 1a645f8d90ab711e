"""Routes for a council's billing pages, under /c/<council>/admin/billing. Routing only: views are in ``views.py``.

Every page is for the council's administrators (platform administrators pass too).
"""

from __future__ import annotations

from flask import Blueprint

from app.auth.models import Role
from app.billing import views
from app.web.decorators import role_required

bp = Blueprint("council_billing", __name__, url_prefix="/admin/billing", template_folder="templates")

_admin = role_required(Role.COUNCIL_ADMIN)


@bp.context_processor
def _helpers() -> dict:
    from app.voting import timing

    return {"format_date": timing.format_date}


bp.add_url_rule("/", "index", _admin(views.index))
bp.add_url_rule("/subscribe", "subscribe", _admin(views.subscribe), methods=["GET", "POST"])
bp.add_url_rule("/subscribed", "checkout_done", _admin(views.checkout_done))
bp.add_url_rule("/portal", "portal", _admin(views.portal), methods=["POST"])
