"""The council setting rides on the transaction's BEGIN (one round trip), and falls back when it cannot."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from tenants.context import council_context


@pytest.fixture
def cursor_statements(monkeypatch) -> list[str]:
    """Every statement psycopg cursors execute (the combined BEGIN goes to libpq directly, so it is not here)."""
    seen: list[str] = []
    original = psycopg.Cursor.execute

    def spy(self, query, *args, **kwargs):
        seen.append(str(query))
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", spy)
    return seen


def test_first_statement_finds_the_council_set_without_a_separate_round_trip(
    committed_db, create_council, cursor_statements
):
    council_id = create_council().id
    committed_db.session.commit()
    cursor_statements.clear()
    with council_context(council_id):
        setting = committed_db.session.execute(text("SELECT current_setting('app.council_id', true)")).scalar()
    assert setting == str(council_id)
    assert not [s for s in cursor_statements if "set_config" in s], cursor_statements
    committed_db.session.rollback()


def test_isolation_level_of_the_transaction_is_kept(committed_db, create_council, cursor_statements):
    council_id = create_council().id
    committed_db.session.commit()
    with committed_db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="SERIALIZABLE")
        with council_context(council_id):
            row = conn.execute(
                text("SELECT current_setting('app.council_id', true), current_setting('transaction_isolation')")
            ).one()
        conn.rollback()
    assert row == (str(council_id), "serializable")
    assert not [s for s in cursor_statements if "set_config" in s]


def test_a_transaction_already_open_gets_the_setting_as_a_statement(committed_db, create_council, cursor_statements):
    a, b = create_council().id, create_council().id
    committed_db.session.commit()
    cursor_statements.clear()
    with council_context(a):
        assert committed_db.session.execute(text("SELECT current_setting('app.council_id', true)")).scalar() == str(a)
    # Same transaction, another council: BEGIN has been sent, so the setting is its own statement.
    with council_context(b):
        assert committed_db.session.execute(text("SELECT current_setting('app.council_id', true)")).scalar() == str(b)
    assert len([s for s in cursor_statements if "set_config" in s]) == 1
    committed_db.session.rollback()
