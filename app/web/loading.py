"""Loading rows for a view by id, scoped to the current council."""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from sqlalchemy import select

from app.extensions import db

T = TypeVar("T")

MAX_ID = 2**63 - 1


def get_or_404(model: type[T], object_id: int) -> T:
    """The row of ``model`` with ``object_id`` in the current council, else 404.

    Goes through ``select`` (so the council filter applies), never
    ``Session.get``, whose identity-map shortcut skips every filter.
    """
    if not 0 < object_id <= MAX_ID:
        abort(404)
    row = db.session.scalar(select(model).where(model.id == object_id))  # type: ignore[attr-defined]
    if row is None:
        abort(404)
    return row
