"""Routes for societies and their registers, under /c/<council>/societies. Routing only: views are in ``views*.py``.

A society's pages answer 404 when the council has switched off the module
for its kind (housing, schools, care). General meetings and elections
register their own blueprints under ``/societies/<society_id>/meetings`` and
``/elections``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from app.governance import views, views_register
from app.voting.blueprint import choice_pairs

bp = Blueprint("governance", __name__, url_prefix="/societies", template_folder="templates")

_GET_POST = ("GET", "POST")


def _route(rule: str, endpoint: str, view: Callable[..., Any], methods: tuple[str, ...] = ("GET",)) -> None:
    bp.add_url_rule(rule, endpoint, view, methods=list(methods))


_society = "/<int:society_id>"
_member = f"{_society}/members/<int:member_id>"

# Societies, their rules, classes and officers
_route("/", "index", views.index)
_route("/new", "new_society", views.new_society, _GET_POST)
_route(_society, "society", views.society)
_route(f"{_society}/edit", "edit_society", views.edit_society, _GET_POST)
_route(f"{_society}/classes", "classes", views.classes)
_route(f"{_society}/classes/new", "add_class", views.add_class, _GET_POST)
_route(f"{_society}/classes/<int:class_id>/edit", "edit_class", views.edit_class, _GET_POST)
_route(f"{_society}/classes/<int:class_id>/move", "move_class", views.move_class, ("POST",))
_route(f"{_society}/officers", "officers", views.officers, _GET_POST)
_route(f"{_society}/officers/<int:officer_id>/remove", "remove_officer", views.remove_officer, ("POST",))

# Joining, and a member's own record
_route(f"{_society}/apply", "apply", views.apply, _GET_POST)
_route(f"{_society}/me", "mine", views.mine)

# The register of members and the share ledger
_route(f"{_society}/register", "register", views_register.register)
_route(f"{_society}/register.csv", "register_csv", views_register.register_csv)
_route(f"{_society}/register.pdf", "register_pdf", views_register.register_pdf)
_route(f"{_society}/applications", "applications", views_register.applications)
_route(f"{_society}/applications/new", "new_application", views_register.new_application, _GET_POST)
_route(_member, "member", views_register.member)
_route(f"{_member}/decide", "decide", views_register.decide, _GET_POST)
_route(f"{_member}/end", "end_membership", views_register.end_membership, _GET_POST)
_route(f"{_member}/consent", "consent", views_register.consent, _GET_POST)
_route(f"{_member}/shares", "shares", views_register.shares, _GET_POST)
_route(f"{_member}/shares/<int:entry_id>/correct", "correct", views_register.correct, _GET_POST)
_route(f"{_society}/shares", "ledger", views_register.ledger)
_route(f"{_society}/shares.csv", "ledger_csv", views_register.ledger_csv)
_route(f"{_society}/shares.pdf", "ledger_pdf", views_register.ledger_pdf)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    from app.governance import exports
    from app.governance.forms import CESSATION_CHOICES, KIND_CHOICES, ROLE_CHOICES, THRESHOLD_CHOICES
    from app.governance.models import MemberStatus, ShareEntryKind
    from app.voting import timing
    from app.voting.papers import money

    return {
        "money": money,
        "format_date": timing.format_date,
        "MemberStatus": MemberStatus,
        "ShareEntryKind": ShareEntryKind,
        "kind_labels": dict(KIND_CHOICES),
        "role_labels": dict(ROLE_CHOICES),
        "threshold_labels": dict(THRESHOLD_CHOICES),
        "cessation_labels": dict(CESSATION_CHOICES),
        "cessation_label": exports.cessation_label,
        "entry_label": exports.kind_label,
        "radio_items": radio_items,
        "date_items": date_items,
    }


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


def date_items(field: Any) -> list[dict[str, Any]]:
    """A :class:`~app.governance.forms.DateField`'s three boxes as GOV.UK date-input items."""
    from app.i18n import gettext as _

    error = " govuk-input--error" if field.errors else ""
    return [
        {"name": "day", "label": _("Day"), "classes": "govuk-input--width-2" + error, "value": field.parts["day"]},
        {
            "name": "month",
            "label": _("Month"),
            "classes": "govuk-input--width-2" + error,
            "value": field.parts["month"],
        },
        {"name": "year", "label": _("Year"), "classes": "govuk-input--width-4" + error, "value": field.parts["year"]},
    ]
