"""``@council_job`` and ``@global_job``: how a job body runs inside a worker.

The wrapper gives the body everything a request would have, and makes a run's
effect happen once however often RQ delivers it:

1. push an app context (the worker's app, built once per process by
   ``workers.runner``) and enter ``council_context(council_id)``; a council job
   with no council is refused;
2. count the attempt in its own short transaction (so a run killed mid-way
   still shows up), then lock the outbox row (``SELECT ... FOR UPDATE``) and
   skip if it is already DONE: a duplicate delivery waits for the first run's
   lock and then finds nothing to do;
3. run the body, mark the outbox row DONE in the *same* transaction as the
   body's writes, commit;
4. on an exception, roll back, record the error (and whether RQ will retry) on
   the outbox row, and re-raise so RQ applies the job's retry policy;
5. always remove the session.

Job bodies write through operations (flush, never commit): the wrapper commits.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from rq import get_current_job
from sqlalchemy import func, select, update

from app.extensions import db
from app.i18n.stored import stored_gettext
from tenants.context import NoCouncilError, council_context
from workers import progress
from workers.models import OutboxJob, OutboxStatus
from workers.queues import DEFAULT
from workers.spec import (
    DEFAULT_TIMEOUT,
    MAX_ATTEMPTS,
    REDISPATCH_GRACE,
    JobSpec,
    RetryPolicy,
    check_council_id,
    default_job_key,
    rq_job_id,
)

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

_worker_app: Flask | None = None


def set_worker_app(app: Flask | None) -> None:
    """Make ``app`` the one every job in this process runs in (``workers.runner`` calls this)."""
    global _worker_app
    _worker_app = app


def worker_app() -> Flask:
    """The app jobs run in: the runner's, else the current one, else one built now (once)."""
    global _worker_app
    if _worker_app is not None:
        return _worker_app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    # A bare `rq worker` started without our runner: build the app on first use, never at import.
    from app import create_app

    _worker_app = create_app()
    return _worker_app


def council_job(
    queue: str = DEFAULT, timeout: int = DEFAULT_TIMEOUT, retry: RetryPolicy | Any | None = None
) -> Callable[[F], F]:
    """Declare a job that acts for one council: called as ``job(council_id, *ids)``.

    ``retry`` (a ``RetryPolicy`` or ``rq.Retry``) is for jobs that touch the
    outside world; use ``workers.spec.EXTERNAL_RETRY``.
    """
    return _job_decorator(queue, timeout, retry, needs_council=True)


def global_job(
    queue: str = DEFAULT, timeout: int = DEFAULT_TIMEOUT, retry: RetryPolicy | Any | None = None
) -> Callable[[F], F]:
    """Declare a job that belongs to no council (password-reset emails, housekeeping).

    It is still called with a first argument, always ``None``, so every job has
    the same shape; it runs with no council set, so council tables are invisible.
    """
    return _job_decorator(queue, timeout, retry, needs_council=False)


def _job_decorator(queue: str, timeout: int, retry: Any, *, needs_council: bool) -> Callable[[F], F]:
    policy = RetryPolicy.coerce(retry)

    def decorate(body: F) -> F:
        if "<locals>" in body.__qualname__ or "." in body.__qualname__:
            raise TypeError(f"{body.__qualname__}: jobs must be module-level functions (RQ imports them by name)")
        spec = JobSpec(
            name=f"{body.__module__}.{body.__qualname__}",
            queue=queue,
            timeout=timeout,
            retry=policy,
            needs_council=needs_council,
        )

        @functools.wraps(body)
        def run(council_id: int | None, *args: Any) -> Any:
            return run_job(spec, body, council_id, args)

        run.job_spec = spec  # type: ignore[attr-defined]
        run.body = body  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate


def run_job(spec: JobSpec, body: Callable[..., Any], council_id: int | None, args: tuple[Any, ...]) -> Any:
    """Run one delivery of a job (see the module docstring for the steps)."""
    check_council_id(council_id)
    if spec.needs_council and council_id is None:
        raise NoCouncilError(f"{spec.name} is a council job and was run with no council")
    if not spec.needs_council and council_id is not None:
        raise TypeError(f"{spec.name} is a global job and was run for council {council_id}")
    rq_job = get_current_job()
    job_id = rq_job.id if rq_job is not None else rq_job_id(default_job_key(spec, council_id, list(args)))

    with worker_app().app_context(), council_context(council_id), progress.job_scope(job_id):
        session = db.session
        try:
            attempt = _claim(job_id, spec)
            if attempt is None:
                return None
            status = session.execute(
                select(OutboxJob.status).where(OutboxJob.job_id == job_id).with_for_update()
            ).scalar_one_or_none()
            if status is None or status is OutboxStatus.DONE:
                # Another delivery finished it while we waited for the lock.
                session.rollback()
                log.info("job %s already done; skipped", job_id)
                return None
            log.info("running %s (attempt %d)", spec.name, attempt)
            result = body(*args)
            session.execute(
                update(OutboxJob)
                .where(OutboxJob.job_id == job_id)
                .values(status=OutboxStatus.DONE, completed_at=func.now(), last_error=None)
            )
            session.commit()
            log.info("finished %s", spec.name)
            return result
        except Exception as exc:
            session.rollback()
            _record_failure(job_id, spec, exc, rq_job)
            if progress.has_current_run():
                _fail_run(exc)
            raise
        finally:
            db.session.remove()


def _claim(job_id: str, spec: JobSpec) -> int | None:
    """Count this attempt (committed at once) and return its number; None when there is nothing to run."""
    session = db.session
    attempts = session.execute(
        update(OutboxJob)
        .where(OutboxJob.job_id == job_id, OutboxJob.status != OutboxStatus.DONE)
        .values(attempts=OutboxJob.attempts + 1)
        .returning(OutboxJob.attempts)
    ).scalar_one_or_none()
    if attempts is None:
        session.rollback()
        # Done already, or never committed (its transaction rolled back after a
        # savepoint sent it): either way there is no work.
        log.info("job %s has no pending outbox row (done, or never committed); skipped", job_id)
        return None
    if attempts > MAX_ATTEMPTS:
        session.execute(
            update(OutboxJob)
            .where(OutboxJob.job_id == job_id)
            .values(status=OutboxStatus.FAILED, last_error=f"gave up after {MAX_ATTEMPTS} attempts")
        )
        session.commit()
        log.error("job %s (%s) gave up after %d attempts", job_id, spec.name, MAX_ATTEMPTS)
        return None
    session.commit()
    return attempts


def _record_failure(job_id: str, spec: JobSpec, exc: BaseException, rq_job: Any) -> None:
    """Note the error on the outbox row; FAILED unless RQ is about to retry it."""
    retries_left = getattr(rq_job, "retries_left", None) or 0
    values: dict[str, Any] = {"last_error": f"{type(exc).__name__}: {exc}"[:2000]}
    if retries_left > 0:
        wait = rq_job.get_retry_interval()
        values["due_at"] = func.now() + timedelta(seconds=wait + spec.timeout + REDISPATCH_GRACE)
    else:
        values["status"] = OutboxStatus.FAILED
    try:
        db.session.execute(
            update(OutboxJob).where(OutboxJob.job_id == job_id, OutboxJob.status != OutboxStatus.DONE).values(**values)
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not record the failure of job %s", job_id)


def _fail_run(exc: BaseException) -> None:
    try:
        progress.fail_run(stored_gettext("Stopped by an error (%(error)s).", error=type(exc).__name__))
    except Exception:
        log.exception("could not mark the job run failed")
