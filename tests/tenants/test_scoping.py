"""The ORM filter and insert stamping (layer 1), with RLS (layer 2) underneath."""

import pytest
from sqlalchemy import select, text

from tenants.context import NoCouncilError, council_context
from tenants.models import Neighbourhood
from tenants.scoping import CouncilMismatchError


def test_select_sees_only_the_current_council(db, create_council, create_neighbourhood):
    a, b = create_council(), create_council()
    with council_context(a.id):
        create_neighbourhood(name="Alpha ward")
    with council_context(b.id):
        create_neighbourhood(name="Beta ward")
        names = db.session.scalars(select(Neighbourhood.name)).all()
    assert names == ["Beta ward"]


def test_no_council_means_no_rows(db, create_council, create_neighbourhood):
    a = create_council()
    with council_context(a.id):
        create_neighbourhood()
    assert db.session.scalars(select(Neighbourhood)).all() == []
    # RLS underneath: raw SQL outside the ORM filter sees nothing either.
    assert db.session.execute(text("SELECT count(*) FROM neighbourhoods")).scalar() == 0


def test_insert_without_council_is_refused(db):
    db.session.add(Neighbourhood(name="Nowhere"))
    with pytest.raises(NoCouncilError):
        db.session.flush()


def test_insert_for_another_council_is_refused(db, create_council):
    a, b = create_council(), create_council()
    with council_context(a.id):
        db.session.add(Neighbourhood(name="Sneaky", council_id=b.id))
        with pytest.raises(CouncilMismatchError):
            db.session.flush()


def test_bulk_update_is_scoped(db, create_council, create_neighbourhood):
    from sqlalchemy import update

    a, b = create_council(), create_council()
    with council_context(a.id):
        create_neighbourhood(name="Keep")
    with council_context(b.id):
        create_neighbourhood(name="Change")
        db.session.execute(update(Neighbourhood).values(name="Changed"))
    with council_context(a.id):
        assert db.session.scalars(select(Neighbourhood.name)).all() == ["Keep"]


def test_session_get_needs_the_council_in_the_key(db, create_council, create_neighbourhood):
    a = create_council()
    with council_context(a.id):
        n = create_neighbourhood()
        with pytest.raises(Exception, match="primary key"):
            db.session.get(Neighbourhood, n.id)


def test_streamed_results_see_the_council(committed_db, create_council, create_neighbourhood):
    """A server-side cursor as the first statement of a transaction still gets the council setting."""
    a = create_council()
    with council_context(a.id):
        create_neighbourhood(name="Streamed")
        committed_db.session.commit()
        rows = committed_db.session.scalars(select(Neighbourhood.name).execution_options(yield_per=10)).all()
    assert rows == ["Streamed"]


def test_rolled_back_savepoint_does_not_lose_the_council(db, create_council, create_neighbourhood):
    """set_config made inside a savepoint is undone by ROLLBACK TO SAVEPOINT; the next query must set it again."""
    a = create_council()
    with council_context(a.id):
        create_neighbourhood(name="Kept")
    db.session.execute(text("SELECT 1"))  # no council: the setting goes back to empty
    nested = db.session.begin_nested()
    with council_context(a.id):
        db.session.execute(text("SELECT 1"))  # the setting is made inside the savepoint
    nested.rollback()
    with council_context(a.id):
        assert db.session.scalars(select(Neighbourhood.name)).all() == ["Kept"]
