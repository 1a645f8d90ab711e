"""Fixtures for the job machinery: a clean Redis database, an in-process worker, an SMTP sink.

Also the helpers of the kill -9 tests (here and in ``tests/faults``): start a
real ``rochdale worker``, wait for a job to block on a lock the test holds,
kill the worker's whole process tree, and have the dispatcher re-send.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
import psycopg
import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy.engine import make_url

from app import provision
from tenants.models import Council, CouncilType, Region
from workers.outbox import dispatch_outbox
from workers.queues import QUEUES, get_redis


@pytest.fixture
def redis_conn(app: Flask) -> Iterator[Redis]:
    """The test Redis database, empty before and after the test."""
    with app.app_context():
        conn = get_redis()
    conn.flushdb()
    yield conn
    conn.flushdb()


class InProcessWorker(SimpleWorker):
    """rq's non-forking worker, minus the pub/sub listener thread (whose shutdown costs a second per run)."""

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass


@pytest.fixture
def run_jobs(redis_conn: Redis) -> Callable[..., bool]:
    """Run every queued job in this process, then return (rq's SimpleWorker in burst mode)."""

    def _run(queues: Sequence[str] = QUEUES) -> bool:
        worker = InProcessWorker([Queue(name, connection=redis_conn) for name in queues], connection=redis_conn)
        return worker.work(burst=True, with_scheduler=False)

    return _run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailSink:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailSink]:
    """A real SMTP server on 127.0.0.1, with the app's MAIL_PORT pointed at it."""
    sink = MailSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def make_council(committed_db) -> Callable[..., int]:
    """Create and commit an active council; returns its id."""
    counter = iter(range(1, 1000))

    def _make(slug: str | None = None) -> int:
        n = next(counter)
        council = Council(
            slug=slug or f"jobs-council-{n}",
            name=f"Jobs Council {n}",
            council_type=CouncilType.UNITARY,
            region=Region.NORTH_WEST,
            population=100_000,
        )
        committed_db.session.add(council)
        committed_db.session.commit()
        return council.id

    return _make


def effect_count(superuser_sql: Callable[..., list[tuple]], label: str) -> int:
    return superuser_sql("SELECT count(*) FROM neighbourhoods WHERE name LIKE %s", f"{label} %")[0][0]


def outbox_rows(superuser_sql: Callable[..., list[tuple]]) -> list[tuple]:
    return superuser_sql("SELECT job_id, status::text, attempts, last_error FROM job_outbox ORDER BY created_at")


ROOT = Path(__file__).resolve().parents[2]


def start_cli(app: Flask, log_path: Path, *args: str) -> subprocess.Popen:
    """Start ``rochdale <args>`` against the test database and Redis, in a process group of its own.

    Output goes to ``log_path``; the caller must kill or wait for the process.
    """

    def plain(url: str) -> str:
        return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    env = dict(os.environ)
    env.update(
        DATABASE_URL=plain(app.config["SQLALCHEMY_DATABASE_URI"]),
        DATABASE_OWNER_URL=plain(app.config["DATABASE_OWNER_URL"]),
        REDIS_URL=app.config["REDIS_URL"],
        SECRET_KEY=app.config["SECRET_KEY"],
        # The smtp_server fixture points the app at its own port: the worker must send there too.
        MAIL_HOST=str(app.config["MAIL_HOST"]),
        MAIL_PORT=str(app.config["MAIL_PORT"]),
        # The worker must import the test-only jobs (tests.workers.jobs_for_tests).
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches it and nothing else
        )


# --- kill -9 helpers -------------------------------------------------------------------------------

WAIT = 30.0


def wait_until(check: Callable[[], object], what: str, limit: float = WAIT) -> object:
    """Poll ``check`` every 0.1 s until it returns something true (returned); fail after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {limit:.0f} s waiting for {what}")


def kill_group(pgid: int) -> None:
    """SIGKILL every process in group ``pgid`` (gone already is fine)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def kill_worker_tree(worker: subprocess.Popen) -> None:
    """kill -9 a worker started by ``start_cli`` and its work horse, as when the machine dies.

    The horse calls setpgrp(), so it is in a process group of its own: every
    descendant's group is killed, not only the worker's.
    """
    groups = {worker.pid}
    with contextlib.suppress(psutil.NoSuchProcess):
        for child in psutil.Process(worker.pid).children(recursive=True):
            with contextlib.suppress(ProcessLookupError):
                groups.add(os.getpgid(child.pid))
    for pgid in groups:
        kill_group(pgid)
    worker.wait(WAIT)


def start_worker(app: Flask, log_path: Path, *queues: str, burst: bool = False) -> subprocess.Popen:
    """A real ``rochdale worker`` serving ``queues`` (all of them if none are named)."""
    return start_cli(app, log_path, "worker", *queues, *(["--burst"] if burst else []))


def run_burst_worker(app: Flask, log_path: Path, *queues: str) -> None:
    """Run a burst ``rochdale worker`` until its queues are empty; it must exit cleanly."""
    worker = start_worker(app, log_path, *queues, burst=True)
    try:
        assert worker.wait(WAIT * 2) == 0, log_path.read_text()
    finally:
        kill_group(worker.pid)


def resend_overdue(app: Flask, expected: int) -> None:
    """Run the outbox dispatcher an hour ahead until it has re-sent ``expected`` jobs.

    It skips rows still locked by a dead worker's transaction, so it may take a
    few passes before PostgreSQL has noticed the lost connection.
    """
    later = datetime.now(UTC) + timedelta(hours=1)
    sent = 0

    def _pass() -> bool:
        nonlocal sent
        with app.app_context():
            sent += dispatch_outbox(now=later).sent
        return sent >= expected

    wait_until(_pass, f"the dispatcher to re-send {expected} job(s)")
    assert sent == expected


@contextlib.contextmanager
def held_lock(database_urls: dict[str, str], statement: str, *params: object) -> Iterator[Callable[[], None]]:
    """Run ``statement`` (a ``LOCK TABLE`` or an uncommitted write) as the superuser and keep it open.

    Yields ``release()``, which rolls the transaction back; leaving the block releases it too.
    """
    conn = psycopg.connect(provision.plain_url(database_urls["superuser"]))
    try:
        conn.execute(statement, params or None)

        def release() -> None:
            conn.rollback()

        yield release
    finally:
        conn.rollback()
        conn.close()


def wait_for_lock_wait(superuser_sql: Callable[..., list[tuple]], query_part: str) -> str:
    """Wait until a backend of this database waits on a lock in a statement containing ``query_part``."""

    def _blocked() -> str | None:
        rows = superuser_sql(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND position(%s in query) > 0",
            query_part,
        )
        return rows[0][0] if rows else None

    return wait_until(_blocked, f"a job to block on a lock ({query_part})")
