"""Routes for platform administrators, under /platform.

Routing only: the views are in ``views.py``. Every page needs
``users.is_platform_admin``; anyone else signed in gets 403, and anyone not
signed in is sent to sign in.
"""

from flask import Blueprint

from app.platform import views
from app.web.decorators import platform_admin_required

bp = Blueprint("platform", __name__, url_prefix="/platform")

bp.add_url_rule("/councils", "councils", platform_admin_required(views.councils))
bp.add_url_rule("/councils/new", "new_council", platform_admin_required(views.new_council), methods=["GET", "POST"])
