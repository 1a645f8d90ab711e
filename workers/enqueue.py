"""Enqueue a job after commit, through the Postgres outbox.

``enqueue_after_commit`` writes a ``job_outbox`` row in the caller's transaction,
so the job exists exactly when the business change does: a rollback leaves
neither. Once the transaction commits, an ``after_commit`` hook hands the job to
RQ under its deterministic id and marks the row dispatched. If Redis is down at
that moment, or loses the job later, the outbox dispatcher (``workers.outbox``)
sends it again; the job wrapper (``workers.context``) makes sure its effect
happens once.

Usage, from an operation (flush, never commit; the view commits)::

    enqueue_after_commit(send_vote_receipts, ballot.id, council_id=ballot.council_id)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from redis.exceptions import RedisError
from rq import Callback
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import event, update
from sqlalchemy import func as sql
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db
from workers.models import OutboxJob, OutboxStatus
from workers.queues import QUEUES, get_queue
from workers.spec import (
    FAILURE_TTL,
    PENDING_GRACE,
    REDISPATCH_GRACE,
    RESULT_TTL,
    RetryPolicy,
    check_council_id,
    check_job_args,
    default_job_key,
    rq_job_id,
    spec_of,
)

log = logging.getLogger(__name__)

_PENDING_KEY = "rochdale_outbox_pending"
_UNSET: Any = object()


@dataclass(frozen=True)
class OutboxEntry:
    """Everything needed to hand one outbox row to RQ (mirrors ``OutboxJob``)."""

    job_id: str
    func_name: str
    queue: str
    council_id: int | None
    args: list[Any] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: OutboxJob) -> OutboxEntry:
        return cls(row.job_id, row.func_name, row.queue, row.target_council_id, list(row.args), dict(row.options))

    @property
    def timeout(self) -> int:
        return int(self.options["timeout"])

    @property
    def retry(self) -> RetryPolicy | None:
        return RetryPolicy.from_json(self.options.get("retry"))


def enqueue_after_commit(
    func: Callable[..., Any],
    *args: Any,
    council_id: int | None,
    job_id: str | None = None,
    queue: str | None = None,
    retry: Any = _UNSET,
) -> str:
    """Record ``func(council_id, *args)`` to run once the current transaction commits.

    ``func`` is a ``@council_job`` (``council_id`` required) or a ``@global_job``
    (``council_id=None``). ``args`` are ids and primitives only (``TypeError``
    otherwise). The job id defaults to ``module.func:council_id:args``, so the
    same job enqueued twice, in one transaction or in two, is one job; pass
    ``job_id`` when a genuinely new run with the same arguments is wanted (for
    example, a period key). ``queue`` and ``retry`` override the job's own.

    Returns the RQ job id, which is also the outbox row's key.
    """
    spec = spec_of(func)
    check_council_id(council_id)
    if spec.needs_council and council_id is None:
        raise TypeError(f"{spec.name} is a council job: pass council_id")
    if not spec.needs_council and council_id is not None:
        raise TypeError(f"{spec.name} is a global job: pass council_id=None")
    job_args = check_job_args(args)
    queue_name = queue or spec.queue
    if queue_name not in QUEUES:
        raise ValueError(f"unknown queue {queue_name!r}; queues are {', '.join(QUEUES)}")
    policy = spec.retry if retry is _UNSET else RetryPolicy.coerce(retry)
    entry = OutboxEntry(
        job_id=rq_job_id(job_id or default_job_key(spec, council_id, job_args)),
        func_name=spec.name,
        queue=queue_name,
        council_id=council_id,
        args=job_args,
        options={"timeout": spec.timeout, "retry": policy.as_json() if policy else None},
    )

    session = db.session()
    install_outbox_hooks()
    inserted = session.execute(
        insert(OutboxJob)
        .values(
            job_id=entry.job_id,
            func_name=entry.func_name,
            queue=entry.queue,
            target_council_id=entry.council_id,
            args=entry.args,
            options=entry.options,
            status=OutboxStatus.PENDING,
            due_at=sql.now() + timedelta(seconds=PENDING_GRACE),
        )
        .on_conflict_do_nothing(index_elements=[OutboxJob.job_id])
        .returning(OutboxJob.job_id)
    ).first()
    if inserted is None:
        # Already recorded (earlier in this transaction, or by a committed one):
        # whoever recorded it sends it; a second send would be the duplicate.
        log.info("job %s is already in the outbox; not enqueued again", entry.job_id)
        return entry.job_id
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING_KEY, []).append((entry, transaction))
    return entry.job_id


def push_to_rq(entry: OutboxEntry) -> bool:
    """Hand ``entry`` to RQ under its own id. False if RQ already holds that id.

    Every job gets the same time-to-live settings and a failure callback, so
    none is enqueued without a timeout or a failure record.
    """
    queue = get_queue(entry.queue)
    for _ in range(2):
        try:
            queue.enqueue_call(
                entry.func_name,
                args=[entry.council_id, *entry.args],
                job_id=entry.job_id,
                unique=True,
                timeout=entry.timeout,
                result_ttl=RESULT_TTL,
                failure_ttl=FAILURE_TTL,
                retry=entry.retry.to_rq() if entry.retry else None,
                on_failure=Callback(report_job_failure),
                description=f"{entry.func_name} council={entry.council_id} args={entry.args!r}",
            )
        except DuplicateJobError:
            if not _drop_stale_job(queue, entry.job_id):
                return False
            continue
        return True
    return False


_FINISHED_STATES = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


def _drop_stale_job(queue: Any, job_id: str) -> bool:
    """Delete an RQ job with ``job_id`` that has already ended; True if one was deleted.

    The outbox only sends work that is not done, so an ended RQ job under the
    same id is a leftover (its result is kept for a while) from an earlier
    outbox row with the same deterministic id, e.g. after a database restore.
    Refusing the new job because of it would lose work.
    """
    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return True  # gone meanwhile: try again
    if job.get_status(refresh=False) not in _FINISHED_STATES:
        return False  # genuinely queued, scheduled or running: a true duplicate
    log.info("job %s ended earlier but its outbox row is not done; sending it again", job_id)
    job.delete()
    return True


def mark_dispatched(entries: list[OutboxEntry]) -> None:
    """Record, in its own transaction, that ``entries`` are with RQ, and by when they must be done."""
    if not entries:
        return
    with db.engine.begin() as conn:
        for entry in entries:
            conn.execute(
                update(OutboxJob)
                .where(OutboxJob.job_id == entry.job_id, OutboxJob.status == OutboxStatus.PENDING)
                .values(
                    status=OutboxStatus.DISPATCHED,
                    dispatched_at=sql.now(),
                    due_at=sql.now() + timedelta(seconds=entry.timeout + REDISPATCH_GRACE),
                )
            )


def report_job_failure(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ failure callback: one log line with the job, its function and its council."""
    council_id = job.args[0] if job.args else None
    log.error(
        "job %s (%s) for council %s failed: %s: %s",
        job.id,
        job.func_name,
        council_id,
        getattr(exc_type, "__name__", exc_type),
        exc_value,
    )


