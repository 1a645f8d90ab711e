"""T-1.4: with no council chosen, the database shows nothing and accepts nothing.

Everything here runs as the app role through the app's own engine (so the RLS
listener is live), on councils A and B seeded with a row of every council model.
Raw SQL skips the ORM filter on purpose: row-level security alone must hold.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.extensions import db
from tenants.context import NoCouncilError, council_context
from tests.fixtures.tenancy import (
    BuildContext,
    World,
    build_row,
    council_scoped_models,
    council_tables,
    model_for_table,
)

_fresh_ids = itertools.count(6_000_001)
EMPTY_TABLE_HASH = "d41d8cd98f00b204e9800998ecf8427e"  # md5('') : Snapshot's hash of a table with no rows


@pytest.fixture
def app_conn(app, tenancy_world) -> Iterator[sa.Connection]:
    """A connection as the app role, outside any council."""
    with app.app_context(), db.engine.connect() as conn:
        yield conn


def _new_row(world: World, table: sa.Table, label: str, council_label: str | None = None) -> dict:
    """A fresh row of ``table`` for council ``label``, referring to that council's seeded rows."""
    council = world[label]
    ctx = BuildContext(
        label=label,
        council_id=council.id,
        row_id=council.row_id,  # foreign keys point at the seeded rows
        member_user_id=council.users["member"],
        people=dict(council.users),
        markers=set(),
        tokens=[],
        ids=dict(council.ids),
    )
    row = build_row(model_for_table(table), ctx, {"users": council.users["member"]})
    if isinstance(table.c.id.type, sa.Integer):
        row["id"] = next(_fresh_ids)
    # (a non-numeric id, a random UUID, is fresh already)
    if council_label is not None:
        row["council_id"] = world[council_label].id
    return row


def _rows_changed(conn: sa.Connection, statement: str, **params: object) -> int:
    """Rows changed by ``statement`` (in a savepoint); 0 where the app role may not run it at all."""
    try:
        with conn.begin_nested():
            return conn.execute(sa.text(statement), params).rowcount
    except sa.exc.ProgrammingError as exc:
        if "permission denied" in str(exc.orig):  # e.g. append-only tables: no UPDATE or DELETE grant
            return 0
        raise


def _set_council(conn: sa.Connection, council_id: int) -> None:
    conn.execute(sa.text("SELECT set_config('app.council_id', :id, true)"), {"id": str(council_id)})


def test_without_a_council_every_council_table_looks_empty(app_conn, tenancy_world, snapshot):
    seeded = snapshot.everything()
    not_empty = []
    for table in council_tables():
        assert seeded[table.name] != EMPTY_TABLE_HASH, f"{table.name} was not seeded"
        count = app_conn.execute(sa.text(f'SELECT count(*) FROM "{table.name}"')).scalar()
        if count:
            not_empty.append(f"{table.name}: {count} rows")
    app_conn.rollback()
    assert not not_empty, f"council tables visible with no council set: {not_empty}"


def test_without_a_council_no_insert_is_accepted(app_conn, tenancy_world):
    accepted = []
    for table in council_tables():
        trans = app_conn.begin()
        try:
            app_conn.execute(sa.insert(table).values(**_new_row(tenancy_world, table, "A")))
            accepted.append(table.name)
        except sa.exc.DBAPIError as exc:
            assert "row-level security" in str(exc.orig), f"{table.name}: refused, but not by RLS: {exc.orig}"
        finally:
            trans.rollback()
    assert not accepted, f"inserted with no council set: {accepted}"


def test_acting_for_a_no_insert_for_b_is_accepted(app_conn, tenancy_world):
    accepted = []
    for table in council_tables():
        trans = app_conn.begin()
        try:
            _set_council(app_conn, tenancy_world["A"].id)
            app_conn.execute(sa.insert(table).values(**_new_row(tenancy_world, table, "B")))
            accepted.append(table.name)
        except sa.exc.DBAPIError as exc:
            assert "row-level security" in str(exc.orig), f"{table.name}: refused, but not by RLS: {exc.orig}"
        finally:
            trans.rollback()
    assert not accepted, f"acting for A, inserted rows for B into: {accepted}"


