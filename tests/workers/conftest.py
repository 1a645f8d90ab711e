"""Fixtures for the job machinery: a clean Redis database, an in-process worker, an SMTP sink."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator, Sequence

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker

from workers.queues import QUEUES, get_redis


@pytest.fixture
def redis_conn(app: Flask) -> Iterator[Redis]:
    """The test Redis database, empty before and after the test."""
    with app.app_context():
        conn = get_redis()
    conn.flushdb()
    yield conn
    conn.flushdb()


@pytest.fixture
def run_jobs(redis_conn: Redis) -> Callable[..., bool]:
    """Run every queued job in this process, then return (rq's SimpleWorker in burst mode)."""

    def _run(queues: Sequence[str] = QUEUES) -> bool:
        worker = SimpleWorker([Queue(name, connection=redis_conn) for name in queues], connection=redis_conn)
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
