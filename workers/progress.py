"""Progress rows for long, user-visible jobs (imports, exports, tallies).

A view that enqueues such a job calls ``create_run`` in its own transaction, so
the page can show "queued" at once. Inside the job, ``start_run`` marks it
running and ``report_progress`` updates the count; both commit in their own
short transaction on a separate connection, so the page sees progress while
the job's main transaction is still open. ``finish_run`` is written in the
job's main transaction, so "finished" commits together with the job's effect;
``fail_run`` (called by the job wrapper when a job raises) commits on its own,
because the main transaction is being rolled back.

A message for the page (``message=``) is a :class:`~app.i18n.stored.StoredMessage`
(``stored_gettext("Checking the file")``): the job runs in no one's language, so
the row keeps the message id and values as JSON text and the page translates it
with ``shown_message``. A plain ``str`` is kept as it is (older rows, logs-only
text).

Only these helpers should write ``JobRun`` rows: a job's main transaction
writing the same row would block the progress updates behind its lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import func as sql
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.extensions import db
from app.i18n.stored import StoredMessage
from tenants.context import current_council_id
from workers.models import JobRun, JobRunStatus

_current_run: ContextVar[str | None] = ContextVar("rochdale_current_job_run", default=None)
_current_job: ContextVar[str | None] = ContextVar("rochdale_current_job_id", default=None)
MESSAGE_LENGTH = 500


def create_run(job_id: str, kind: str, total: int | None = None) -> JobRun:
    """Add a QUEUED run for ``job_id`` in the current council and transaction (flushes)."""
    run = JobRun(job_id=job_id, kind=kind, total=total, status=JobRunStatus.QUEUED)
    db.session.add(run)
    db.session.flush()
    return run


def start_run(job_id: str | None, kind: str, total: int | None = None) -> None:
    """From inside a job: mark its run RUNNING (creating it if needed), committed at once.

    ``job_id`` defaults to the running job's id. Later ``report_progress``,
    ``finish_run`` and ``fail_run`` calls in this job update this run.
    """
    job_id = job_id or _current_job.get()
    if not job_id:
        raise RuntimeError("start_run needs a job id outside a running job")
    values: dict[str, Any] = {"status": JobRunStatus.RUNNING, "kind": kind, "done": 0, "total": total, "message": None}
    with _own_transaction() as session:
        session.execute(
            insert(JobRun)
            .values(council_id=current_council_id(), job_id=job_id, **values)
            .on_conflict_do_update(
                index_elements=[JobRun.council_id, JobRun.job_id], set_={**values, "updated_at": sql.now()}
            )
        )
    _current_run.set(job_id)


def _kept(message: str | StoredMessage) -> str:
    """The text the row keeps: a stored message as JSON (in English if it would not fit), else the text."""
    if isinstance(message, StoredMessage):
        text = message.to_text()
        return text if len(text) <= MESSAGE_LENGTH else message.english()[:MESSAGE_LENGTH]
    return message[:MESSAGE_LENGTH]


def report_progress(done: int, total: int | None = None, message: str | StoredMessage | None = None) -> None:
    """Record how far the running job has got, committed at once so the UI sees it."""
    values: dict[str, Any] = {"done": done}
    if total is not None:
        values["total"] = total
    if message is not None:
        values["message"] = _kept(message)
    with _own_transaction() as session:
        session.execute(_update_current(values))


def finish_run(message: str | StoredMessage | None = None) -> None:
    """Mark the run FINISHED in the job's own transaction (it commits with the job's effect)."""
    values: dict[str, Any] = {"status": JobRunStatus.FINISHED, "done": sql.coalesce(JobRun.total, JobRun.done)}
    if message is not None:
        values["message"] = _kept(message)
    db.session.execute(_update_current(values))


def fail_run(message: str | StoredMessage) -> None:
    """Mark the run FAILED, committed at once (the job's own transaction is being rolled back)."""
    with _own_transaction() as session:
        session.execute(_update_current({"status": JobRunStatus.FAILED, "message": _kept(message)}))


def has_current_run() -> bool:
    return _current_run.get() is not None


@contextmanager
def job_scope(job_id: str) -> Iterator[None]:
    """Used by the job wrapper: the running job's id, and no run left over from another job."""
    job_token = _current_job.set(job_id)
    run_token = _current_run.set(None)
    try:
        yield
    finally:
        _current_run.reset(run_token)
        _current_job.reset(job_token)


def current_job_id() -> str | None:
    """The id of the job running in this context, if any."""
    return _current_job.get()


def _update_current(values: dict[str, Any]):
    job_id = _current_run.get()
    if job_id is None:
        raise RuntimeError("no job run started: call start_run first")
    return (
        update(JobRun)
        .where(JobRun.council_id == current_council_id(), JobRun.job_id == job_id)
        .values(**values, updated_at=sql.now())
    )


@contextmanager
def _own_transaction() -> Iterator[Session]:
    # A separate connection: committing here must not commit the job's own work.
    with Session(db.engine) as session, session.begin():
        yield session
