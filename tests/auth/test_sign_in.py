"""Signing in: the form, where it leads, and that it never tells which accounts exist (T-5.6)."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.auth import passwords
from app.auth.models import User
from tests.auth.conftest import csrf_token, post_form, sign_in, site_url
from tests.fixtures.factories import DEFAULT_PASSWORD


def test_form_uses_the_gov_uk_sign_in_pattern(client):
    response = client.get("/sign-in")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'autocomplete="email"' in body
    assert 'autocomplete="current-password"' in body
    assert 'data-module="govuk-password-input"' in body
    assert 'name="csrf_token"' in body
    assert "remember" not in body.lower()  # no remember-me option
    assert response.headers["Cache-Control"] == "no-store"


def test_correct_password_signs_in_and_goes_to_your_councils(client, create_user, db):
    user = create_user(email="ada@example.org")
    assert user.last_signed_in_at is None
    response = sign_in(client, "ada@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(User.last_signed_in_at).where(User.id == user.id)) is not None


def test_email_is_matched_case_insensitively(client, create_user):
    create_user(email="grace@example.org")
    assert sign_in(client, "  Grace@Example.ORG ").status_code == 302


@pytest.mark.parametrize("target", ["/c/some-council/admin/", "/account?tab=1"])
def test_safe_next_is_honoured(client, create_user, target):
    user = create_user()
    response = sign_in(client, user.email, next_url=target)
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
        "/%0d%0aSet-Cookie:x=1",
    ],
)
def test_unsafe_next_is_ignored(client, create_user, target):
    from urllib.parse import quote

    user = create_user()
    response = sign_in(client, user.email, next_url=quote(target, safe=""))
    location = response.headers["Location"]
    # The encoded CRLF case is a harmless local path; everything else falls back to the account page.
    assert location == "/account" or location.startswith("/%0")
    assert "evil.example" not in location or location.startswith("/")


def test_signing_in_starts_a_new_session_without_old_data(client, create_user):
    user = create_user()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("__Host-session", domain="rochdale.test").value
    sign_in(client, user.email)
    after = client.get_cookie("__Host-session", domain="rochdale.test").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_version}"


def test_signed_in_person_visiting_sign_in_goes_to_account(client, create_user, signed_in):
    signed_in(create_user())
    response = client.get("/sign-in")
    assert response.status_code == 302 and response.headers["Location"] == "/account"


def test_empty_form_shows_errors_and_400(client):
    response = post_form(client, "/sign-in", {"email": "", "password": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in body
    assert 'href="#email">Enter your email address' in body
    assert 'href="#password">Enter your password' in body
    assert "<title>Error: Sign in" in body


def test_badly_formed_email_is_explained(client):
    response = post_form(client, "/sign-in", {"email": "not-an-email", "password": "x"})
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_inactive_account_cannot_sign_in(client, create_user):
    user = create_user(is_active=False)
    response = sign_in(client, user.email)
    assert response.status_code == 400
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_entered_email_is_escaped(client):
    response = post_form(client, "/sign-in", {"email": '"><script>alert(1)</script>@x.org', "password": "x"})
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body


# --- no account enumeration ---------------------------------------------------------------------


def _normalised(response, email: str) -> tuple[int, str, dict[str, str], list[str]]:
    body = response.get_data(as_text=True).replace(email, "EMAIL")
    body = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="TOKEN"', body)
    body = re.sub(r'nonce="[^"]+"', 'nonce="NONCE"', body)
    headers = {k: v for k, v in response.headers.items() if k not in ("Set-Cookie", "Content-Security-Policy")}
    headers["Content-Security-Policy"] = re.sub(r"nonce-[^']+", "nonce-X", response.headers["Content-Security-Policy"])
    cookies = sorted(re.sub(r"=[^;]*;", "=VALUE;", c, count=1) for c in response.headers.getlist("Set-Cookie"))
    return response.status_code, body, headers, cookies


def test_unknown_email_and_wrong_password_answer_identically(client, create_user):
    create_user(email="known@example.org")
    wrong_password = sign_in(client, "known@example.org", "not the right password")
    # Same length, so Content-Length compares too.
    unknown_email = sign_in(client, "nobdy@example.org", "not the right password")
    assert wrong_password.status_code == 400
    assert _normalised(wrong_password, "known@example.org") == _normalised(unknown_email, "nobdy@example.org")
    assert "Enter a correct email address and password" in wrong_password.get_data(as_text=True)


def test_unknown_email_still_costs_a_password_hash(client, monkeypatch):
    calls = []
    real_hasher = passwords.hasher

    class CountingHasher:
        def __init__(self, inner):
            self.inner = inner

        def hash(self, password):
            calls.append("hash")
            return self.inner.hash(password)

        def verify(self, *args):
            calls.append("verify")
            return self.inner.verify(*args)

    monkeypatch.setattr(passwords, "hasher", lambda: CountingHasher(real_hasher()))
    sign_in(client, "nobody@example.org", "some password")
    assert calls == ["hash"]


@pytest.mark.slow
def test_response_time_does_not_tell_accounts_apart(app, client, create_user):
    """Median time for a wrong password and an unknown email differ by under 20% (T-5.6)."""
    create_user(email="timed@example.org")
    token = csrf_token(client, "/sign-in")
    headers = {"Referer": site_url(client, "/sign-in")}

    def attempt(email: str) -> float:
        start = time.perf_counter()
        response = client.post(
            "/sign-in", data={"csrf_token": token, "email": email, "password": "wrong password"}, headers=headers
        )
        elapsed = time.perf_counter() - start
        assert response.status_code == 400
        return elapsed

    known, unknown = [], []
    for _ in range(50):
        known.append(attempt("timed@example.org"))
        unknown.append(attempt("untimed@example.org"))
    known_median, unknown_median = statistics.median(known), statistics.median(unknown)
    assert abs(known_median - unknown_median) / max(known_median, unknown_median) < 0.2, (known_median, unknown_median)


# --- hashes -------------------------------------------------------------------------------------


def test_old_hash_parameters_are_upgraded_on_sign_in(client, create_user, db):
    user = create_user()
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEFAULT_PASSWORD)
    user.password_hash = weak
    db.session.flush()
    assert passwords.needs_rehash(weak)
    assert sign_in(client, user.email).status_code == 302
    db.session.expire_all()
    new_hash = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert new_hash != weak
    assert new_hash.startswith("$argon2id$") and "m=19456" in new_hash
    assert not passwords.needs_rehash(new_hash)


def test_failed_sign_in_writes_nothing(client, create_user, db):
    user = create_user()
    before = user.password_hash
    assert sign_in(client, user.email, "not the password").status_code == 400
    db.session.expire_all()
    row = db.session.scalar(select(User).where(User.id == user.id))
    assert row.last_signed_in_at is None and row.password_hash == before
