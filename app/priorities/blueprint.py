"""Routes for neighbourhood priorities, under /c/<council>/priorities. Routing only: views are in ``views.py``.

Every page answers 404 when the council has the priorities module switched
off. Everyone: the list of exercises and each one's published results.
Officers with the priorities module and council administrators: starting an
exercise from a template.
"""

from __future__ import annotations

from flask import Blueprint, abort

from app.priorities import views
from app.priorities.operations import MODULE
from tenants.features import is_module_enabled

bp = Blueprint("priorities", __name__, url_prefix="/priorities")


@bp.before_request
def _module_switched_on() -> None:
    if not is_module_enabled(MODULE):
        abort(404)


bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/new", "new", views.new_exercise, methods=["GET", "POST"])
bp.add_url_rule("/<int:exercise_id>", "results", views.results)
