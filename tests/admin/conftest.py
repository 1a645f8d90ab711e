"""Fixtures for the council administration pages: a council, people in it, signing in, CSRF tokens."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import _create_identifier

from app.auth.models import Role, User

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)" name="csrf_token"')


def sign_in_as(app: Flask, client: FlaskClient, user: User) -> None:
    """Put ``user`` in the client's Flask-Login session, as signing in would.

    ``_id`` must match what Flask-Login derives from the test client's address
    and user agent, or "strong" session protection throws the session away.
    """
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["_id"] = identifier


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token from the form on the page at ``path``."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def submit(client: FlaskClient, path: str, data: dict, *, form_page: str | None = None, **kwargs):
    """Post ``data`` to ``path`` the way a browser does: with the form's CSRF token and a same-site Referer.

    Flask-WTF checks the Referer on HTTPS requests (``WTF_CSRF_SSL_STRICT``).
    """
    page = form_page or path
    token = csrf_token(client, page)
    referer = f"https://{client.application.config['SERVER_NAME']}{page}"
    return client.post(path, data={**data, "csrf_token": token}, headers={"Referer": referer}, **kwargs)


@pytest.fixture
def no_csrf(app: Flask):
    """Turn CSRF checks off for one test (most tests post without fetching the form first)."""
    previous = app.config.get("WTF_CSRF_ENABLED", True)
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = previous


@pytest.fixture
def council(create_council):
    return create_council(slug="kingsmere", name="Kingsmere Council")


@pytest.fixture
def other_council(create_council):
    return create_council(slug="lowbridge", name="Lowbridge Council")


@pytest.fixture
def admin(create_user, grant_role, council) -> User:
    user = create_user(email="admin@kingsmere.example", name="Ada Admin")
    grant_role(user, council, Role.COUNCIL_ADMIN)
    return user


@pytest.fixture
def sign_in(app: Flask, client: FlaskClient) -> Callable[[User], None]:
    return lambda user: sign_in_as(app, client, user)


@pytest.fixture
def as_admin(sign_in, admin) -> User:
    sign_in(admin)
    return admin
