"""Reading the signed-in person, and their role in the current council, for every request.

Every signed-in request starts here. Through the ORM (``select(User, CouncilRole)``)
the read cost about three times the CPU of the same statement through SQLAlchemy
Core — the ORM's compile state, per-entity row processing and identity-map work
ran on every request, and on the busiest one (casting a vote) it was the largest
single cost. So the statement is Core, built once from the models' own columns
(a column added to either model is read without a change here), and its row is
turned into ordinary *persistent* ``User`` and ``CouncilRole`` objects in the
request's session, exactly as if the ORM had loaded them: attribute access,
lazy loads, expiry on commit and changes flushed all behave as before.

Tenancy: a Core statement does not pass through the ORM's council filter, so the
join names the current council itself; row-level security applies as to any
statement.

Round trips: inside a council this is nearly always the request's first
statement, so it is sent in one pipeline with the transaction's ``BEGIN`` and
the council setting (:func:`tenants.rls.begin_with_setting_and_query`) instead
of waiting for a round trip of its own after theirs, and it is prepared on
each connection once (``app.db_pipeline``), so PostgreSQL does not plan it on
every request. Its row is read with the connection's own type loaders and the
columns' own result processors, so it comes out as the statement run the
usual way would give it.
"""

from __future__ import annotations

import functools
from typing import Any

from psycopg.adapt import Transformer
from sqlalchemy import and_, bindparam, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from app.auth.models import CouncilRole, User
from app.db import as_loaded
from app.db_pipeline import Statement
from tenants.rls import begin_with_setting_and_query


def _columns(model: type) -> tuple[tuple[str, ...], list[Any]]:
    """The mapped attribute names of ``model`` and their table columns, in the same order."""
    attributes = model.__mapper__.column_attrs
    return tuple(a.key for a in attributes), [a.columns[0] for a in attributes]


_USER_KEYS, _USER_COLUMNS = _columns(User)
_ROLE_KEYS, _ROLE_COLUMNS = _columns(CouncilRole)
_ROLE_ID = _ROLE_KEYS.index("id")

_USER_ONLY = select(*_USER_COLUMNS).where(User.__table__.c.id == bindparam("user_id"))
_USER_AND_ROLE = (
    select(*_USER_COLUMNS, *_ROLE_COLUMNS)
    .select_from(User.__table__)
    .outerjoin(
        CouncilRole.__table__,
        and_(
            CouncilRole.__table__.c.user_id == User.__table__.c.id,
            CouncilRole.__table__.c.council_id == bindparam("council_id"),
        ),
    )
    .where(User.__table__.c.id == bindparam("user_id"))
)


def load_user_and_role(
    session: Session, user_id: int, council_id: int | None
) -> tuple[User | None, CouncilRole | None]:
    """The user ``user_id`` and (inside a council) their role there, in one statement; ``(None, None)`` if no such user.

    Both are built from the row by :func:`app.db.as_loaded`; one already in
    the session's identity map is returned as it is, as the ORM itself would.
    """
    if council_id is None:
        row = session.connection().execute(_USER_ONLY, {"user_id": user_id}).first()
        return (None, None) if row is None else (_user(session, row), None)
    connection = session.connection()
    row = _first_in_transaction(connection, user_id, council_id)
    if row is _NOT_SENT:
        row = connection.execute(_USER_AND_ROLE, {"user_id": user_id, "council_id": council_id}).first()
    if row is None:
        return None, None
    role_values = row[len(_USER_KEYS) :]
    if role_values[_ROLE_ID] is None:  # the outer join found no role in this council
        return _user(session, row), None
    return _user(session, row), as_loaded(session, CouncilRole, dict(zip(_ROLE_KEYS, role_values, strict=True)))


def _user(session: Session, row: Any) -> User:
    return as_loaded(session, User, dict(zip(_USER_KEYS, row[: len(_USER_KEYS)], strict=True)))


_NOT_SENT = object()


def _first_in_transaction(connection: Connection, user_id: int, council_id: int) -> Any:
    """The row (or ``None``) read together with the transaction's start, or ``_NOT_SENT`` if it has begun."""
    statement, processors = _written_out(connection.dialect)
    given = {"user_id": int(user_id), "council_id": int(council_id)}
    # Two integers: their text form is what psycopg's dumper would write (db_pipeline.text_values), without
    # building a Transformer on every signed-in request.
    values = [str(given[name]).encode() for name in statement.parameters]
    result = begin_with_setting_and_query(connection, statement, values)
    if result is None:
        return _NOT_SENT
    if result.ntuples == 0:
        return None
    loader = Transformer(connection.connection.driver_connection)
    loader.set_pgresult(result)
    return tuple(
        value if process is None else process(value)
        for value, process in zip(loader.load_row(0, tuple), processors, strict=True)
    )


@functools.cache
def _written_out(dialect: Dialect) -> tuple[Statement, tuple[Any, ...]]:
    """The statement for ``dialect``, to be prepared (its two integers as parameters), and each column's processor."""
    statement = Statement.from_pyformat("person and role", str(_USER_AND_ROLE.compile(dialect=dialect)))
    if sorted(statement.parameters) != ["council_id", "user_id"]:
        raise RuntimeError(f"unexpected parameters in the identity statement: {statement.parameters}")
    processors = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in (*_USER_COLUMNS, *_ROLE_COLUMNS)
    )
    return statement, processors
