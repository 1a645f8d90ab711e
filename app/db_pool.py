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
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

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
