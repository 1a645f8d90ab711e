"""Fixtures for the job machinery: a clean Redis database, an in-process worker, an SMTP sink."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy.engine import make_url

from app import provision
from tenants.models import Council, CouncilType, Region
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


@pytest.fixture
def superuser_sql(database_urls: dict[str, str]) -> Iterator[Callable[..., list[tuple]]]:
    """Run SQL as a superuser (past RLS), on a connection of its own: what is really committed."""
    with psycopg.connect(provision.plain_url(database_urls["superuser"]), autocommit=True) as conn:

        def _run(query: str, *params: object) -> list[tuple]:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

        yield _run


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
