"""Reading data rights requests: a person's own, and the officers' queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.privacy.due_dates import Clock, clock
from app.privacy.models import DataRightsRequest, RequestStatus
from app.voting import timing

COMPLETED_SHOWN = 50


@dataclass(frozen=True)
class QueueRow:
    request: DataRightsRequest
    person: User | None
    clock: Clock


def clock_of(request: DataRightsRequest) -> Clock:
    """The request's clock today (stopped once completed)."""
    return clock(request.due_on, timing.today(), done=request.status is RequestStatus.COMPLETED)


def requests_of(user_id: int) -> list[DataRightsRequest]:
    """A person's requests in this council, newest first."""
    query = (
        select(DataRightsRequest)
        .where(DataRightsRequest.user_id == user_id)
        .order_by(DataRightsRequest.received_on.desc(), DataRightsRequest.id.desc())
    )
    return list(db.session.scalars(query))


def _rows(query) -> list[QueueRow]:
    query = query.add_columns(User).outerjoin(User, User.id == DataRightsRequest.user_id)
    return [QueueRow(request, person, clock_of(request)) for request, person in db.session.execute(query)]


def open_queue() -> list[QueueRow]:
    """Requests waiting for an officer, soonest due first (overdue ones on top)."""
    return _rows(
        select(DataRightsRequest)
        .where(DataRightsRequest.status == RequestStatus.RECEIVED)
        .order_by(DataRightsRequest.due_on, DataRightsRequest.id)
    )


def recently_completed(limit: int = COMPLETED_SHOWN) -> list[QueueRow]:
    """The latest completed requests (downloads and erasures), newest first."""
    return _rows(
        select(DataRightsRequest)
        .where(DataRightsRequest.status == RequestStatus.COMPLETED)
        .order_by(DataRightsRequest.completed_at.desc(), DataRightsRequest.id.desc())
        .limit(limit)
    )


def person(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return db.session.scalar(select(User).where(User.id == user_id))
