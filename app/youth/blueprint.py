"""Routes for youth service choices, under /c/<council>/youth. Routing only: views are in ``views*.py``.

Every page answers 404 when the council has the youth module switched off,
as if it did not exist. Residents: rounds, a neighbourhood's page in a round,
proposing a service and their own proposals. Officers with the youth module
and council administrators: ``/youth/manage/...``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort

from app.extensions import csrf
from app.voting.blueprint import choice_pairs
from app.youth import views, views_delivery, views_manage, views_results
from app.youth.queries import MODULE
from tenants.features import is_module_enabled

bp = Blueprint("youth", __name__, url_prefix="/youth")

_GET_POST = ("GET", "POST")


@bp.before_request
def _module_switched_on() -> None:
    if not is_module_enabled(MODULE):
        abort(404)


def _route(rule: str, endpoint: str, view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))


# Residents
_route("/", "index", views.index)
_route("/mine", "mine", views.mine)
_route("/<int:round_id>", "round", views.round_page)
_route("/<int:round_id>/neighbourhoods/<int:neighbourhood_id>", "neighbourhood", views.neighbourhood_page)
_route("/<int:round_id>/propose", "propose", views.propose, _GET_POST)
_neighbourhood = "/<int:round_id>/neighbourhoods/<int:neighbourhood_id>"
_route(f"{_neighbourhood}/results", "results", views_results.results)
_route(f"{_neighbourhood}/progress", "progress", views_results.progress)
_route("/unsubscribe/<token>", "unsubscribe", csrf.exempt(views_results.unsubscribe), methods=("GET", "POST"))

# Officers and council administrators
_route("/manage", "manage", views_manage.manage)
_route("/manage/new", "new_round", views_manage.new_round, _GET_POST)
_route("/manage/providers", "providers", views_manage.providers)
_route("/manage/providers/new", "add_provider", views_manage.add_provider, _GET_POST)
_route("/manage/providers/<int:provider_id>/edit", "edit_provider", views_manage.edit_provider, _GET_POST)
_route("/manage/<int:round_id>", "overview", views_manage.overview)
_route("/manage/<int:round_id>/edit", "edit_round", views_manage.edit_round, _GET_POST)
_route("/manage/<int:round_id>/budgets", "budgets", views_manage.budgets, _GET_POST)
_route("/manage/<int:round_id>/services/new", "add_service", views_manage.add_service, _GET_POST)
_route("/manage/<int:round_id>/services/<int:service_id>/edit", "edit_service", views_manage.edit_service, _GET_POST)
_route("/manage/<int:round_id>/proposals", "proposals", views_manage.proposals)
_route("/manage/<int:round_id>/proposals/<int:proposal_id>", "review", views_manage.review, _GET_POST)
_route("/manage/<int:round_id>/voting", "open_voting", views_delivery.open_voting, _GET_POST)
_route("/manage/<int:round_id>/announce-results", "announce", views_delivery.announce, ("POST",))
_route("/manage/<int:round_id>/announce-phase", "announce_phase", views_delivery.announce_phase, ("POST",))
_route("/manage/<int:round_id>/delivery", "deliveries", views_delivery.deliveries)
_manage_commission = "/manage/<int:round_id>/delivery/<int:commission_id>"
_route(
    "/manage/<int:round_id>/delivery/commission/<int:proposal_id>", "commission", views_delivery.commission, ("POST",)
)
_route(_manage_commission, "commission_page", views_delivery.commission_page)
_route(f"{_manage_commission}/status", "change_status", views_delivery.change_status, ("POST",))
_route(f"{_manage_commission}/sessions", "record_sessions", views_delivery.record_sessions, ("POST",))


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.voting import timing
    from app.voting.papers import money
    from app.youth.models import Phase, ProposalStatus
    from app.youth.operations import phase_of
    from app.youth.phases import PHASE_LABELS, PHASE_STARTS

    return {
        "money": money,
        "format_date": timing.format_date,
        "phase_of": phase_of,
        "Phase": Phase,
        "ProposalStatus": ProposalStatus,
        "phase_labels": PHASE_LABELS,
        "phase_starts": PHASE_STARTS,
        "select_items": select_items,
        "radio_items": radio_items,
    }


def select_items(field: Any) -> list[dict[str, Any]]:
    """A WTForms select field's choices as GOV.UK select items, the current value selected."""
    current = str(field.data or "")
    return [{"value": value, "text": label, "selected": value == current} for value, label in choice_pairs(field)]


def radio_items(field: Any, hints: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """A WTForms radio field's choices as GOV.UK radio items, the current value checked."""
    current = str(field.data or "")
    hints = hints or {}
    return [
        {
            "value": value,
            "text": label,
            "checked": value == current,
            "hint": {"text": hints[value]} if value in hints else None,
        }
        for value, label in choice_pairs(field)
    ]
