"""The per-process council cache behind ``/c/<slug>``: hits skip the query, changes are not missed."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from tenants.council_cache import CouncilCache, council_cache
from tenants.models import Council
from tenants.resolution import find_council


@pytest.fixture
def cache_on(app):
    """Turn the cache on for one test (the suite runs with it off); empty before and after."""
    cache = council_cache(app)
    ttl = cache.ttl
    cache.ttl = 30.0
    cache.clear()
    yield cache
    cache.ttl = ttl
    cache.clear()


@pytest.fixture
def council_queries(db):
    """Count the statements that read the councils table."""
    seen: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if "FROM councils" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", _count)


def test_a_second_lookup_does_not_query(app, db, cache_on, create_council, council_queries):
    council = create_council(slug="cached-borough", name="Cached Borough")
    db.session.expunge_all()
    first = find_council("cached-borough")
    second = find_council("cached-borough")
    assert len(council_queries) == 1
    assert (second.id, second.slug, second.name) == (council.id, "cached-borough", "Cached Borough")
    assert second is first  # merged into the same session: one instance per identity, as a query would give


def test_a_cached_council_is_attached_to_the_session_with_no_changes(app, db, cache_on, create_council):
    create_council(slug="attached-borough")
    find_council("attached-borough")
    db.session.expunge_all()  # a new request's session
    council = find_council("attached-borough")
    assert council in db.session
    assert council not in db.session.dirty
    assert not db.session.new


def test_unknown_and_inactive_councils_are_not_remembered(app, db, cache_on, create_council, council_queries):
    create_council(slug="sleepy-borough", is_active=False)
    assert find_council("sleepy-borough") is None
    assert find_council("no-such-borough") is None
    assert find_council("sleepy-borough") is None
    assert len(council_queries) == 3


def test_a_council_created_after_a_miss_is_found_at_once(app, db, cache_on, create_council):
    assert find_council("new-borough") is None
    create_council(slug="new-borough")
    assert find_council("new-borough") is not None


def test_a_change_written_through_the_orm_empties_the_cache(app, db, cache_on, create_council):
    create_council(slug="renamed-borough", name="Old Name")
    find_council("renamed-borough").name = "New Name"
    db.session.flush()
    db.session.expunge_all()
    assert find_council("renamed-borough").name == "New Name"


def test_a_deactivated_council_is_forgotten_by_the_process_that_deactivates_it(app, db, cache_on, create_council):
    create_council(slug="closing-borough")
    find_council("closing-borough").is_active = False
    db.session.flush()
    assert find_council("closing-borough") is None


def _deactivate_behind_the_orms_back(db, council_id: int) -> None:
    """As another process would: a write this process's ORM never sees."""
    db.session.execute(update(Council).where(Council.id == council_id).values(is_active=False))
    db.session.expunge_all()


def test_another_process_change_is_seen_once_the_entry_expires(app, db, cache_on, create_council):
    lasting, brief = create_council(slug="lasting-borough"), create_council(slug="brief-borough")
    find_council("lasting-borough")
    cache_on.ttl = 0.0
    find_council("brief-borough")  # remembered until now, that is, not at all
    _deactivate_behind_the_orms_back(db, lasting.id)
    _deactivate_behind_the_orms_back(db, brief.id)
    assert find_council("lasting-borough") is not None  # still within its 30 seconds
    assert find_council("brief-borough") is None


def test_each_app_has_its_own_cache(app):
    from flask import Flask

    other = Flask("other")
    assert council_cache(other) is not council_cache(app)
    assert isinstance(council_cache(other), CouncilCache)
