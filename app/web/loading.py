"""Loading rows for a view by id, scoped to the current council."""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from sqlalchemy import select

from app.extensions import db
from tenants.resolution import MAX_ID

T = TypeVar("T")


def get_or_404(model: type[T], object_id: int, *, lock_for_share: bool = False) -> T:
    """The row of ``model`` with ``object_id`` in the current council, else 404.

    Goes through ``select`` (so the council filter applies), never
    ``Session.get``, whose identity-map shortcut skips every filter.
    ``lock_for_share`` reads it ``FOR SHARE`` (fresh from the database, and
    locked against changes until the transaction ends).
    """
    if not 0 < object_id <= MAX_ID:
        abort(404)
    query = select(model).where(model.id == object_id)  # type: ignore[attr-defined]
    if lock_for_share:
        query = query.with_for_update(read=True).execution_options(populate_existing=True)
    row = db.session.scalar(query)
    if row is None:
        abort(404)
    return row
