"""Helpers for driving the sign-in pages through the test client, CSRF and all."""

from __future__ import annotations

import re

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient

from tests.fixtures.factories import DEFAULT_PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


class FreshContextClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``, as in production.

    The ``db`` fixture keeps one app context pushed for the whole test (its
    session must outlive each request), and Flask reuses a pushed context for
    requests, ``g`` included: Flask-Login's loaded user and the cached council
    role would carry over from one request to the next, so a replayed cookie of
    a signed-out person would seem to work. Each request here gets a fresh ``g``.
    """

    def open(self, *args, **kwargs):
        ctx = _cv_app.get(None)
        if ctx is not None:
            ctx.g = ctx.app.app_ctx_globals_class()
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def _fresh_context_per_request(app, monkeypatch):
    monkeypatch.setattr(app, "test_client_class", FreshContextClient)


@pytest.fixture(autouse=True)
def _no_reset_padding(app, monkeypatch):
    """Forgot-password answers are padded to a fixed time; only the timing test needs that."""
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MIN_RESPONSE_SECONDS", 0)


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form on ``path`` (GET)."""
    response = client.get(path)
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def post_form(client, path: str, data: dict[str, str], *, form_path: str | None = None, **kwargs):
    """POST ``data`` to ``path`` with the CSRF token of the form at ``form_path`` (default ``path``)."""
    token = csrf_token(client, form_path or path)
    headers = {"Referer": site_url(client, form_path or path), **kwargs.pop("headers", {})}
    return client.post(path, data={"csrf_token": token, **data}, headers=headers, **kwargs)


def site_url(client, path: str) -> str:
    """``path`` as an absolute URL on the app (Flask-WTF checks the Referer over HTTPS)."""
    config = client.application.config
    return f"{config['PREFERRED_URL_SCHEME']}://{config['SERVER_NAME']}{path}"


def sign_in(client, email: str, password: str = DEFAULT_PASSWORD, *, next_url: str | None = None):
    path = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return post_form(client, path, {"email": email, "password": password})


@pytest.fixture
def signed_in(client):
    """Sign ``user`` in on ``client`` and return the response (asserting it worked)."""

    def _sign_in(user, password: str = DEFAULT_PASSWORD):
        response = sign_in(client, user.email, password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return _sign_in
