"""A few statements sent to PostgreSQL in one round trip, straight through libpq, planned once per connection.

For the two exchanges every vote has with the database: the transaction's
start with the person and their role (``app.auth.identity``), and the cast
statement with its ``COMMIT`` (``app.voting.casting``). Through psycopg's own
pipeline a statement and a ``COMMIT`` cost about 145 µs of Python per use
(its generators and bookkeeping), against about 25 µs sent through libpq's
pipeline directly; and a statement sent as text is parsed and planned by
PostgreSQL on every request (the person's statement: about 95 µs of the
server's time each time, against 17 µs prepared; the cast statement: about
200 µs more than prepared).

So a :class:`Statement` is prepared on each connection the first time it is
sent there (its ``Parse`` goes in the same round trip, so preparing costs no
exchange of its own) and executed by name after that. psycopg's view of the
connection stays true: it reads the transaction status from libpq, and our
statements have names of their own, which it never uses.

A prepared statement lasts as long as its connection. Which ones a connection
has is recorded in the pool's record of it (``Connection.info``), which
SQLAlchemy empties when it replaces the connection. Nothing else in the app
drops them: psycopg would send ``DEALLOCATE ALL`` after a rollback once it
had prepared statements of its own, so its automatic preparing is off
(``app.config``). Should one be gone all the same, using it fails with "does
not exist" and the caller fails over as for any failed statement (the
person is read the usual way; a vote is answered "nothing was saved, try
again"); the record is emptied, so the next use prepares it again under a
new name.
"""

from __future__ import annotations

import itertools
import re
import select
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

import psycopg
from psycopg import errors, pq
from psycopg.adapt import PyFormat, Transformer

_INFO_KEY = "rochdale_prepared"  # on a connection's record: statement SQL -> its name on that connection
_names = itertools.count(1)  # names are never reused in a process, so a forgotten one can't collide
_PYFORMAT = re.compile(r"%\((\w+)\)s|%%")


class Statement:
    """A statement with numbered parameters (``$1``…), prepared on a connection the first time it is sent there."""

    __slots__ = ("label", "parameters", "sql")

    def __init__(self, label: str, sql: str, parameters: tuple[str, ...]) -> None:
        self.label = label
        self.sql = sql.encode()
        self.parameters = parameters  # the name of each ``$n``, in order

    @classmethod
    def from_pyformat(cls, label: str, sql: str) -> Statement:
        """From SQL with ``%(name)s`` placeholders, as SQLAlchemy writes it for psycopg (one name, one ``$n``)."""
        numbers: dict[str, int] = {}

        def number(match: re.Match[str]) -> str:
            name = match.group(1)
            if name is None:
                return "%"
            return f"${numbers.setdefault(name, len(numbers) + 1)}"

        numbered = _PYFORMAT.sub(number, sql)
        return cls(label, numbered, tuple(numbers))

    def __repr__(self) -> str:
        return f"<Statement {self.label}>"


Step = tuple[Statement | bytes, Sequence[Any]]


def text_values(dbapi_connection: psycopg.Connection, values: Sequence[Any]) -> list[Any]:
    """``values`` in PostgreSQL's text format, written by psycopg's own adapters (``None`` stays NULL)."""
    return Transformer(dbapi_connection).dump_sequence(values, [PyFormat.TEXT] * len(values))


def send(dbapi_connection: psycopg.Connection, info: MutableMapping[str, Any], steps: Sequence[Step]) -> list[Any]:
    """Send ``steps`` in one pipeline and return each one's result (a libpq result, rows in text format).

    A step is a :class:`Statement` with its values already in text format
    (:func:`text_values`), or a command (``bytes``) with none. Every result is
    read before returning. The first step that fails raises its psycopg error
    (the steps after it were skipped: in a transaction, that is left failed
    for the caller to roll back); a connection lost on the way raises
    ``OperationalError`` with the connection broken, as psycopg leaves it.
    ``info`` is the connection's record (SQLAlchemy's ``Connection.info``).
    """
    prepared: dict[bytes, bytes] = info.setdefault(_INFO_KEY, {})
    commands: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
    owners: list[int | bytes] = []  # per command: the step it answers, or the SQL of the statement it prepares
    pgconn = dbapi_connection.pgconn
    for index, (step, values) in enumerate(steps):
        if isinstance(step, Statement):
            name = prepared.get(step.sql)
            if name is None:
                name = prepared[step.sql] = f"rochdale_{next(_names)}".encode()
                commands.append((pgconn.send_prepare, (name, step.sql)))
                owners.append(step.sql)
            commands.append((pgconn.send_query_prepared, (name, values)))
        else:
            commands.append((pgconn.send_query_params, (step, values or None)))
        owners.append(index)
    try:
        results = _exchange(pgconn, commands)
    except psycopg.Error:
        prepared.clear()  # whatever was sent may or may not have been prepared
        raise
    answers: list[Any] = [None] * len(steps)
    for owner, result in zip(owners, results, strict=True):
        if result.status == pq.ExecStatus.FATAL_ERROR:
            error = errors.error_from_result(result, encoding=dbapi_connection.info.encoding)
            if isinstance(error, errors.InvalidSqlStatementName):  # gone from the server: prepare them all again
                prepared.clear()
            elif isinstance(owner, bytes):  # this statement's Parse failed: it is not prepared
                prepared.pop(owner, None)
            raise error
        if isinstance(owner, int):
            answers[owner] = result
    return answers


def _exchange(pgconn: Any, commands: list[tuple[Callable[..., None], tuple[Any, ...]]]) -> list[Any]:
    """Send ``commands`` and a sync in pipeline mode; one result per command.

    If the pipeline cannot be left cleanly (the connection failed between two
    commands), the connection is closed: psycopg then finds it broken, and
    SQLAlchemy replaces it, rather than anybody using it half-way through.
    """
    pgconn.enter_pipeline_mode()
    try:
        for send_command, arguments in commands:
            send_command(*arguments)
        pgconn.pipeline_sync()
        while pgconn.flush():  # only when the socket's buffer is full: wait until it takes the rest
            writable = select.poll()
            writable.register(pgconn.socket, select.POLLOUT)
            writable.poll()
        return _results(pgconn, len(commands))
    finally:
        try:
            pgconn.exit_pipeline_mode()
        except psycopg.Error:
            pgconn.finish()


def _results(pgconn: Any, expected: int) -> list[Any]:
    """One result per command sent, then the pipeline's sync; ``OperationalError`` if the connection is lost."""
    results = []
    ended = False  # the previous call returned no result: the end of one command's results
    while True:
        result = pgconn.get_result()
        if result is None:
            if ended or pgconn.status != pq.ConnStatus.OK:
                # libpq has nothing more to give: the server went away mid-pipeline.
                raise psycopg.OperationalError("the connection to the database was lost")
            ended = True
            continue
        ended = False
        if result.status == pq.ExecStatus.PIPELINE_SYNC:
            if len(results) != expected:
                raise psycopg.OperationalError(f"expected {expected} results from the database, got {len(results)}")
            return results
        results.append(result)
