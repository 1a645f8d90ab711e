"""Entry points for the two long-running job processes.

``run_worker`` serves queues with RQ's forking ``Worker`` and its built-in
scheduler (which moves retries back onto their queue when their wait is over).
``run_scheduler`` ticks every few seconds: it runs the outbox dispatcher, so no
job is lost with Redis, and fans out periodic work. Both are started from the
CLI (``rochdale worker``, ``rochdale scheduler``), which builds the app once
per process and passes it in; nothing here builds an app at import time.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, Worker
from sqlalchemy.orm import configure_mappers

from app.extensions import db
from workers.context import set_worker_app
from workers.joblog import configure_job_logging
from workers.outbox import dispatch_outbox
from workers.periodic import PeriodicJob, fan_out, periodic_jobs
from workers.queues import QUEUES

log = logging.getLogger(__name__)

SCHEDULER_INTERVAL = 5.0


def run_worker(app: Flask, queues: Sequence[str] = QUEUES, burst: bool = False) -> bool:
    """Serve ``queues`` (in priority order) until stopped, or until empty with ``burst``.

    RQ handles SIGINT/SIGTERM itself: the first signal lets the current job
    finish (warm shutdown), a second one stops at once. Returns whether any job ran.
    """
    unknown = [name for name in queues if name not in QUEUES]
    if unknown:
        raise ValueError(f"unknown queue(s) {', '.join(unknown)}; queues are {', '.join(QUEUES)}")
    set_worker_app(app)
    configure_job_logging()
    # Configure every mapper now, in the parent, so that each forked work horse
    # starts with them ready instead of configuring them once per job.
    configure_mappers()
    _fresh_pools_after_fork(app)
    # A connection of its own: RQ raises its socket timeout above the blocking
    # dequeue wait, which the app's shared connection must not inherit.
    connection = Redis.from_url(app.config["REDIS_URL"])
    worker = Worker([Queue(name, connection=connection) for name in queues], connection=connection)
    log.info("worker %s serving %s", worker.name, ", ".join(queues))
    return worker.work(burst=burst, with_scheduler=True)


def run_scheduler(app: Flask, interval: float = SCHEDULER_INTERVAL, once: bool = False) -> None:
    """Every ``interval`` seconds, re-send overdue outbox jobs and fan out periodic work.

    Stops cleanly on SIGINT or SIGTERM (after the current tick), or after one
    tick with ``once``.
    """
    configure_job_logging()
    stop = threading.Event()
    last_periods: dict[str, str] = {}
    with _stop_on_signals(stop):
        while True:
            with app.app_context():
                try:
                    scheduler_tick(last_periods)
                except Exception:
                    # One bad tick (Redis or PostgreSQL briefly away) must not stop the loop.
                    log.exception("scheduler tick failed; trying again in %.0f s", interval)
                finally:
                    db.session.remove()
            if once or stop.wait(interval):
                break
    log.info("scheduler stopped")


def scheduler_tick(last_periods: dict[str, str], now: datetime | None = None) -> None:
    """One pass: the outbox dispatcher, then any periodic job whose period has changed.

    ``last_periods`` remembers, per job, the period already fanned out by this
    process, so a tick costs one query unless a period has just begun.
    """
    report = dispatch_outbox()
    if report.sent:
        log.warning("outbox dispatcher re-sent %d job(s)", report.sent)
    now = now or datetime.now(UTC)
    for periodic in periodic_jobs():
        _maybe_fan_out(periodic, now, last_periods)


def _maybe_fan_out(periodic: PeriodicJob, now: datetime, last_periods: dict[str, str]) -> None:
    name = periodic.spec.name
    key = periodic.period_key(now)
    if last_periods.get(name) == key:
        return
    job_ids = fan_out(periodic, now)
    last_periods[name] = key
    log.info("periodic %s for period %s: %d job(s)", name, key, len(job_ids))


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def _handle(signum: int, frame: Any) -> None:
        log.info("scheduler: received %s, stopping after this tick", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, _handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_fork_hook_apps: list[Flask] = []


def _fresh_pools_after_fork(app: Flask) -> None:
    """Give each forked work horse its own database connections.

    A pooled connection inherited across fork() would be shared by two
    processes; ``dispose(close=False)`` drops the child's references without
    closing the parent's sockets.
    """
    if not _fork_hook_apps:
        os.register_at_fork(after_in_child=_dispose_pools_in_child)
    if app not in _fork_hook_apps:
        _fork_hook_apps.append(app)


def _dispose_pools_in_child() -> None:
    for app in _fork_hook_apps:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
