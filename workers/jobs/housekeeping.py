"""Housekeeping: periodic purges of credentials nobody can use any more.

Both jobs are idempotent (a second run finds nothing to delete) and run on the
``periodic`` queue, fanned out by the scheduler (``workers.periodic``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, or_

from app.auth.models import Invitation, PasswordResetToken
from app.extensions import db
from workers.context import council_job, global_job
from workers.queues import PERIODIC

# Unaccepted invitations are kept this long after they were sent, so an officer
# can still see "invited, never accepted" for a while before it disappears.
INVITATION_RETENTION = timedelta(days=30)


@global_job(queue=PERIODIC, timeout=120)
def purge_expired_password_resets() -> int:
    """Delete password-reset tokens that have expired or been used; returns how many."""
    result = db.session.execute(
        delete(PasswordResetToken).where(
            or_(PasswordResetToken.expires_at < func.now(), PasswordResetToken.used_at.is_not(None))
        )
    )
    return result.rowcount


@council_job(queue=PERIODIC, timeout=120)
def purge_stale_invitations() -> int:
    """Delete this council's invitations that were never accepted, have expired, and are over 30 days old."""
    result = db.session.execute(
        delete(Invitation).where(
            Invitation.accepted_at.is_(None),
            Invitation.expires_at < func.now(),
            Invitation.created_at < func.now() - INVITATION_RETENTION,
        )
    )
    return result.rowcount