# --- session hooks ------------------------------------------------------------


def install_outbox_hooks(session_class: type[Session] = Session) -> None:
    """Listen for commits and rollbacks on every session (idempotent)."""
    if not event.contains(session_class, "after_commit", _send_after_commit):
        event.listen(session_class, "after_commit", _send_after_commit)
        event.listen(session_class, "after_soft_rollback", _drop_rolled_back)
        event.listen(session_class, "after_transaction_end", _drop_on_end)


def _send_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    entries = [entry for entry, _ in pending]
    sent = []
    for entry in entries:
        try:
            push_to_rq(entry)
            sent.append(entry)  # a duplicate is with RQ already: dispatched either way
        except RedisError:
            # The commit stands; the row stays pending and the dispatcher sends it later.
            log.exception("could not hand job %s to Redis; the outbox dispatcher will retry", entry.job_id)
    try:
        mark_dispatched(sent)
    except Exception:
        log.exception("could not mark jobs dispatched; the outbox dispatcher will re-check them")


def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(_PENDING_KEY)
    if not pending:
        return
    kept = [(entry, trans) for entry, trans in pending if not _within(trans, previous_transaction)]
    if kept:
        session.info[_PENDING_KEY] = kept
    else:
        session.info.pop(_PENDING_KEY, None)


def _drop_on_end(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without after_commit taking the jobs
    # (closed or rolled back): its rows are gone, so its jobs must not be sent.
    if transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
