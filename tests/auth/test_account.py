"""The "Your councils" page: a person's own councils, read past RLS through one narrow function."""

from __future__ import annotations

from sqlalchemy import select, text

from app.auth.models import CouncilRole, Role
from app.auth.queries import memberships
from tenants.context import council_context


def test_lists_only_my_councils_with_links(client, create_council, create_user, grant_role, signed_in):
    me, someone_else = create_user(), create_user()
    admin_of = create_council(name="Alpha Test Council", slug="alpha-test")
    officer_of = create_council(name="Beta Test Council", slug="beta-test")
    not_mine = create_council(name="Gamma Test Council", slug="gamma-test")
    grant_role(me, admin_of, Role.COUNCIL_ADMIN)
    grant_role(me, officer_of, Role.OFFICER, ("housing",))
    grant_role(someone_else, not_mine, Role.COUNCIL_ADMIN)

    signed_in(me)
    response = client.get("/account")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert body.index("Alpha Test Council") < body.index("Beta Test Council")
    assert 'href="/c/alpha-test/"' in body and 'href="/c/alpha-test/admin/"' in body
    assert 'href="/c/beta-test/"' in body and 'href="/c/beta-test/admin/"' not in body
    assert "Gamma Test Council" not in body
    assert "Council administrator" in body and "Officer" in body


def test_no_councils_yet(client, create_user, signed_in):
    signed_in(create_user())
    body = client.get("/account").get_data(as_text=True)
    assert "You do not have a role in any council yet" in body


def test_inactive_councils_are_left_out(client, create_council, create_user, grant_role, signed_in):
    me = create_user()
    grant_role(me, create_council(name="Closed Test Council", is_active=False), Role.OFFICER)
    signed_in(me)
    assert "Closed Test Council" not in client.get("/account").get_data(as_text=True)


def test_memberships_leave_the_callers_council_setting_alone(db, create_council, create_user, grant_role):
    me = create_user()
    first, second = create_council(), create_council()
    grant_role(me, first, Role.OFFICER)
    grant_role(me, second, Role.RESIDENT)
    with council_context(first.id):
        assert db.session.scalar(select(CouncilRole.user_id)) == me.id  # starts the transaction in council one
        found = {(m.council.id, m.role) for m in memberships(me.id)}
        assert found == {(first.id, Role.OFFICER), (second.id, Role.RESIDENT)}
        setting = db.session.execute(text("SELECT current_setting('app.council_id', true)")).scalar()
        assert setting == str(first.id)
        raw = db.session.execute(text("SELECT council_id FROM council_roles")).scalars().all()
        assert raw == [first.id]
