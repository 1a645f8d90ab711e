"""Casting from a snapshot of the open ballot: no read of the row, and never a vote against a changed ballot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.voting import open_ballots, operations, timing
from app.voting.models import Ballot, BallotKind, BallotPaper, Participation
from tenants.context import council_context
from tests.fixtures.sessions import post

CAST = {"choice": "for", "confirm": "yes"}


@pytest.fixture(autouse=True)
def empty_cache(app):
    app.extensions.pop("rochdale_open_ballots", None)
    yield
    app.extensions.pop("rochdale_open_ballots", None)


@pytest.fixture(autouse=True)
def _inside_the_council(in_council):
    """Rows are read as the council's pages read them (see ``in_council``)."""


@pytest.fixture
def statements(db):
    seen: list[str] = []

    def _record(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", _record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", _record)


def _url(world, ballot) -> str:
    return f"{world.prefix}/ballots/{ballot.id}/vote"


def _papers(world) -> int:
    with council_context(world.council.id):
        return db.session.scalar(select(func.count()).select_from(BallotPaper))


def test_the_second_vote_reads_neither_the_ballot_nor_the_role_separately(world, make_ballot, client_for, statements):
    ballot = make_ballot(BallotKind.RESOLUTION)
    url = _url(world, ballot)
    assert post(client_for(world.residents[0]), url, CAST).status_code == 200
    client = client_for(world.residents[1])
    statements.clear()
    assert post(client, url, CAST).status_code == 200
    reads_of_ballot = [s for s in statements if s.startswith("SELECT") and "FROM voting_ballots" in s]
    reads_of_roles = [s for s in statements if s.startswith("SELECT council_roles")]
    assert reads_of_ballot == [] and reads_of_roles == []
    # The person and their role in this council come back in one statement.
    assert len([s for s in statements if "FROM users LEFT OUTER JOIN council_roles" in s]) == 1
    assert _papers(world) == 2


def test_a_snapshot_taken_before_the_ballot_closed_stores_nothing(world, make_ballot, client_for):
    ballot = make_ballot(BallotKind.RESOLUTION)
    assert post(client_for(world.residents[0]), _url(world, ballot), CAST).status_code == 200
    assert open_ballots.cached(world.council.id, ballot.id) is not None
    with council_context(world.council.id):
        operations.close_ballot(db.session.scalar(select(Ballot).where(Ballot.id == ballot.id)))
        db.session.commit()
    response = post(client_for(world.residents[1]), _url(world, ballot), CAST)
    assert response.status_code == 403
    assert "This ballot closed on" in response.get_data(as_text=True)
    assert _papers(world) == 1
    assert open_ballots.cached(world.council.id, ballot.id) is None


def test_a_stale_snapshot_that_would_refuse_is_checked_against_the_row(world, make_ballot, client_for):
    """A snapshot saying the ballot has closed (the officer has since moved the closing time) turns nobody away."""
    ballot = make_ballot(BallotKind.RESOLUTION)
    assert post(client_for(world.residents[0]), _url(world, ballot), CAST).status_code == 200
    snapshot = open_ballots.cached(world.council.id, ballot.id)
    object.__setattr__(snapshot, "closes_at", timing.now() - timedelta(minutes=1))  # as an older snapshot would say
    response = post(client_for(world.residents[1]), _url(world, ballot), CAST)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _papers(world) == 2
    assert open_ballots.cached(world.council.id, ballot.id).closes_at > timing.now()  # the fresh row replaced it


def test_the_cast_statement_refuses_a_ballot_that_changed_since_it_was_read(world, make_ballot):
    ballot = make_ballot(BallotKind.RESOLUTION)
    with council_context(world.council.id):
        row = db.session.scalar(select(Ballot).where(Ballot.id == ballot.id))
        snapshot = open_ballots.BallotSnapshot(row)
        row.closes_at = row.closes_at + timedelta(hours=1)  # an officer moves the closing time
        db.session.commit()
        voter = world.residents[0]
        with pytest.raises(operations.StaleBallotError):
            operations.cast_vote(snapshot, voter, "for", already_locked=True)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Participation)) == 0
        assert db.session.scalar(select(func.count()).select_from(BallotPaper)) == 0


def test_snapshots_are_read_only_and_only_of_open_ballots(world, make_ballot, app):
    draft = make_ballot(BallotKind.RESOLUTION, open_it=False)
    with council_context(world.council.id):
        row = db.session.scalar(select(Ballot).where(Ballot.id == draft.id))
        open_ballots.remember(row)
        assert open_ballots.cached(world.council.id, draft.id) is None
        snapshot = open_ballots.BallotSnapshot(row)
        with pytest.raises(AttributeError):
            snapshot.title = "Changed"


def test_snapshots_expire(world, make_ballot, monkeypatch):
    ballot = make_ballot(BallotKind.RESOLUTION)
    with council_context(world.council.id):
        open_ballots.remember(db.session.scalar(select(Ballot).where(Ballot.id == ballot.id)))
    assert open_ballots.cached(world.council.id, ballot.id) is not None
    monkeypatch.setattr(open_ballots, "TTL_SECONDS", -1.0)
    assert open_ballots.cached(world.council.id, ballot.id) is None


def test_a_paper_that_does_not_fit_a_stale_snapshot_is_checked_against_the_ballot_itself(
    app, world, make_ballot, client_for
):
    """A snapshot of an earlier row under the same id (ids restart when a test database is emptied) never refuses."""
    earlier = make_ballot(BallotKind.RESOLUTION)
    assert post(client_for(world.residents[0]), _url(world, earlier), CAST).status_code == 200
    ballot = make_ballot(BallotKind.APPROVAL)
    cache = app.extensions["rochdale_open_ballots"]
    # The resolution's snapshot filed under the approval ballot's id: "a" and "c" are no answer to a resolution.
    cache[(world.council.id, ballot.id)] = cache[(world.council.id, earlier.id)]
    cast = post(client_for(world.residents[1]), _url(world, ballot), {"choice": ["a", "c"], "confirm": "yes"})
    assert cast.status_code == 200, cast.get_data(as_text=True)[:300]
    assert "Your vote has been cast" in cast.get_data(as_text=True)
    assert _papers(world) == 2
