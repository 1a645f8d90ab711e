"""Accepting an invitation: a new account or an existing one; bad links write nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import CouncilRole, Invitation, Role, User
from app.auth.tokens import new_token
from tenants.context import council_context
from tests.auth.conftest import post_form, sign_in

PASSWORD = "a quiet orange lighthouse"


@pytest.fixture
def invite(db):
    """Create an invitation in ``council`` as the council admin pages do; returns ``(path, invitation)``."""

    def _invite(
        council,
        email: str,
        role: Role = Role.OFFICER,
        modules: tuple[str, ...] = ("housing",),
        invited_by: User | None = None,
        expires_in: timedelta = timedelta(days=7),
        accepted: bool = False,
    ) -> tuple[str, Invitation]:
        token, token_hash = new_token()
        with council_context(council.id):
            invitation = Invitation(
                email=email,
                role=role,
                modules=list(modules),
                token_hash=token_hash,
                invited_by_id=invited_by.id if invited_by else None,
                expires_at=datetime.now(UTC) + expires_in,
                accepted_at=datetime.now(UTC) if accepted else None,
            )
            db.session.add(invitation)
            db.session.flush()
        return f"/c/{council.slug}/invitations/{token}", invitation

    return _invite


def _roles(db, council) -> list[tuple[int, Role, list[str]]]:
    with council_context(council.id):
        rows = db.session.execute(select(CouncilRole.user_id, CouncilRole.role, CouncilRole.modules)).all()
    return [tuple(row) for row in rows]


def _accepted_at(db, council, invitation: Invitation):
    db.session.expire_all()
    with council_context(council.id):
        return db.session.scalar(select(Invitation.accepted_at).where(Invitation.id == invitation.id))


def _user_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_page_says_who_invited_them_and_to_what(client, create_council, create_user, invite):
    council = create_council(name="Oldham Test Council")
    admin = create_user(name="Priya Shah")
    path, _ = invite(council, "new.officer@example.org", modules=("housing", "youth"), invited_by=admin)
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Priya Shah has invited you" in body
    assert "Oldham Test Council" in body and "officer" in body
    assert "Housing co-operatives, Youth service choices" in body
    assert 'autocomplete="new-password"' in body and 'autocomplete="name"' in body
    assert response.headers["Cache-Control"] == "no-store"


def test_new_account_is_created_and_signed_in(client, create_council, invite, db):
    council = create_council()
    path, invitation = invite(council, "fresh@example.org", modules=("care",))
    response = post_form(client, path, {"name": "Sam Okafor", "password": PASSWORD, "password_confirm": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{council.slug}/"

    user = db.session.scalar(select(User).where(User.email == "fresh@example.org"))
    assert user.name == "Sam Okafor"
    assert _roles(db, council) == [(user.id, Role.OFFICER, ["care"])]
    assert _accepted_at(db, council, invitation) is not None
    account = client.get("/account")
    assert account.status_code == 200 and council.name in account.get_data(as_text=True)
    assert sign_in(client.application.test_client(), "fresh@example.org", PASSWORD).status_code == 302


def test_new_account_form_errors_write_nothing(client, create_council, invite, db):
    council = create_council()
    path, invitation = invite(council, "fresh2@example.org")
    users_before = _user_count(db)
    cases = [
        ({"name": "", "password": PASSWORD, "password_confirm": PASSWORD}, "Enter your full name"),
        ({"name": "Sam", "password": "short", "password_confirm": "short"}, "Password must be 8 characters or more"),
        ({"name": "Sam", "password": "iloveyou1", "password_confirm": "iloveyou1"}, "common passwords"),
        ({"name": "Sam", "password": PASSWORD, "password_confirm": "something else"}, "Passwords must match"),
    ]
    for data, message in cases:
        response = post_form(client, path, data)
        body = response.get_data(as_text=True)
        assert response.status_code == 400
        assert message in body and "There is a problem" in body
    assert _user_count(db) == users_before
    assert _roles(db, council) == []
    assert _accepted_at(db, council, invitation) is None


def test_existing_account_must_sign_in_first(client, create_council, create_user, invite, db):
    council = create_council()
    user = create_user(email="already@example.org")
    path, invitation = invite(council, "already@example.org", role=Role.COUNCIL_ADMIN, modules=())
    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "already has an account" in body
    assert "/sign-in?next=" in body
    assert 'name="password"' not in body  # no way to make a second account

    # Posting without signing in changes nothing and sends them to sign in.
    data = {"name": "Intruder", "password": PASSWORD, "password_confirm": PASSWORD}
    response = post_form(client, path, data, form_path="/password/forgot")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    assert _roles(db, council) == []
    assert _accepted_at(db, council, invitation) is None
    db.session.expire_all()
    assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == user.password_hash

    # Signed in, they accept with one button.
    signed = sign_in(client, "already@example.org", next_url=path)
    assert signed.headers["Location"] == path
    accept_page = client.get(path).get_data(as_text=True)
    assert "Accept invitation" in accept_page
    response = post_form(client, path, {})
    assert response.status_code == 302 and response.headers["Location"] == f"/c/{council.slug}/"
    assert _roles(db, council) == [(user.id, Role.COUNCIL_ADMIN, [])]
    assert _accepted_at(db, council, invitation) is not None
    account = client.get("/account").get_data(as_text=True)
    assert f"/c/{council.slug}/admin/" in account


def test_existing_role_is_replaced_by_the_invited_one(client, create_council, create_user, grant_role, invite, db):
    council = create_council()
    user = create_user(email="resident@example.org")
    grant_role(user, council, Role.RESIDENT)
    path, _ = invite(council, "resident@example.org", role=Role.OFFICER, modules=("schools",))
    sign_in(client, user.email)
    assert post_form(client, path, {}).status_code == 302
    assert _roles(db, council) == [(user.id, Role.OFFICER, ["schools"])]


def test_signed_in_as_someone_else(client, create_council, create_user, invite, db):
    council = create_council()
    create_user(email="invited@example.org")
    other = create_user(email="other@example.org")
    path, invitation = invite(council, "invited@example.org")
    sign_in(client, other.email)
    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "You are signed in as other@example.org, but this invitation is for invited@example.org" in body
    assert post_form(client, path, {}, form_path="/sign-out").status_code == 403
    assert _roles(db, council) == []
    assert _accepted_at(db, council, invitation) is None


def test_signed_in_as_someone_else_cannot_create_the_invited_account(client, create_council, create_user, invite, db):
    council = create_council()
    other = create_user(email="other2@example.org")
    path, _ = invite(council, "brand.new@example.org")
    sign_in(client, other.email)
    data = {"name": "Sneaky", "password": PASSWORD, "password_confirm": PASSWORD}
    assert post_form(client, path, data, form_path="/sign-out").status_code == 403
    assert db.session.scalar(select(User).where(User.email == "brand.new@example.org")) is None


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"expires_in": timedelta(seconds=-1)}, 410, "This link has expired"),
        ({"accepted": True}, 410, "This link has already been used"),
    ],
)
def test_expired_or_used_invitations_say_so_and_write_nothing(
    client, create_council, invite, db, kwargs, status, message
):
    council = create_council()
    path, _ = invite(council, "late@example.org", **kwargs)
    users_before = _user_count(db)
    response = client.get(path)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    data = {"name": "Late", "password": PASSWORD, "password_confirm": PASSWORD}
    posted = post_form(client, path, data, form_path="/password/forgot")
    assert posted.status_code == status
    assert _user_count(db) == users_before
    assert _roles(db, council) == []


def test_unknown_token_is_not_valid(client, create_council):
    council = create_council()
    response = client.get(f"/c/{council.slug}/invitations/not-a-real-token")
    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)


def test_another_councils_invitation_is_a_404(client, create_council, invite, db):
    home, elsewhere = create_council(), create_council()
    path, invitation = invite(home, "crosser@example.org")
    token = path.rsplit("/", 1)[1]
    wrong_path = f"/c/{elsewhere.slug}/invitations/{token}"
    assert client.get(wrong_path).status_code == 404
    data = {"name": "Crosser", "password": PASSWORD, "password_confirm": PASSWORD}
    assert post_form(client, wrong_path, data, form_path="/password/forgot").status_code == 404
    assert db.session.scalar(select(User).where(User.email == "crosser@example.org")) is None
    assert _accepted_at(db, home, invitation) is None
    assert client.get(path).status_code == 200  # still fine at its own council


def test_invitation_cannot_be_accepted_twice(client, create_council, invite, db):
    council = create_council()
    path, _ = invite(council, "twice@example.org")
    data = {"name": "Twice", "password": PASSWORD, "password_confirm": PASSWORD}
    assert post_form(client, path, data).status_code == 302
    second = post_form(client.application.test_client(), path, data, form_path="/password/forgot")
    assert second.status_code == 410
    assert _user_count(db) == 1
