"""Checking pooled connections before use, only when they may have gone stale.

SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` on *every* checkout: one
round trip to PostgreSQL on every request, whatever else it does (about one
in five of a vote's). A connection used a moment ago is not worth checking:
here a connection is pinged on checkout only when it has been idle in the
pool for more than ``DB_POOL_PING_AFTER_SECONDS`` (default 10), which is
when a database restart, a failover or an idle timeout can have closed it
under us. A ping that fails makes the pool throw that connection away and
try another (``DisconnectionError``), as ``pool_pre_ping`` would.

If the database restarts while connections are busy, the first statement on
each stale connection fails as a disconnect: SQLAlchemy then drops every
connection of the pool made before it, that request answers 503 (the error
handlers), and the next ones reconnect, with no restart of the app.

The database can also go away *after* a request's work is done: the rollback
that ends its session then fails. ``install_quiet_session_teardown`` keeps
that from turning a finished response into a 500 (found by
``tests/faults/test_database_restart.py``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

DEFAULT_PING_AFTER_SECONDS = 10.0
_LAST_USED = "rochdale_last_checkin"


def install_idle_ping(engine: Engine, ping_after_seconds: float = DEFAULT_PING_AFTER_SECONDS) -> None:
    """Ping a pooled connection on checkout when it has sat idle longer than ``ping_after_seconds``."""
    if getattr(engine.pool, "_rochdale_idle_ping", False):
        return
    dialect = engine.dialect

    def remember_checkin(dbapi_connection: Any, connection_record: Any) -> None:
        if connection_record is not None:
            connection_record.info[_LAST_USED] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
        last_used = connection_record.info.get(_LAST_USED)
        if last_used is None or time.monotonic() - last_used <= ping_after_seconds:
            return  # just made, or used a moment ago: nothing to check
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: the connection is no use; the pool makes a new one
            raise exc.DisconnectionError(f"stale pooled connection: {type(error).__name__}") from error

    event.listen(engine.pool, "checkin", remember_checkin)
    event.listen(engine.pool, "checkout", ping_if_idle)
    engine.pool._rochdale_idle_ping = True  # type: ignore[attr-defined]


def install_quiet_session_teardown(app: Flask, db: Any) -> None:
    """End every app context's session, where a lost database connection is logged, not raised.

    Flask-SQLAlchemy's own teardown closes the session, which rolls back; if
    PostgreSQL died after the view finished (a restart, a failover), that
    rollback raises and Flask turns the already-built response into a 500.
    There is nothing to roll back on a dead connection: SQLAlchemy has already
    invalidated it, and the pool reconnects for the next request. Call after
    ``db.init_app(app)``: teardowns run last-registered first, so this one
    removes the session before Flask-SQLAlchemy's finds it.
    """

    @app.teardown_appcontext
    def _remove_session(_error: BaseException | None) -> None:
        try:
            db.session.remove()
        except exc.DBAPIError as error:
            if not (error.connection_invalidated or isinstance(error, exc.OperationalError | exc.InterfaceError)):
                raise
            log.warning("database connection lost while ending a session: %s", type(error.orig).__name__)
            # The connection is invalidated: closing again now only returns it to the pool.
            db.session.remove()
