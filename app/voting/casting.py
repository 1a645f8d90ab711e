"""Storing a checked vote: one statement for both rows, and (on the web) its COMMIT in the same round trip.

:func:`cast_statement` share-locks the ballot row if it is unchanged, inserts
the participation row, and inserts the paper only if the participation row
was new, all in one statement. :func:`store` runs it in the caller's
transaction, which the caller commits, as every other operation does.

:func:`store_and_commit` is for the busiest request in the app (a resident
casting a vote on the web): it sends the statement and the transaction's
``COMMIT`` together in one pipeline (``app.db_pipeline``, the statement
prepared once per connection), so the vote costs one network
exchange with the database instead of two. That is safe because the
statement is the transaction's only write and writes nothing when it refuses
(the ballot changed, or the person has voted): committing then stores no
more than rolling back would. If the statement fails, the pipeline skips the
``COMMIT`` and the transaction is left failed, for the caller to roll back.
The request's session is then committed as usual: the database transaction
has already ended, so psycopg sends nothing more, and the session and the
row-level-security listener see an ordinary commit.

It falls back to :func:`store` followed by an ordinary commit when the
connection can't (not psycopg, or this transaction's council setting not
made yet, which only the usual path makes).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any

import psycopg
from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import db_pipeline
from app.extensions import db
from app.voting.models import Ballot, BallotPaper, BallotStatus, Channel, Participation
from tenants.context import current_council_id
from tenants.rls import council_setting_made


class Refused(Enum):
    """Why the statement stored nothing."""

    ALREADY_VOTED = "already voted"
    BALLOT_CHANGED = "ballot changed"


class StoreFailed(Exception):
    """The statement failed (the transaction is unusable; nothing was stored). Carries no driver message."""


def store(ballot: Any, user_id: int, canonical: Any, receipt_hash: str, cast_on: date) -> Refused | None:
    """Store the vote in the caller's transaction; ``None`` if stored, else why not. Raises :class:`StoreFailed`."""
    params = _params(ballot, user_id, canonical, receipt_hash, cast_on)
    failed = False
    try:
        ballot_current, stored = db.session.connection().execute(cast_statement(), params).one()
    except SQLAlchemyError:
        # The driver's message would quote the paper's content: raise outside the handler, without it.
        failed = True
    if failed:
        raise StoreFailed()
    return _outcome(ballot_current, stored)


def store_and_commit(ballot: Any, user_id: int, canonical: Any, receipt_hash: str, cast_on: date) -> Refused | None:
    """Store the vote and commit, in one round trip where the connection allows; ``None`` if stored, else why not.

    On :class:`StoreFailed` the transaction is failed and not committed: the
    caller rolls back. Otherwise the session has been committed (without
    expiring what it loaded), whether the vote was stored or refused.
    """
    session = db.session()
    connection = session.connection()
    driver = connection.connection.driver_connection
    if not _commit_can_go_with_it(session, connection, driver):
        outcome = store(ballot, user_id, canonical, receipt_hash, cast_on)
        _commit_without_expiring(session)
        return outcome
    session.flush()  # anything pending goes first, in this transaction, as a commit would send it
    statement, placeholders = _written_out(connection.dialect)
    values = db_pipeline.text_values(
        driver, _values(placeholders, _params(ballot, user_id, canonical, receipt_hash, cast_on))
    )
    broken = False
    try:
        cast, _ = db_pipeline.send(driver, connection.info, [(statement, values), (b"COMMIT", ())])
    except psycopg.Error:
        # As in store(): no driver message. A lost connection is marked so, as SQLAlchemy would mark it.
        broken = driver.broken or driver.closed
    else:
        _commit_without_expiring(session)
        return _outcome(int(cast.get_value(0, 0)), int(cast.get_value(0, 1)))
    if broken:
        connection.invalidate()
    raise StoreFailed()


def _commit_can_go_with_it(session: Session, connection: Connection, driver: Any) -> bool:
    """Whether committing ``session`` now means a plain ``COMMIT`` of the transaction the statement would run in.

    Not when the session joined a transaction begun outside it (bound to a
    connection, as the test suite's sessions are) or holds a savepoint: its
    commit then commits less than the whole transaction. Not before this
    transaction's council setting is made (only the usual path makes it).
    """
    return (
        isinstance(driver, psycopg.Connection)
        and not isinstance(session.bind, Connection)
        and not connection.in_nested_transaction()
        and council_setting_made(connection)
    )


def _outcome(ballot_current: int, stored: int) -> Refused | None:
    if not ballot_current:
        return Refused.BALLOT_CHANGED
    return None if stored else Refused.ALREADY_VOTED


