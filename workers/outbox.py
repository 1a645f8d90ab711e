"""The outbox dispatcher: Redis may lose jobs, PostgreSQL may not.

Every job is first an ``OutboxJob`` row, committed with the business change.
The after-commit hook usually hands it to RQ at once; this dispatcher, run
every few seconds by the scheduler, catches everything else:

- rows still *pending* after a short grace (Redis was down at commit time);
- rows *dispatched* but not done by their deadline (``due_at``): Redis lost the
  job (a FLUSHALL, a restart without persistence), or the worker running it
  died (``kill -9``, out of memory) and left it "started" in RQ for ever.

Rows are taken with ``FOR UPDATE SKIP LOCKED``, so several schedulers can run
at once, and a job whose wrapper is running right now (it holds its row's lock,
see ``workers.context``) is never re-sent behind its back. Re-sending is always
safe: the wrapper skips a job that is already DONE.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import func as sql
from sqlalchemy import select

from app.extensions import db
from workers.enqueue import OutboxEntry, push_to_rq
from workers.models import OutboxJob, OutboxStatus
from workers.queues import get_redis
from workers.spec import REDISPATCH_GRACE

log = logging.getLogger(__name__)

# RQ states in which a job is still waiting its turn (its retry time, or a busy queue).
_WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


@dataclass
class DispatchReport:
    """What one dispatcher pass did."""

    sent: int = 0  # handed (again) to RQ
    waiting: int = 0  # still queued or scheduled in RQ: deadline pushed back


def dispatch_outbox(now: datetime | None = None, limit: int = 500) -> DispatchReport:
    """Re-send every overdue outbox row to RQ; commits. Needs an app context.

    ``now`` replaces the database clock when deciding what is overdue (tests use
    it to jump past a deadline instead of waiting for it).
    """
    session = db.session
    cutoff = now if now is not None else sql.now()
    rows = session.scalars(
        select(OutboxJob)
        .where(OutboxJob.status.in_([OutboxStatus.PENDING, OutboxStatus.DISPATCHED]), OutboxJob.due_at <= cutoff)
        .order_by(OutboxJob.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    report = DispatchReport()
    try:
        for row in rows:
            entry = OutboxEntry.from_row(row)
            if _still_waiting_in_rq(entry.job_id):
                report.waiting += 1
            else:
                push_to_rq(entry)
                row.dispatched_at = sql.now()
                report.sent += 1
                log.warning("outbox: re-sent job %s (%s) to queue %s", entry.job_id, entry.func_name, entry.queue)
            row.status = OutboxStatus.DISPATCHED
            row.due_at = sql.now() + timedelta(seconds=entry.timeout + REDISPATCH_GRACE)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report


def _still_waiting_in_rq(job_id: str) -> bool:
    """True if RQ holds the job and will run it; otherwise clears what RQ holds so it can be re-sent.

    The row's lock was free, so no worker is inside the job: a job RQ calls
    "started" belongs to a dead worker, and a "finished", "failed" or "stopped"
    one ended without marking the row done. Either way it is deleted (with its
    started-registry entry) and sent afresh under the same id.
    """
    try:
        job = Job.fetch(job_id, connection=get_redis())
    except NoSuchJobError:
        return False
    status = job.get_status(refresh=False)
    if status in _WAITING:
        return True
    log.warning("outbox: job %s is %s in RQ but not done; sending it again", job_id, status)
    job.delete()
    return False
