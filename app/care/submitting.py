"""Running a care operation from a form: commit what it did, or roll back and say what was wrong, by field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.care.operations import GovernanceError, field_errors
from app.extensions import db


@dataclass
class Outcome:
    """What became of a form's operation: its result, or (refused) its messages by field and the status to answer."""

    result: Any = None
    refused: bool = False
    errors: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def submit(operation: Callable[[], Any], default_field: str) -> Outcome:
    """Run ``operation`` and commit; on a refusal, roll back and keep its messages by field.

    A message that names no field goes on ``default_field``.
    """
    try:
        result = operation()
    except GovernanceError as exc:
        db.session.rollback()
        return Outcome(refused=True, errors=field_errors(exc, default_field), status=exc.status)
    db.session.commit()
    return Outcome(result=result)
