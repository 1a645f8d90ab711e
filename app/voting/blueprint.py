"""Routes for ballots, under /c/<council>/ballots. Routing only: views are in ``views*.py``.

Residents: the list of ballots, a ballot's page with its paper, casting (with
a check-your-answers step), and checking a receipt. Officers and council
administrators: ``/ballots/manage/...`` to set up, schedule, open and close
ballots. Pages naming a ballot load it first (another council's id is a 404
for everyone), then check who is asking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, url_for

from app.voting import views, views_manage

bp = Blueprint("voting", __name__, url_prefix="/ballots")

_GET_POST = ("GET", "POST")


def _route(rule: str, endpoint: str, view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))


# Residents
_route("/", "index", views.index)
_route("/<int:ballot_id>", "ballot", views.ballot)
_route("/<int:ballot_id>/vote", "vote", views.vote, ("POST",))
_route("/<int:ballot_id>/receipt", "receipt", views.receipt, _GET_POST)
_route("/<int:ballot_id>/receipts.txt", "receipt_list", views.receipt_list)

# Officers and council administrators
_route("/manage", "manage", views_manage.manage)
_route("/manage/new", "new", views_manage.new, _GET_POST)
_route("/manage/<int:ballot_id>", "overview", views_manage.overview)
_route("/manage/<int:ballot_id>/details", "details", views_manage.details, _GET_POST)
_route("/manage/<int:ballot_id>/rules", "rules", views_manage.rules_page, _GET_POST)
_route("/manage/<int:ballot_id>/electorate", "electorate", views_manage.electorate, _GET_POST)
_route("/manage/<int:ballot_id>/window", "window", views_manage.window, _GET_POST)
_route("/manage/<int:ballot_id>/options/new", "add_option", views_manage.add_option, _GET_POST)
_route("/manage/<int:ballot_id>/options/<int:option_id>/edit", "edit_option", views_manage.edit_option, _GET_POST)
_route("/manage/<int:ballot_id>/options/<int:option_id>/remove", "remove_option", views_manage.remove_option, _GET_POST)
_route("/manage/<int:ballot_id>/options/<int:option_id>/move", "move_option", views_manage.move_option, ("POST",))
for _action in views_manage.LIFECYCLE:
    _route(f"/manage/<int:ballot_id>/{_action}", _action, views_manage.lifecycle_view(_action), _GET_POST)


def endpoint_url(endpoint: str, **values: Any) -> str | None:
    """``url_for(endpoint)``, or ``None`` when no such page is registered (pages other packages add)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def choice_pairs(field: Any) -> list[tuple[str, str]]:
    """A WTForms field's choices as ``(value, label)`` pairs, whatever WTForms version built them."""
    return [(c.value, c.label) if hasattr(c, "value") else (c[0], c[1]) for c in field.choices]


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.voting import papers, rules, timing
    from app.voting.electorate import describe

    return {
        "endpoint_url": endpoint_url,
        "choice_pairs": choice_pairs,
        "format_datetime": timing.format_datetime,
        "format_date": timing.format_date,
        "money": papers.money,
        "describe_electorate": describe,
        "kind_labels": rules.KIND_LABELS,
        "method_labels": rules.METHOD_LABELS,
    }
