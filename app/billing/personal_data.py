"""Billing holds a person only as the administrator who asked to subscribe (``app.privacy.registry``)."""

from __future__ import annotations

from typing import Any

from app.billing.models import SubscriptionRequest
from app.privacy.records import actions_as_officer


def export_for_user(user_id: int) -> dict[str, Any]:
    """Subscription requests made as the council's administrator."""
    return {"as_officer": actions_as_officer(user_id, SubscriptionRequest.requested_by_id)}


def erase_for_user(user_id: int) -> None:
    """Nothing to remove: who asked to subscribe is the council's record of its administrators' work."""
