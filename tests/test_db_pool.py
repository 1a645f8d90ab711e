"""Pooled connections are pinged only after sitting idle, and a dead one is replaced without a failed request."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from app.db_pool import install_idle_ping
from app.provision import plain_url


def _engine(database_urls, ping_after: float) -> sa.Engine:
    url = "postgresql+psycopg://" + plain_url(database_urls["owner"]).split("://", 1)[1]
    engine = sa.create_engine(url, pool_size=1, max_overflow=0, pool_pre_ping=False)
    install_idle_ping(engine, ping_after)
    return engine


@pytest.fixture
def pings(monkeypatch):
    seen: list[object] = []

    def count(engine: sa.Engine) -> None:
        real = engine.dialect.do_ping

        def counted(dbapi_connection):
            seen.append(dbapi_connection)
            return real(dbapi_connection)

        monkeypatch.setattr(engine.dialect, "do_ping", counted)

    return seen, count


def _backend_pid(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(database_urls, pid: int) -> None:
    with psycopg.connect(plain_url(database_urls["superuser"]), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_used_a_moment_ago_is_not_pinged(database_urls, pings):
    seen, count = pings
    engine = _engine(database_urls, ping_after=3600)
    count(engine)
    try:
        for _ in range(3):
            _backend_pid(engine)
        assert seen == []
    finally:
        engine.dispose()


def test_an_idle_connection_is_pinged_and_a_dead_one_replaced_before_use(database_urls, pings):
    seen, count = pings
    engine = _engine(database_urls, ping_after=0.0)  # everything counts as idle
    count(engine)
    try:
        first = _backend_pid(engine)
        _terminate(database_urls, first)  # as a database restart would
        second = _backend_pid(engine)  # the ping finds it dead; the pool connects afresh
        assert second != first
        assert seen  # it was pinged
    finally:
        engine.dispose()


def test_without_a_ping_a_dead_connection_fails_once_and_the_pool_recovers(database_urls):
    engine = _engine(database_urls, ping_after=3600)
    try:
        first = _backend_pid(engine)
        _terminate(database_urls, first)
        with pytest.raises(sa.exc.OperationalError):  # the request that meets it fails (a 503 page in the app)
            _backend_pid(engine)
        assert _backend_pid(engine) != first  # the next one reconnects, no restart needed
    finally:
        engine.dispose()
