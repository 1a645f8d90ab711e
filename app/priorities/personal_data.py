"""Priorities exercises hold a person only as the officer who created one (``app.privacy.registry``)."""

from __future__ import annotations

from typing import Any

from app.priorities.models import PrioritiesExercise
from app.privacy.records import actions_as_officer


def export_for_user(user_id: int) -> dict[str, Any]:
    """Exercises created as an officer."""
    return {"as_officer": actions_as_officer(user_id, PrioritiesExercise.created_by_id)}


def erase_for_user(user_id: int) -> None:
    """Nothing to remove: who created an exercise is the council's record of its officers' work."""
