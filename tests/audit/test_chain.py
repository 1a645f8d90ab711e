"""The audit chain: appends link up, tampering is found and named, appends never fork."""

from __future__ import annotations

import itertools
import threading

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app import provision
from app.audit.models import AuditEvent
from app.audit.operations import chain_length, record_event, verify_chain
from tenants.context import council_context


def test_appends_form_a_verifiable_chain(db, create_council):
    council = create_council()
    with council_context(council.id):
        for n in range(5):
            record_event("module.enabled", "module", f"m{n}", payload={"enabled": True})
        result = verify_chain()
        assert result.ok and result.entries == 5
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
        assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(rows))
        assert result.head_hash == rows[-1].entry_hash


def test_chains_are_per_council(db, create_council):
    a, b = create_council(), create_council()
    with council_context(a.id):
        record_event("x", "thing", 1)
        record_event("x", "thing", 2)
    with council_context(b.id):
        first = record_event("x", "thing", 1)
        assert first.seq == 1
        assert chain_length() == 1


def test_app_role_cannot_change_or_delete_entries(db, create_council):
    council = create_council()
    with council_context(council.id):
        record_event("x", "thing", 1)
        with pytest.raises(DBAPIError), db.session.begin_nested():
            db.session.execute(text("UPDATE audit_events SET action = 'forged'"))
        with pytest.raises(DBAPIError), db.session.begin_nested():
            db.session.execute(text("DELETE FROM audit_events"))


def _superuser(database_urls):
    return psycopg.connect(provision.plain_url(database_urls["superuser"]), autocommit=True)


@pytest.fixture
def chain_of_five(committed_db, create_council):
    council = create_council()
    with council_context(council.id):
        for n in range(5):
            record_event("ballot.opened", "ballot", n, payload={"n": n})
        committed_db.session.commit()
    return council


def test_tampering_with_content_is_found(chain_of_five, committed_db, database_urls):
    with _superuser(database_urls) as conn:
        conn.execute("SET session_replication_role = replica")  # a superuser can get past the trigger
        conn.execute(
            "UPDATE audit_events SET payload = '{\"n\": 99}' WHERE council_id = %s AND seq = 3", (chain_of_five.id,)
        )
    with council_context(chain_of_five.id):
        result = verify_chain()
    assert not result.ok and result.at_seq == 3 and "altered" in result.problem


def test_a_removed_entry_is_found(chain_of_five, committed_db, database_urls):
    with _superuser(database_urls) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("DELETE FROM audit_events WHERE council_id = %s AND seq = 2", (chain_of_five.id,))
    with council_context(chain_of_five.id):
        result = verify_chain()
    assert not result.ok and result.at_seq == 2 and "missing" in result.problem


def test_a_relinked_entry_is_found(chain_of_five, committed_db, database_urls):
    with _superuser(database_urls) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(
            "UPDATE audit_events SET prev_hash = repeat('a', 64) WHERE council_id = %s AND seq = 4",
            (chain_of_five.id,),
        )
    with council_context(chain_of_five.id):
        result = verify_chain()
    assert not result.ok and result.at_seq == 4 and "link" in result.problem


def test_concurrent_appends_do_not_fork(committed_db, create_council, app):
    council_id = create_council().id  # read once: the row's session belongs to this thread
    committed_db.session.commit()
    errors: list[BaseException] = []

    def append(n: int) -> None:
        try:
            with app.app_context(), council_context(council_id):
                for i in range(5):
                    record_event("concurrent", "thread", f"{n}-{i}")
                    committed_db.session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    with council_context(council_id):
        result = verify_chain()
        assert result.ok and result.entries == 100
