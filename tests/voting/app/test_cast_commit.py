"""Casting on the web sends the rows and the COMMIT together (``app.voting.casting.store_and_commit``).

These tests commit for real (``committed_db``): under the usual rolled-back
``db`` the session joins the test's transaction, and casting takes the
ordinary path (store, then commit), which the rest of the suite covers. Here
the one-round-trip path must store a vote exactly as the ordinary path would,
leave nothing behind when the statement refuses or fails, and leave the
connection fit for the next request.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.voting import casting, receipts
from app.voting.models import BallotKind, BallotPaper, Participation
from tenants.context import council_context
from tests.fixtures.sessions import post

pytestmark = pytest.mark.usefixtures("committed_db")

RECEIPT_CODE = r'id="receipt-code">([0-9A-Z-]{19})<'


@pytest.fixture
def no_fallback(monkeypatch):
    """Fail the test if casting falls back to the ordinary path (store, then commit)."""

    def fallback(*args, **kwargs):
        raise AssertionError("casting took the ordinary path, not store_and_commit")

    monkeypatch.setattr(casting, "store", fallback)


def _vote(world, ballot_id, client, choice="a"):
    return post(client, f"{world.prefix}/ballots/{ballot_id}/vote", {"choice": [choice], "confirm": "yes"})


def _rows(superuser_sql, ballot_id):
    """Participation rows (user ids) and papers (content, receipt hash), as another connection sees them."""
    voters = [r[0] for r in superuser_sql("SELECT user_id FROM voting_participations WHERE ballot_id = %s", ballot_id)]
    papers = superuser_sql("SELECT content, receipt_hash FROM voting_papers WHERE ballot_id = %s", ballot_id)
    return voters, papers


def test_a_vote_is_stored_and_committed_as_the_ordinary_path_stores_it(
    app, world, make_ballot, client_for, superuser_sql, no_fallback
):
    ballot = make_ballot(BallotKind.APPROVAL).id
    voter = world.residents[0]
    response = _vote(world, ballot, client_for(voter))
    assert response.status_code == 200
    code = re.search(RECEIPT_CODE, response.get_data(as_text=True)).group(1)
    voters, papers = _rows(superuser_sql, ballot)
    assert voters == [voter.id]
    assert papers == [(["a"], receipts.receipt_hash(code))]
    # The row as the app reads it back through the ORM (types, enum, day) is an ordinary paper.
    with app.app_context(), council_context(world.council.id):
        from app.extensions import db

        paper = db.session.scalar(select(BallotPaper).where(BallotPaper.ballot_id == ballot))
        participation = db.session.scalar(select(Participation).where(Participation.ballot_id == ballot))
        assert paper.channel == participation.channel
        assert paper.cast_on == participation.cast_on
        assert paper.rules_version
        db.session.remove()


def test_a_second_vote_is_refused_and_the_first_paper_stands(
    world, make_ballot, client_for, superuser_sql, no_fallback
):
    ballot = make_ballot(BallotKind.APPROVAL).id
    client = client_for(world.residents[0])
    assert _vote(world, ballot, client, "a").status_code == 200
    first = _rows(superuser_sql, ballot)
    again = _vote(world, ballot, client, "b")
    assert again.status_code == 409
    assert "already voted" in again.get_data(as_text=True)
    assert _rows(superuser_sql, ballot) == first


def test_a_ballot_changed_since_its_snapshot_is_read_again_and_the_vote_stored_once(
    world, make_ballot, client_for, superuser_sql, monkeypatch
):
    ballot = make_ballot(BallotKind.APPROVAL).id
    assert _vote(world, ballot, client_for(world.residents[0])).status_code == 200  # the snapshot is kept now
    # Another process moves the closing time: the snapshot no longer matches the row.
    superuser_sql("UPDATE voting_ballots SET closes_at = closes_at + interval '1 day' WHERE id = %s", ballot)
    sent = []
    real = casting.store_and_commit

    def spy(*args, **kwargs):
        sent.append(real(*args, **kwargs))
        return sent[-1]

    monkeypatch.setattr(casting, "store_and_commit", spy)
    assert _vote(world, ballot, client_for(world.residents[1])).status_code == 200
    assert sent == [casting.Refused.BALLOT_CHANGED, None]  # refused against the snapshot, stored against the row
    voters, papers = _rows(superuser_sql, ballot)
    assert sorted(voters) == sorted([world.residents[0].id, world.residents[1].id])
    assert len(papers) == 2


def test_a_failing_statement_stores_nothing_and_the_next_vote_goes_through(
    world, make_ballot, client_for, superuser_sql, monkeypatch, no_fallback
):
    ballot = make_ballot(BallotKind.APPROVAL).id
    # A receipt hash longer than its column: the statement fails inside the pipeline, before the COMMIT.
    monkeypatch.setattr(receipts, "receipt_hash", lambda code: "x" * 65)
    failed = _vote(world, ballot, client_for(world.residents[0]))
    assert failed.status_code == 503
    assert "nothing was saved" in failed.get_data(as_text=True)
    assert _rows(superuser_sql, ballot) == ([], [])
    monkeypatch.undo()
    monkeypatch.setattr(casting, "store", lambda *a, **k: pytest.fail("took the ordinary path"))
    assert _vote(world, ballot, client_for(world.residents[0])).status_code == 200
    assert _rows(superuser_sql, ballot)[0] == [world.residents[0].id]


def test_a_connection_lost_while_casting_stores_nothing_and_the_next_vote_reconnects(
    world, make_ballot, client_for, superuser_sql, monkeypatch
):
    ballot = make_ballot(BallotKind.APPROVAL).id
    real_values = casting._values

    def cut_off_first(placeholders, params):
        from app.extensions import db

        backend = db.session.connection().connection.driver_connection.info.backend_pid
        superuser_sql("SELECT pg_terminate_backend(%s, 5000)", backend)  # waits until it has gone
        return real_values(placeholders, params)

    monkeypatch.setattr(casting, "_values", cut_off_first)
    lost = _vote(world, ballot, client_for(world.residents[0]))
    assert lost.status_code == 503
    assert _rows(superuser_sql, ballot) == ([], [])
    monkeypatch.setattr(casting, "_values", real_values)
    assert _vote(world, ballot, client_for(world.residents[0])).status_code == 200
    assert _rows(superuser_sql, ballot)[0] == [world.residents[0].id]
