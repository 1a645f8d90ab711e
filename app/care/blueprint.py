"""Routes for care social enterprises, under /c/<council>/care. Routing only: views are in ``views_*.py``.

Every page answers 404 when the council has the care module switched off.
The public: enterprises, their published stories, the moderation policy and
telling a story. Moderators: ``/enterprises/<id>/moderation`` and
``/stories/<id>``. People supported, their carers and staff: ``/people/...``
(support plans), ``/teams/<id>``, ``/survey``. Council officers:
``/manage/...``. An enterprise's register, classes and board elections are
the governance core's pages (``/societies/<society_id>/...``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort

from app.care import views_manage, views_plans, views_public
from app.care.queries import MODULE
from tenants.features import is_module_enabled

bp = Blueprint("care", __name__, url_prefix="/care")

_GET_POST = ("GET", "POST")
_POST = ("POST",)


@bp.before_request
def _module_switched_on() -> None:
    if not is_module_enabled(MODULE):
        abort(404)


def _route(rule: str, endpoint: str, view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))


_ENTERPRISE = "/enterprises/<int:enterprise_id>"
_PERSON = "/people/<int:person_id>"
_MANAGE = "/manage/enterprises/<int:enterprise_id>"

# The public, and moderators
_route("/", "index", views_public.index)
_route(_ENTERPRISE, "enterprise", views_public.enterprise)
_route(f"{_ENTERPRISE}/stories", "stories", views_public.stories)
_route(f"{_ENTERPRISE}/stories/new", "new_story", views_public.new_story, _GET_POST)
_route(f"{_ENTERPRISE}/moderation-policy", "policy", views_public.policy)
_route(f"{_ENTERPRISE}/moderation", "moderation", views_public.moderation)
_route("/stories/<int:story_id>", "story", views_public.story, _GET_POST)

# People supported, their carers, staff teams and plan officers
_route(_PERSON, "person", views_plans.person)
_route(f"{_PERSON}/open", "open_plan", views_plans.open_plan, _POST)
_route(f"{_PERSON}/plan", "plan", views_plans.plan)
_route(f"{_PERSON}/plan/edit", "edit_plan", views_plans.edit_plan, _GET_POST)
_route(f"{_PERSON}/reviews", "add_review", views_plans.add_review, _POST)
_route(f"{_PERSON}/comments", "add_comment", views_plans.add_comment, _POST)
_route("/teams/<int:team_id>", "team", views_plans.team)
_route("/survey", "survey", views_plans.survey, _GET_POST)

# Council officers
_route("/manage", "manage", views_manage.manage, _GET_POST)
_route(_MANAGE, "manage_enterprise", views_manage.manage_enterprise)
_route(f"{_MANAGE}/services", "add_service", views_manage.add_service, _POST)
_route(f"{_MANAGE}/teams", "add_team", views_manage.add_team, _POST)
_route(f"{_MANAGE}/staff", "add_staff", views_manage.add_staff, _POST)
_route(f"{_MANAGE}/people", "add_person", views_manage.add_person, _POST)
_route(f"{_MANAGE}/named", "name_person", views_manage.name_person, _POST)
_route(f"{_MANAGE}/results", "results", views_manage.results)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.care import labels
    from app.voting import timing

    return {
        "format_date": timing.format_date,
        "format_datetime": timing.format_datetime,
        "error_for": labels.error_for,
        "labels": labels,
    }
