"""A frozen ballot's options are read once per process; an editable ballot's are always read fresh."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.voting import option_cache
from app.voting.models import BallotKind
from app.voting.operations import ballot_options


@pytest.fixture
def option_queries(db):
    seen: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if "FROM voting_options" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", _count)


@pytest.fixture(autouse=True)
def empty_cache(app):
    app.extensions.pop("rochdale_frozen_options", None)
    yield
    app.extensions.pop("rochdale_frozen_options", None)


def _same(cached, fresh) -> bool:
    fields = ("id", "ballot_id", "key", "title", "description", "cost_pence", "position")

    def rows(options):
        return [tuple(getattr(o, f) for f in fields) for o in options]

    return rows(cached) == rows(fresh)


def test_an_open_ballots_options_are_read_once(in_council, make_ballot, option_queries):
    ballot = make_ballot(BallotKind.PB)
    option_queries.clear()
    first = option_cache.frozen_options(ballot)
    second = option_cache.frozen_options(ballot)
    assert len(option_queries) == 1
    assert second is first
    assert _same(first, ballot_options(ballot))
    assert [o.cost_pence for o in first] == [600_000, 300_000, 200_000]


def test_copies_are_plain_frozen_values_not_orm_rows(in_council, make_ballot):
    ballot = make_ballot(BallotKind.APPROVAL)
    option = option_cache.frozen_options(ballot)[0]
    assert isinstance(option, option_cache.FrozenOption)
    with pytest.raises(AttributeError):
        option.title = "Changed"  # type: ignore[misc]


def test_a_draft_ballot_is_always_read_fresh(in_council, make_ballot, option_queries):
    ballot = make_ballot(BallotKind.APPROVAL, open_it=False)
    option_queries.clear()
    option_cache.frozen_options(ballot)
    option_cache.frozen_options(ballot)
    assert len(option_queries) == 2
    assert not isinstance(option_cache.frozen_options(ballot)[0], option_cache.FrozenOption)


def test_ballots_do_not_share_entries(in_council, make_ballot):
    approval, ranked = make_ballot(BallotKind.APPROVAL), make_ballot(BallotKind.RANKED)
    assert [o.key for o in option_cache.frozen_options(approval)] == ["a", "b", "c", "d"]
    assert [o.key for o in option_cache.frozen_options(ranked)] == ["ada", "ben", "cy"]


def test_the_cache_is_bounded(app, in_council, make_ballot, monkeypatch):
    monkeypatch.setattr(option_cache, "MAX_BALLOTS", 2)
    ballots = [make_ballot(BallotKind.APPROVAL) for _ in range(3)]
    for ballot in ballots:
        option_cache.frozen_options(ballot)
    cache = app.extensions["rochdale_frozen_options"]
    assert len(cache) == 2
    assert {key[1] for key in cache} == {ballots[1].id, ballots[2].id}  # the least recently used went
