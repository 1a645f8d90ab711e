"""The signed-in person and their role, read by one Core statement (app/auth/identity.py), are ORM-loaded objects.

Whatever reads ``current_user`` afterwards (lazy loads, changes flushed,
expiry at commit) must not be able to tell the difference; and the role is
the current council's only, whatever the person holds elsewhere.
"""

from __future__ import annotations

from sqlalchemy import event, inspect, select, text

from app.auth import identity
from app.auth.identity import load_user_and_role
from app.auth.models import CouncilRole, Role, User
from app.db_pipeline import Statement
from tenants.context import council_context


def _fresh(db):
    db.session.flush()
    db.session.expunge_all()


def test_user_and_role_are_persistent_loaded_and_unchanged(db, create_council, create_user, grant_role):
    council = create_council()
    person = create_user(name="Ada Lovelace")
    grant_role(person, council, Role.OFFICER, modules=("housing",))
    person_id = person.id
    _fresh(db)
    with council_context(council.id):
        user, role = load_user_and_role(db.session, person_id, council.id)
        for loaded in (user, role):
            state = inspect(loaded)
            assert state.persistent and not state.modified and not state.expired_attributes
        assert (user.name, user.session_version, user.is_active) == ("Ada Lovelace", 1, True)
        assert (role.role, role.modules, role.council_id) == (Role.OFFICER, ["housing"], council.id)
        assert role.can_manage("housing") and not role.can_manage("youth")
        orm_user, orm_role = db.session.execute(
            select(User, CouncilRole).join(CouncilRole, CouncilRole.user_id == User.id).where(User.id == person_id)
        ).one()
        assert orm_user is user and orm_role is role  # the same identities the ORM would have


def test_changes_to_the_loaded_user_are_flushed(db, create_user):
    person_id = create_user(name="Before").id
    _fresh(db)
    user, role = load_user_and_role(db.session, person_id, None)
    assert role is None
    user.name = "After"
    db.session.flush()
    db.session.expunge_all()
    assert db.session.scalar(select(User.name).where(User.id == person_id)) == "After"


def test_only_the_current_councils_role(db, create_council, create_user, grant_role):
    here, elsewhere = create_council(), create_council()
    person = create_user()
    grant_role(person, elsewhere, Role.COUNCIL_ADMIN)
    person_id = person.id
    _fresh(db)
    with council_context(here.id):
        user, role = load_user_and_role(db.session, person_id, here.id)
    assert user is not None and role is None


def test_an_unknown_user_is_none(db, create_council):
    council = create_council()
    with council_context(council.id):
        assert load_user_and_role(db.session, 2**40, council.id) == (None, None)


def test_one_statement_and_an_object_already_in_the_session_is_kept(db, create_council, create_user, grant_role):
    council = create_council()
    person = create_user()
    grant_role(person, council, Role.RESIDENT)
    statements = []
    engine = db.session.get_bind().engine

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        with council_context(council.id):
            user, role = load_user_and_role(db.session, person.id, council.id)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert user is person  # already in the identity map: returned as the ORM would
    assert [s for s in statements if "users" in s] and len(statements) <= 2  # (the council setting may be one)
    assert role.role is Role.RESIDENT


# ---------------------------------------------------------------------------
# With real commits, the read is the transaction's first statement: one round trip with BEGIN and the setting


def _committed_person(db, create_council, create_user, grant_role, *, role_in: str = "here"):
    here, elsewhere = create_council(), create_council()
    person = create_user(name="Grace Hopper")
    grant_role(person, here if role_in == "here" else elsewhere, Role.OFFICER, modules=("youth",))
    ids = here.id, elsewhere.id, person.id
    db.session.commit()
    db.session.remove()
    return ids


def _values(obj) -> dict:
    return {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs}


def _statements_through_sqlalchemy(db, action):
    statements = []
    engine = db.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        return action(), statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_first_statement_goes_with_the_transaction_start_and_reads_what_the_usual_way_reads(
    committed_db, create_council, create_user, grant_role
):
    db = committed_db
    here_id, _, person_id = _committed_person(db, create_council, create_user, grant_role)
    with council_context(here_id):
        (user, role), statements = _statements_through_sqlalchemy(
            db, lambda: load_user_and_role(db.session, person_id, here_id)
        )
        assert statements == []  # sent with BEGIN and the setting, not as a statement of its own
        assert db.session.scalar(text("SELECT current_setting('app.council_id', true)")) == str(here_id)
        fast = _values(user), _values(role)
        for loaded in (user, role):
            state = inspect(loaded)
            assert state.persistent and not state.modified and not state.expired_attributes
        db.session.rollback()
        db.session.remove()
        db.session.begin()
        db.session.execute(text("SELECT 1"))  # the transaction has begun: the usual way
        (user, role), statements = _statements_through_sqlalchemy(
            db, lambda: load_user_and_role(db.session, person_id, here_id)
        )
        assert [s for s in statements if "users" in s]
        assert (_values(user), _values(role)) == fast
    assert fast[1]["role"] is Role.OFFICER and fast[1]["modules"] == ["youth"]
    assert fast[0]["name"] == "Grace Hopper" and fast[0]["created_at"].tzinfo is not None
    db.session.rollback()


def test_first_statement_reads_no_role_held_only_in_another_council(
    committed_db, create_council, create_user, grant_role
):
    db = committed_db
    here_id, _, person_id = _committed_person(db, create_council, create_user, grant_role, role_in="elsewhere")
    with council_context(here_id):
        (user, role), statements = _statements_through_sqlalchemy(
            db, lambda: load_user_and_role(db.session, person_id, here_id)
        )
        assert statements == [] and user.id == person_id and role is None
        assert load_user_and_role(db.session, 2**40, here_id) == (None, None)
    db.session.rollback()


def test_a_failed_first_statement_is_rolled_back_and_read_the_usual_way(
    committed_db, create_council, create_user, grant_role, monkeypatch
):
    db = committed_db
    here_id, _, person_id = _committed_person(db, create_council, create_user, grant_role)
    sql = "SELECT no_such_column FROM users WHERE id = %(user_id)s AND %(council_id)s::bigint = 0"
    broken = (Statement.from_pyformat("person and role", sql), ())
    monkeypatch.setattr(identity, "_written_out", lambda dialect: broken)
    with council_context(here_id):
        (user, role), statements = _statements_through_sqlalchemy(
            db, lambda: load_user_and_role(db.session, person_id, here_id)
        )
        assert [s for s in statements if "users" in s]  # the usual way, after the failure was rolled back
        assert (user.name, role.role) == ("Grace Hopper", Role.OFFICER)
        assert db.session.scalar(text("SELECT current_setting('app.council_id', true)")) == str(here_id)
    db.session.rollback()
