"""Statements sent straight through libpq in one pipeline, prepared once per connection (``app/db_pipeline.py``).

On a plain psycopg connection to the test database, so each test knows
exactly which connection its statements were prepared on.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import psycopg
import pytest
from psycopg import errors, pq
from psycopg.types.json import Jsonb

from app import db_pipeline
from app.db_pipeline import Statement
from app.provision import plain_url


@pytest.fixture
def conn(database_urls):
    with psycopg.connect(plain_url(database_urls["owner"])) as connection:
        yield connection


def _prepared(conn) -> list[str]:
    """The names prepared on ``conn``, as the server has them."""
    conn.pgconn.exec_(b"ROLLBACK")  # a failed transaction would refuse the query
    result = conn.pgconn.exec_(b"SELECT name FROM pg_prepared_statements ORDER BY name")
    return [result.get_value(row, 0).decode() for row in range(result.ntuples)]


ECHO = Statement.from_pyformat(
    "echo", "SELECT %(n)s::bigint + 1, %(text)s::text, %(n)s::bigint, %(day)s::date, %(id)s::uuid, %(doc)s::jsonb"
)


def test_placeholders_are_numbered_once_per_name_and_percent_signs_unescaped():
    statement = Statement.from_pyformat("x", "SELECT %(b)s, %(a)s, %(b)s, 'a%%'")
    assert statement.sql == b"SELECT $1, $2, $1, 'a%'"
    assert statement.parameters == ("b", "a")


def test_values_are_written_as_psycopg_writes_them_and_read_back_alike(conn):
    day, paper = date(2026, 11, 23), uuid.uuid4()
    values = db_pipeline.text_values(conn, [41, "Ysgol Gymraeg", day, paper, Jsonb({"choices": ["north"]})])
    (result,) = db_pipeline.send(conn, {}, [(ECHO, values)])
    row = [result.get_value(0, column).decode() for column in range(result.nfields)]
    assert row == ["42", "Ysgol Gymraeg", "41", "2026-11-23", str(paper), '{"choices": ["north"]}']
    moment = Statement.from_pyformat(
        "moment", "SELECT %(at)s::timestamptz = '2026-01-02 12:30+00', %(none)s::text IS NULL"
    )
    at, none = db_pipeline.text_values(conn, [datetime(2026, 1, 2, 12, 30, tzinfo=UTC), None])
    assert none is None
    (result,) = db_pipeline.send(conn, {}, [(moment, [at, none])])
    assert (result.get_value(0, 0), result.get_value(0, 1)) == (b"t", b"t")


def test_a_statement_is_prepared_the_first_time_in_the_same_round_trip_then_run_by_name(conn):
    info: dict = {}
    values = db_pipeline.text_values(conn, [1, "a", None, None, None])
    (result,) = db_pipeline.send(conn, info, [(ECHO, values)])  # one exchange: prepared and run
    assert result.get_value(0, 0) == b"2"
    names = _prepared(conn)
    assert len(names) == 1 and names[0].startswith("rochdale_")
    for _ in range(3):  # prepared again each time, it would be under a new name each time
        (result,) = db_pipeline.send(conn, info, [(ECHO, values)])
        assert result.get_value(0, 0) == b"2"
    assert _prepared(conn) == names


def test_steps_run_in_one_transaction_and_the_first_failure_skips_the_rest(conn):
    info: dict = {}
    values = db_pipeline.text_values(conn, [1, "a", None, None, None])
    with pytest.raises(errors.DivisionByZero):
        db_pipeline.send(conn, info, [(b"BEGIN", ()), (ECHO, values), (b"SELECT 1/0", ()), (b"COMMIT", ())])
    assert conn.pgconn.transaction_status == pq.TransactionStatus.INERROR  # the COMMIT was skipped
    conn.rollback()
    # The statement prepared before the failure is still there (a Parse is not undone by a rollback).
    (result,) = db_pipeline.send(conn, info, [(ECHO, values)])
    assert result.get_value(0, 0) == b"2"
    assert len(_prepared(conn)) == 1


def test_a_statement_that_fails_to_prepare_is_not_recorded_as_prepared(conn):
    info: dict = {}
    broken = Statement.from_pyformat("broken", "SELECT no_such_column FROM pg_class WHERE oid = %(oid)s")
    for _ in range(2):  # the same error each time, never "does not exist"
        with pytest.raises(errors.UndefinedColumn):
            db_pipeline.send(conn, info, [(broken, [b"1"])])
        conn.rollback()
        assert broken.sql not in info.get("rochdale_prepared", {})


def test_a_statement_gone_from_the_connection_fails_once_then_is_prepared_again(conn):
    info: dict = {}
    values = db_pipeline.text_values(conn, [1, "a", None, None, None])
    db_pipeline.send(conn, info, [(ECHO, values)])
    conn.pgconn.exec_(b"DEALLOCATE ALL")  # what psycopg sends after a rollback once it has prepared its own
    with pytest.raises(errors.InvalidSqlStatementName):
        db_pipeline.send(conn, info, [(ECHO, values)])
    conn.rollback()
    (result,) = db_pipeline.send(conn, info, [(ECHO, values)])
    assert result.get_value(0, 0) == b"2"
    assert len(_prepared(conn)) == 1


def test_a_lost_connection_raises_and_leaves_it_broken(conn, database_urls):
    info: dict = {}
    values = db_pipeline.text_values(conn, [1, "a", None, None, None])
    db_pipeline.send(conn, info, [(ECHO, values)])
    with psycopg.connect(plain_url(database_urls["superuser"]), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", (conn.info.backend_pid,))
    with pytest.raises(psycopg.OperationalError):
        db_pipeline.send(conn, info, [(b"BEGIN", ()), (ECHO, values), (b"COMMIT", ())])
    assert conn.broken
    assert info["rochdale_prepared"] == {}


def test_the_apps_connections_never_prepare_statements_of_their_own(app):
    """psycopg, preparing by itself, would DEALLOCATE ALL after rollbacks and so drop the app's prepared statements."""
    from app.extensions import db

    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            assert connection.driver_connection.prepare_threshold is None
        finally:
            connection.close()