def _params(ballot: Any, user_id: int, canonical: Any, receipt_hash: str, cast_on: date) -> dict[str, Any]:
    return {
        "council_id": current_council_id(),
        "ballot_id": ballot.id,
        "opens_at": ballot.opens_at,
        "closes_at": ballot.closes_at,
        "user_id": user_id,
        "channel": Channel.ONLINE,
        "cast_on": cast_on,
        "paper_id": uuid.uuid4(),
        "content": canonical,
        "receipt_hash": receipt_hash,
        "rules_version": ballot.rules_version,
    }


def _commit_without_expiring(session: Session) -> None:
    """Commit ``session`` without marking what it loaded stale: the caller's page reads it after the commit."""
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


# Per parameter of the cast statement: its name, its default (the statement's own constant) and bind processor.
_Placeholder = tuple[str, Any, Callable[[Any], Any] | None]


@functools.cache
def _written_out(dialect: Dialect) -> tuple[db_pipeline.Statement, tuple[_Placeholder, ...]]:
    """:func:`cast_statement` for ``dialect`` as a prepared statement, and per parameter its default and processor.

    The default is the statement's own constant (``None`` for a caller's
    parameter); the processor is its column type's bind processor, so each
    value is written exactly as SQLAlchemy would pass it to psycopg.
    """
    compiled = cast_statement().compile(dialect=dialect)
    statement = db_pipeline.Statement.from_pyformat("cast vote", compiled.string)
    binds = {name: bind for bind, name in compiled.bind_names.items()}
    placeholders = tuple(
        (name, binds[name].value, binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in statement.parameters
    )
    return statement, placeholders


def _values(placeholders: tuple[_Placeholder, ...], params: dict[str, Any]) -> list[Any]:
    values = []
    for name, default, process in placeholders:
        value = params.get(name, default)
        values.append(value if process is None else process(value))
    return values


@functools.cache
def cast_statement() -> Any:
    """Share-lock the ballot if unchanged, insert the participation row, and the paper only if that was new.

    ``WITH ballot AS (SELECT … FOR SHARE), voter AS (INSERT … SELECT … FROM ballot ON CONFLICT DO NOTHING
    RETURNING …), paper AS (INSERT … SELECT … FROM voter RETURNING …) SELECT <ballot current>, <paper stored>``.

    ``ballot`` finds the row only while it is open with the rules version and
    voting window the caller saw (everything a vote's validity depends on), so
    a vote is never stored against a ballot that has closed or changed since; the lock makes closing wait for votes in
    flight. Built once per process (the busiest statement in the app; building
    it cost as much as running it), with bound parameters for everything.
    """

    def param(name: str, column: Any) -> Any:
        return bindparam(name, type_=column.type)

    ballot = (
        select(Ballot.council_id, Ballot.id)
        .where(
            Ballot.council_id == param("council_id", Ballot.council_id),
            Ballot.id == param("ballot_id", Ballot.id),
            Ballot.status == BallotStatus.OPEN,
            Ballot.rules_version == param("rules_version", Ballot.rules_version),
            Ballot.opens_at.is_not_distinct_from(param("opens_at", Ballot.opens_at)),
            Ballot.closes_at.is_not_distinct_from(param("closes_at", Ballot.closes_at)),
        )
        .with_for_update(read=True)
        .cte("ballot")
    )
    voter = (
        insert(Participation)
        .from_select(
            ["council_id", "ballot_id", "user_id", "channel", "cast_on"],
            select(
                ballot.c.council_id,
                ballot.c.id,
                param("user_id", Participation.user_id),
                param("channel", Participation.channel),
                param("cast_on", Participation.cast_on),
            ),
        )
        .on_conflict_do_nothing(index_elements=["council_id", "ballot_id", "user_id"])
        .returning(Participation.council_id, Participation.ballot_id, Participation.channel, Participation.cast_on)
        .cte("voter")
    )
    columns = ["council_id", "ballot_id", "channel", "cast_on", "id", "content", "receipt_hash", "rules_version"]
    paper = (
        insert(BallotPaper)
        .from_select(
            columns,
            select(
                voter.c.council_id,
                voter.c.ballot_id,
                voter.c.channel,
                voter.c.cast_on,
                param("paper_id", BallotPaper.id),
                param("content", BallotPaper.content),
                param("receipt_hash", BallotPaper.receipt_hash),
                param("rules_version", BallotPaper.rules_version),
            ),
            include_defaults=False,
        )
        .returning(BallotPaper.ballot_id)
        .cte("paper")
    )
    return select(
        select(func.count()).select_from(ballot).scalar_subquery().label("ballot_current"),
        select(func.count()).select_from(paper).scalar_subquery().label("stored"),
    )
