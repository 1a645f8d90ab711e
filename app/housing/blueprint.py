"""Routes for housing co-operatives, under /c/<council>/housing. Routing only: views are in ``views_*.py``.

Every page answers 404 when the council has the housing module switched off.
Tenants: their home and the co-op's offer, repairs, surveys, the transfer
ballot's outcome. Council officers: ``/housing/manage/...``. A housing
co-op's committee: ``/housing/coops/<society_id>/...``. Repair actions and
survey results are for whoever runs the home's estate (an officer or its
co-op's committee).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort

from app.housing import views_manage, views_repairs, views_tenant, views_votes
from app.housing.photos import MAX_BYTES as MAX_PHOTO_BYTES
from app.housing.photos import MAX_PHOTOS
from app.housing.queries import MODULE
from app.web.uploads import allow_larger_uploads
from tenants.features import is_module_enabled

bp = Blueprint("housing", __name__, url_prefix="/housing")

_GET_POST = ("GET", "POST")
_POST = ("POST",)
# The repair form takes up to three photos of 5 MB each, more than the app-wide request limit.
allow_larger_uploads(bp, {"housing.new_repair": MAX_PHOTOS * MAX_PHOTO_BYTES})


@bp.before_request
def _module_switched_on() -> None:
    if not is_module_enabled(MODULE):
        abort(404)


def _route(rule: str, endpoint: str, view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))


# Tenants
_route("/", "index", views_tenant.index)
_route("/offers/<int:tenant_id>/accept", "accept_offer", views_tenant.accept_offer, _POST)
_route("/offers/<int:tenant_id>/decline", "decline_offer", views_tenant.decline_offer, _POST)
_route("/repairs/new", "new_repair", views_tenant.new_repair, _GET_POST)
_route("/repairs/<int:repair_id>", "repair", views_tenant.repair_page)
_route("/repairs/<int:repair_id>/satisfaction", "rate_repair", views_tenant.rate_repair, _POST)
_route("/repairs/<int:repair_id>/photos/<int:photo_id>", "photo", views_tenant.photo)
_route("/surveys/<int:survey_id>", "survey", views_tenant.survey, _GET_POST)
_route("/transfer/<int:transfer_id>", "transfer", views_tenant.transfer_page)

# Whoever runs the home's estate (officers, or its co-op's committee)
_route("/repairs/<int:repair_id>/assign", "assign", views_repairs.assign, _POST)
_route("/repairs/<int:repair_id>/start", "start", views_repairs.start, _POST)
_route("/repairs/<int:repair_id>/complete", "complete", views_repairs.complete, _POST)
_route("/repairs/<int:repair_id>/cancel", "cancel", views_repairs.cancel, _POST)
_route("/surveys/<int:survey_id>/open", "open_survey", views_votes.open_survey, _POST)
_route("/surveys/<int:survey_id>/close", "close_survey", views_votes.close_survey, _POST)
_route("/surveys/<int:survey_id>/results", "survey_results", views_votes.survey_results)

# Council officers
_route("/manage", "manage", views_manage.manage)
_route("/manage/estates/new", "new_estate", views_manage.new_estate, _GET_POST)
_route("/manage/estates/<int:estate_id>", "estate", views_manage.estate)
_route("/manage/estates/<int:estate_id>/edit", "edit_estate", views_manage.edit_estate, _GET_POST)
_route("/manage/estates/<int:estate_id>/blocks", "add_block", views_manage.add_block, _POST)
_route("/manage/estates/<int:estate_id>/homes/new", "new_home", views_manage.new_home, _GET_POST)
_route("/manage/estates/<int:estate_id>/import", "import_homes", views_manage.import_homes, _GET_POST)
_route("/manage/homes/<int:home_id>", "home", views_manage.home)
_route("/manage/homes/<int:home_id>/edit", "edit_home", views_manage.edit_home, _GET_POST)
_route("/manage/homes/<int:home_id>/tenancies", "start_tenancy", views_manage.start_tenancy, _POST)
_route("/manage/homes/<int:home_id>/tenancies/<int:tenancy_id>/end", "end_tenancy", views_manage.end_tenancy, _POST)
_route("/manage/repairs", "queue", views_repairs.queue)
_route("/manage/targets", "council_targets", views_repairs.council_targets, _GET_POST)
_route("/manage/contractors", "council_contractors", views_repairs.council_contractors, _GET_POST)
_route("/manage/surveys", "council_surveys", views_votes.council_surveys, _GET_POST)
_route("/manage/transfer", "transfer_list", views_votes.transfer_list)
_route("/manage/transfer/new", "new_transfer", views_votes.new_transfer, _GET_POST)

# A housing co-op's committee
_route("/coops/<int:society_id>", "coop", views_repairs.coop)
_route("/coops/<int:society_id>/targets", "coop_targets", views_repairs.coop_targets, _GET_POST)
_route("/coops/<int:society_id>/contractors", "coop_contractors", views_repairs.coop_contractors, _GET_POST)
_route("/coops/<int:society_id>/surveys", "coop_surveys", views_votes.coop_surveys, _GET_POST)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.housing import labels
    from app.voting import timing

    return {
        "format_date": timing.format_date,
        "format_datetime": timing.format_datetime,
        "error_for": labels.error_for,
        "labels": labels,
        "clock_of": labels.clock_of,
    }
