"""Routes for co-operative trust schools, under /c/<council>/schools. Routing only: views are in ``views_*.py``.

Every page answers 404 when the council has the schools module switched off.
A trust's register, meetings and forum elections are the governance core's
pages (``/societies/<society_id>/...``); these pages link to them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort

from app.schools import views_council, views_schools, views_trusts
from app.schools.queries import MODULE
from tenants.features import is_module_enabled

bp = Blueprint("schools", __name__, url_prefix="/schools")

_GET_POST = ("GET", "POST")
_POST = ("POST",)


@bp.before_request
def _module_switched_on() -> None:
    if not is_module_enabled(MODULE):
        abort(404)


def _route(rule: str, endpoint: str, view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))


_TRUST = "/trusts/<int:society_id>"
_SCHOOL = "/schools/<int:school_id>"

# Anyone; a trust's secretary and committee
_route("/", "index", views_trusts.index)
_route("/trusts/new", "new_trust", views_trusts.new_trust, _GET_POST)
_route(_TRUST, "trust", views_trusts.trust)
_route(f"{_TRUST}/partners", "partners", views_trusts.partners, _GET_POST)
_route(f"{_TRUST}/trustees", "trustees", views_trusts.trustees, _GET_POST)
_route(f"{_TRUST}/trustees/<int:trustee_id>/end", "end_trustee", views_trusts.end_trustee, _POST)

# Schools (officers; a trust's secretary for its schools' self-reviews)
_route("/schools/new", "new_school", views_schools.new_school, _GET_POST)
_route(_SCHOOL, "school", views_schools.school)
_route(f"{_SCHOOL}/edit", "edit_school", views_schools.edit_school, _GET_POST)
_route(f"{_SCHOOL}/ofsted", "ofsted", views_schools.ofsted, _POST)
_route(f"{_SCHOOL}/values", "values_review", views_schools.values_review, _GET_POST)
_route(f"{_SCHOOL}/pipeline", "school_pipeline", views_schools.school_pipeline)
_route(f"{_SCHOOL}/pipeline/join", "join_pipeline", views_schools.join_pipeline, _POST)
_route(f"{_SCHOOL}/pipeline/items/<int:item_id>/tick", "tick_item", views_schools.tick_item, _POST)
_route(f"{_SCHOOL}/pipeline/advance", "advance", views_schools.advance, _POST)

# Council officers
_route("/manage", "manage", views_council.manage)
_route("/pipeline", "pipeline", views_council.pipeline)
_route("/pipeline/target", "target", views_council.target, _GET_POST)
_route("/pairings", "pairings", views_council.pairings)
_route("/pairings/new", "new_pairing", views_council.new_pairing, _GET_POST)
_route("/pairings/<int:pairing_id>", "pairing", views_council.pairing, _GET_POST)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.housing.labels import error_for
    from app.schools import labels
    from app.voting import timing

    return {"format_date": timing.format_date, "error_for": error_for, "labels": labels}
