"""Driving the sign-in and sign-out forms as a browser does (real CSRF tokens, a same-origin Referer)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.fixtures.tenancy import DEFAULT_PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def form_token(client: FlaskClient, path: str) -> str:
    """The CSRF token in the form on ``path``."""
    page = client.get(path)
    match = CSRF_INPUT.search(page.get_data(as_text=True))
    assert match, f"no CSRF token in the form on {path} ({page.status_code})"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict[str, str], *, token: str | None = None):
    """POST ``data`` to ``path`` with the token of the form there (or ``token``) and a same-origin Referer."""
    config = client.application.config
    referer = f"{config['PREFERRED_URL_SCHEME']}://{config['SERVER_NAME']}{path}"
    body = {"csrf_token": token or form_token(client, path), **data}
    return client.post(path, data=body, headers={"Referer": referer})


def sign_in_through_the_form(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD):
    """Sign in on ``/sign-in`` and return the answer (asserting it worked)."""
    response = post_form(client, "/sign-in", {"email": email, "password": password})
    assert response.status_code in (302, 303), f"sign-in failed: {response.status_code}"
    return response


def email_of(application: Flask, user_id: int) -> str:
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    with application.app_context():
        return db.session.scalar(select(User.email).where(User.id == user_id))
