"""Reading a person's rows for a copy of their data: shared by every module's ``personal_data``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import InstrumentedAttribute

from app.extensions import db

# Never part of a person's copy: the tenant key, and secrets that are ours, not theirs.
ALWAYS_SKIPPED = frozenset({"council_id"})


def record(row: Any, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Every column of ``row`` by attribute key, except ``council_id`` and ``skip``."""
    left_out = ALWAYS_SKIPPED | set(skip)
    return {attr.key: getattr(row, attr.key) for attr in row.__mapper__.column_attrs if attr.key not in left_out}


def records(rows: Iterable[Any], *, skip: Iterable[str] = ()) -> list[dict[str, Any]]:
    return [record(row, skip=skip) for row in rows]


def rows_where(column: InstrumentedAttribute, values: int | Sequence[int]) -> list[Any]:
    """The rows of ``column``'s model whose ``column`` is ``values`` (one id or several), oldest first."""
    model = column.class_
    condition = column.in_(values) if isinstance(values, list | tuple) else column == values
    return list(db.session.scalars(select(model).where(condition).order_by(model.id)))


def actions_as_officer(user_id: int, *columns: InstrumentedAttribute) -> list[dict[str, Any]]:
    """Rows the person is named on as the one who did something (recorded, decided, entered…).

    Only the reference (which record, in what capacity, when) is given: the
    rows themselves are about other people, whose data is not the requester's.
    """
    found = []
    for column in columns:
        model = column.class_
        when = getattr(model, "created_at", None)
        fields = [model.id] if when is None else [model.id, when]
        for row in db.session.execute(select(*fields).where(column == user_id).order_by(model.id)):
            found.append(
                {
                    "record": model.__tablename__,
                    "id": row[0],
                    "as": column.key,
                    "at": row[1] if when is not None else None,
                }
            )
    return found
