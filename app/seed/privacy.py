"""Demo data rights requests: one resident's download and erasure request, another's extended request.

Idempotent like the rest of the demo seed: a resident who already has a
request gets no new one. The dates are set back so the officers' queue shows a
running clock and an extension.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.privacy.due_dates import due_date
from app.privacy.models import DataRightsRequest, RequestKind, RequestStatus
from app.voting import timing

EXTENSION_REASON = "The resident is on the registers of two co-operatives; each secretary is checking their lines."


def _has_requests(user_id: int) -> bool:
    return db.session.scalar(select(DataRightsRequest.id).where(DataRightsRequest.user_id == user_id)) is not None


def ensure_requests(created: Counter[str], resident_emails: list[str]) -> None:
    """Create the demo requests in the current council if missing (flushes, never commits)."""
    people = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(resident_emails[3:5])))}
    today = timing.today()
    first, second = (people.get(email) for email in resident_emails[3:5])
    if first is not None and not _has_requests(first.id):
        downloaded = today - timedelta(days=24)
        db.session.add_all(
            [
                DataRightsRequest(
                    user_id=first.id,
                    kind=RequestKind.ACCESS,
                    status=RequestStatus.COMPLETED,
                    received_on=downloaded,
                    due_on=due_date(downloaded),
                    completed_at=timing.now() - timedelta(days=24),
                    completed_by_user_id=first.id,
                ),
                DataRightsRequest(
                    user_id=first.id,
                    kind=RequestKind.ERASURE,
                    received_on=today - timedelta(days=20),
                    due_on=due_date(today - timedelta(days=20)),
                ),
            ]
        )
        created["data rights requests"] += 2
    if second is not None and not _has_requests(second.id):
        received = today - timedelta(days=40)
        db.session.add(
            DataRightsRequest(
                user_id=second.id,
                kind=RequestKind.ERASURE,
                received_on=received,
                due_on=due_date(received, 1),
                extension_months=1,
                extension_reason=EXTENSION_REASON,
            )
        )
        created["data rights requests"] += 1
    db.session.flush()