def test_acting_for_a_sees_only_a_and_cannot_touch_b(app_conn, tenancy_world, snapshot):
    a, b = tenancy_world["A"], tenancy_world["B"]
    before = snapshot.owned_by(b)
    problems = []
    for table in council_tables():
        trans = app_conn.begin()
        try:
            _set_council(app_conn, a.id)
            seen = set(app_conn.execute(sa.text(f'SELECT DISTINCT council_id FROM "{table.name}"')).scalars())
            if seen != {a.id}:
                problems.append(f"{table.name}: acting for A sees councils {seen}")
            updated = _rows_changed(
                app_conn, f'UPDATE "{table.name}" SET council_id = council_id WHERE council_id = :b', b=b.id
            )
            deleted = _rows_changed(app_conn, f'DELETE FROM "{table.name}" WHERE council_id = :b', b=b.id)
            if updated or deleted:
                problems.append(f"{table.name}: acting for A updated {updated} and deleted {deleted} of B's rows")
            # Moving A's own row to B is refused by WITH CHECK (or the table takes no updates at all).
            try:
                moved = _rows_changed(
                    app_conn, f'UPDATE "{table.name}" SET council_id = :b WHERE id = :id', b=b.id, id=a.ids[table.name]
                )
                if moved:
                    problems.append(f"{table.name}: acting for A moved a row to B")
            except sa.exc.DBAPIError as exc:
                # An append-only table's trigger refuses every UPDATE before the policy is asked.
                if not any(why in str(exc.orig) for why in ("row-level security", "foreign key", "append-only")):
                    problems.append(f"{table.name}: moving a row to B failed oddly: {exc.orig}")
        finally:
            trans.rollback()
    assert not problems, "\n".join(problems)
    assert snapshot.owned_by(b) == before


def test_the_setting_is_transaction_local(app_conn, tenancy_world):
    """After a transaction that chose council A ends, the next one on the connection starts empty."""
    with app_conn.begin():
        _set_council(app_conn, tenancy_world["A"].id)
        assert app_conn.execute(sa.text("SELECT count(*) FROM neighbourhoods")).scalar() == 1
    setting = app_conn.execute(sa.text("SELECT current_setting('app.council_id', true)")).scalar()
    # PostgreSQL leaves '' (not NULL) behind once a transaction-local custom setting ends.
    assert setting in ("", None)
    assert app_conn.execute(sa.text("SELECT count(*) FROM neighbourhoods")).scalar() == 0
    app_conn.rollback()


def test_orm_without_a_council_reads_nothing_and_writes_nothing(app, tenancy_world):
    with app.app_context():
        for model in council_scoped_models():
            assert db.session.scalars(select(model)).all() == [], model.__name__
            # Even the escape hatch sees nothing without a council: RLS is underneath.
            everything = db.session.scalars(select(model).execution_options(all_councils=True)).all()
            assert everything == [], model.__name__
        for model in council_scoped_models():
            db.session.add(model())
            with pytest.raises(NoCouncilError):
                db.session.flush()
            db.session.rollback()


def test_orm_acting_for_a_reads_only_a(app, tenancy_world):
    a = tenancy_world["A"]
    with app.app_context(), council_context(a.id):
        for model in council_scoped_models():
            councils = {row.council_id for row in db.session.scalars(select(model))}
            assert councils == {a.id}, model.__name__
            everything = db.session.scalars(select(model).execution_options(all_councils=True)).all()
            assert {row.council_id for row in everything} == {a.id}, f"{model.__name__}: RLS under all_councils"
        db.session.rollback()


def test_identity_map_cannot_hand_over_another_councils_row(app, tenancy_world):
    """T-1.6: B's row, already in the session's identity map, is still a 404 when acting for A.

    ``get_or_404`` selects (the filter and RLS apply) instead of ``Session.get``, whose
    identity-map shortcut would return the cached row without asking the database.
    """
    from werkzeug.exceptions import NotFound

    from app.web.loading import get_or_404
    from tenants.models import Neighbourhood

    a, b = tenancy_world["A"], tenancy_world["B"]
    with app.test_request_context():
        with council_context(b.id):
            theirs = db.session.scalars(select(Neighbourhood)).one()
            assert theirs.id == b.row_id
        with council_context(a.id):
            assert theirs in db.session  # cached, the trap is set
            with pytest.raises(NotFound):
                get_or_404(Neighbourhood, b.row_id)
            assert {n.council_id for n in db.session.scalars(select(Neighbourhood))} == {a.id}
        db.session.rollback()


def test_each_request_gets_a_fresh_session(app, tenancy_world):
    """Nothing loaded in one request is in the identity map of the next."""
    from tenants.models import Neighbourhood

    b = tenancy_world["B"]
    with app.test_request_context(), council_context(b.id):
        first = db.session()
        loaded = db.session.scalars(select(Neighbourhood)).all()
        assert loaded and len(first.identity_map) == len(loaded)
    with app.test_request_context():
        assert db.session() is not first
        assert len(db.session().identity_map) == 0
