"""Layer 2: PostgreSQL row-level security.

Every council table gets ``ENABLE`` and ``FORCE ROW LEVEL SECURITY`` and one
policy comparing ``council_id`` with the transaction-local setting
``app.council_id``. The app connects as a role that neither owns the tables nor
bypasses RLS, so the database refuses other councils' rows even if application
code asks for them.

The setting is made with ``set_config(..., true)`` (transaction-local, and it
takes a bound parameter, unlike ``SET LOCAL``) just before the first statement
of a transaction, and again whenever the current council changes within one.
Nothing is ever set at session level, so nothing survives into the next
transaction on a pooled connection.
"""

from __future__ import annotations

import contextlib
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from app import db_pipeline
from tenants.context import current_council_id_or_none

SETTING = "app.council_id"
POLICY_NAME = "council_isolation"
_INFO_KEY = "rochdale_rls_council"
POLICY_EXPRESSION = f"council_id = NULLIF(current_setting('{SETTING}', true), '')::bigint"


def enable_rls(op: Any, table: str) -> None:
    """Migration helper: force RLS on ``table`` with the council policy."""
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(f'CREATE POLICY {POLICY_NAME} ON "{table}" USING ({POLICY_EXPRESSION}) WITH CHECK ({POLICY_EXPRESSION})')


def disable_rls(op: Any, table: str) -> None:
    """Migration helper: the reverse of ``enable_rls`` (for downgrades)."""
    op.execute(f'DROP POLICY IF EXISTS {POLICY_NAME} ON "{table}"')
    op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


def _wanted_setting() -> str:
    council_id = current_council_id_or_none()
    return "" if council_id is None else str(council_id)


def install_rls_listeners(engine: Engine) -> None:
    """Keep ``app.council_id`` equal to the current council in every transaction."""
    if event.contains(engine, "before_cursor_execute", _apply_council_setting):
        return
    event.listen(engine, "before_cursor_execute", _apply_council_setting)
    event.listen(engine, "commit", _forget_setting)
    event.listen(engine, "rollback", _forget_setting)
    # Rolling back to a savepoint may undo a set_config made inside it: the
    # setting is then unknown, so the next statement sets it again.
    event.listen(engine, "rollback_savepoint", _setting_unknown)
    # The pool rolls back a returned connection without a Connection-level event.
    event.listen(engine.pool, "checkin", _forget_on_checkin)


def _apply_council_setting(conn, cursor, statement, parameters, context, executemany) -> None:
    if statement.startswith("ROLLBACK TO SAVEPOINT"):
        # The rollback would undo a setting made just before it: set it on the next statement.
        return
    wanted = _wanted_setting()
    if conn.info.get(_INFO_KEY) == wanted:
        return
    # A fresh transaction starts with the setting empty, so only a council needs setting.
    if (wanted or _INFO_KEY in conn.info) and not _begin_with_setting(cursor.connection, wanted):
        # A separate client cursor: the statement's own cursor may be a server-side
        # (named) cursor, which would be spent on this instead of the real query.
        with cursor.connection.cursor() as setter:
            setter.execute("SELECT set_config(%s, %s, true)", (SETTING, wanted))
    conn.info[_INFO_KEY] = wanted


def _begin_with_setting(dbapi_connection: Any, wanted: str) -> bool:
    """Open the transaction and make the setting in one round trip; ``False`` if this connection can't.

    Left alone, psycopg sends its ``BEGIN`` as a round trip of its own before
    the first statement, and the setting would be a second: on the busiest
    requests (casting a vote) that is a fifth of the round trips. Sent
    together in one pipeline, psycopg then finds the transaction open and
    sends no ``BEGIN`` of its own.
    """
    steps = _transaction_start(dbapi_connection, wanted)
    if steps is None:
        return False
    db_pipeline.send(dbapi_connection, {}, steps)  # plain commands: nothing to prepare, so nothing to record
    return True


def _transaction_start(dbapi_connection: Any, wanted: str) -> list[db_pipeline.Step] | None:
    """psycopg's ``BEGIN`` and the setting, as pipeline steps; ``None`` if this connection can't.

    Only for an idle connection outside autocommit, with psycopg's own
    ``BEGIN`` (which carries any isolation level set on it), and a council id
    that is an integer, so it can be written into the statement.
    """
    begin = getattr(dbapi_connection, "_get_tx_start_command", None)
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if (
        begin is None
        or pgconn is None
        or dbapi_connection.autocommit
        or pgconn.transaction_status != pq.TransactionStatus.IDLE
        or not wanted.isdigit()
    ):
        return None
    return [(begin(), ()), (f"SELECT set_config('{SETTING}', '{int(wanted)}', true)".encode(), ())]


def begin_with_setting_and_query(connection: Connection, query: db_pipeline.Statement, values: list[Any]) -> Any | None:
    """Open the transaction, make the council setting and run ``query``, all in one round trip.

    Returns the query's result (a libpq result, rows in text format), or
    ``None`` when this can't be done (the transaction has begun, no council is
    current, the connection can't): the caller then runs the query the usual
    way. ``query`` is prepared on the connection the first time
    (``app.db_pipeline``), and ``values`` are in text format. For the first
    statement of a signed-in request (reading the person and their role),
    which otherwise waits for a round trip of its own after the setting's.

    A failure is not raised from here: the transaction is rolled back (or the
    connection found broken) and ``None`` returned, so the usual way meets the
    same failure and SQLAlchemy reports it as it reports any other (a lost
    connection invalidated and the 503 page, an error wrapped with its statement).
    """
    wanted = _wanted_setting()
    dbapi_connection = connection.connection.driver_connection
    steps = _transaction_start(dbapi_connection, wanted)
    if steps is None:
        return None
    try:
        *_, result = db_pipeline.send(dbapi_connection, connection.info, [*steps, (query, values)])
    except psycopg.Error:
        with contextlib.suppress(psycopg.Error):
            dbapi_connection.rollback()
        return None
    connection.info[_INFO_KEY] = wanted
    return result


def council_setting_made(connection: Connection) -> bool:
    """Whether this connection's open transaction already has the current council's setting.

    For statements sent to the driver directly (not through SQLAlchemy, so
    not through the listener): they may run only when this is true, and take
    the usual path otherwise, which makes the setting first.
    """
    wanted = _wanted_setting()
    return bool(wanted) and connection.info.get(_INFO_KEY) == wanted


def _setting_unknown(conn, name, context) -> None:
    if conn.invalidated:
        return  # see _forget_setting
    conn.info[_INFO_KEY] = None


def _forget_setting(conn) -> None:
    # A connection lost with the database (a restart) was invalidated, and its
    # record's info cleared with it: there is nothing to forget, and reading
    # ``conn.info`` now would try to reconnect mid-rollback and raise, turning
    # the 503 page into a 500 (tests/faults/test_database_restart.py).
    if conn.invalidated:
        return
    conn.info.pop(_INFO_KEY, None)


def _forget_on_checkin(dbapi_connection, connection_record) -> None:
    if connection_record is not None:
        connection_record.info.pop(_INFO_KEY, None)
