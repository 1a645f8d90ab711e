"""Forgotten passwords: the same answer for every address, single-use links that expire."""

from __future__ import annotations

import re
import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import PasswordResetToken, User
from app.auth.operations import MAX_RESET_EMAILS_PER_HOUR
from app.auth.tokens import hash_token, new_token
from tests.auth.conftest import csrf_token, post_form, sign_in, site_url
from workers.models import OutboundEmail

NEW_PASSWORD = "a quiet orange lighthouse"
SENT = "If that address has an account, we have sent a link"


def _emails_to(db, address: str) -> list[OutboundEmail]:
    return list(db.session.scalars(select(OutboundEmail).where(OutboundEmail.to_address == address)))


def _link_in(email: OutboundEmail) -> str:
    match = re.search(r"https://rochdale\.test(/password/reset/[A-Za-z0-9_-]+)", email.body)
    assert match, email.body
    return match.group(1)


def _token_row(db, user: User, *, expires_in=timedelta(hours=1), used=False) -> str:
    token, token_hash = new_token()
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=token_hash,
            expires_at=datetime.now(UTC) + expires_in,
            used_at=datetime.now(UTC) if used else None,
        )
    )
    db.session.flush()
    return token


def _reset(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return post_form(client, path, {"password": password, "password_confirm": confirm or password})


def test_forgot_form(client):
    body = client.get("/password/forgot").get_data(as_text=True)
    assert 'autocomplete="email"' in body and 'name="csrf_token"' in body


def test_real_account_gets_a_single_use_link_by_email(client, create_user, db):
    user = create_user(email="reset.me@example.org")
    response = post_form(client, "/password/forgot", {"email": "Reset.Me@example.org"})
    assert response.status_code == 200
    assert SENT in response.get_data(as_text=True)
    [email] = _emails_to(db, "reset.me@example.org")
    assert email.subject == "Reset your password"
    path = _link_in(email)
    token = path.rsplit("/", 1)[1]
    row = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    assert row.token_hash == hash_token(token) and token not in row.token_hash  # only the hash is stored
    assert timedelta(minutes=59) < row.expires_at - datetime.now(UTC) <= timedelta(hours=1)


def test_unknown_address_gets_the_same_page_and_nothing_is_sent(client, create_user, db):
    create_user(email="known1@example.org")
    known = post_form(client, "/password/forgot", {"email": "known1@example.org"})
    unknown = post_form(client, "/password/forgot", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200

    def normalised(response):
        body = re.sub(r'nonce="[^"]+"', "", response.get_data(as_text=True))
        return re.sub(r'name="csrf_token" value="[^"]+"', "", body)

    assert normalised(known) == normalised(unknown)
    assert _emails_to(db, "nobody@example.org") == []
    assert db.session.scalar(select(func.count()).select_from(PasswordResetToken)) == 1


@pytest.mark.slow
def test_forgot_password_takes_as_long_for_unknown_addresses(app, client, create_user, monkeypatch):
    """Median times for a real and an unknown address differ by under 20% (T-5.6)."""
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MIN_RESPONSE_SECONDS", 0.3)
    create_user(email="timed.reset@example.org")
    token = csrf_token(client, "/password/forgot")
    headers = {"Referer": site_url(client, "/password/forgot")}

    def attempt(email: str) -> float:
        start = time.perf_counter()
        response = client.post("/password/forgot", data={"csrf_token": token, "email": email}, headers=headers)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200
        return elapsed

    known, unknown = [], []
    for _ in range(10):
        known.append(attempt("timed.reset@example.org"))
        unknown.append(attempt("untimed.reset@example.org"))
    known_median, unknown_median = statistics.median(known), statistics.median(unknown)
    assert abs(known_median - unknown_median) / max(known_median, unknown_median) < 0.2, (known_median, unknown_median)


def test_bad_address_is_explained(client, db):
    response = post_form(client, "/password/forgot", {"email": "not an email"})
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OutboundEmail)) == 0


def test_at_most_a_few_emails_per_account_per_hour(client, create_user, db):
    create_user(email="flooded@example.org")
    for _ in range(MAX_RESET_EMAILS_PER_HOUR + 2):
        response = post_form(client, "/password/forgot", {"email": "flooded@example.org"})
        assert response.status_code == 200 and SENT in response.get_data(as_text=True)
    assert len(_emails_to(db, "flooded@example.org")) == MAX_RESET_EMAILS_PER_HOUR


def test_reset_page_shows_the_new_password_form(client, create_user, db):
    token = _token_row(db, create_user())
    response = client.get(f"/password/reset/{token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.count('autocomplete="new-password"') == 2
    assert response.headers["Cache-Control"] == "no-store"


def test_reset_sets_the_password_and_ends_other_sessions(app, client, create_user, db):
    """ASVS 5.0 7.4.3, 6.4.3: a reset through the emailed link ends every other session."""
    user = create_user()
    other_device = app.test_client()
    assert sign_in(other_device, user.email).status_code == 302
    token = _token_row(db, user)
    old_version = user.session_version

    response = _reset(client, f"/password/reset/{token}")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200  # signed in with the new password

    db.session.expire_all()
    refreshed = db.session.scalar(select(User).where(User.id == user.id))
    assert refreshed.session_version == old_version + 1
    row = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token)))
    assert row.used_at is not None
    other = other_device.get("/account")
    assert other.status_code == 302 and other.headers["Location"].startswith("/sign-in")
    assert sign_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert sign_in(app.test_client(), user.email).status_code == 400  # the old password no longer works


def test_a_used_link_cannot_be_used_again(client, create_user, db):
    token = _token_row(db, create_user())
    assert _reset(client, f"/password/reset/{token}").status_code == 302
    for response in (client.get(f"/password/reset/{token}"), _reset_without_form(client, token)):
        assert response.status_code == 410
        assert "This link has already been used" in response.get_data(as_text=True)


def _reset_without_form(client, token: str):
    """POST a new password to a link whose form page no longer renders (use a form from another page)."""
    return post_form(
        client,
        f"/password/reset/{token}",
        {"password": "another fresh passphrase", "password_confirm": "another fresh passphrase"},
        form_path="/password/forgot",
    )


def test_using_one_link_closes_the_others(client, create_user, db):
    user = create_user()
    first, second = _token_row(db, user), _token_row(db, user)
    assert _reset(client, f"/password/reset/{first}").status_code == 302
    assert client.get(f"/password/reset/{second}").status_code == 410


def test_expired_link_says_so_and_offers_a_new_one(client, create_user, db):
    user = create_user()
    token = _token_row(db, user, expires_in=timedelta(seconds=-1))
    response = client.get(f"/password/reset/{token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This link has expired" in body
    assert 'href="/password/forgot"' in body
    old_hash = user.password_hash
    assert _reset_without_form(client, token).status_code == 410
    db.session.expire_all()
    assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == old_hash


def test_unknown_link_is_not_valid(client, db):
    for token in ("made-up-token", "x" * 500):
        response = client.get(f"/password/reset/{token}")
        assert response.status_code == 404
        assert "This link is not valid" in response.get_data(as_text=True)


def test_bad_new_password_writes_nothing(client, create_user, db):
    user = create_user()
    old_hash = user.password_hash
    token = _token_row(db, user)
    cases = [
        ("short", "short", "Password must be 8 characters or more"),
        ("password123", "password123", "common passwords"),
        ("a quiet orange lighthouse", "a different thing", "Passwords must match"),
        ("", "", "Enter a new password"),
    ]
    for password, confirm, message in cases:
        response = _reset(client, f"/password/reset/{token}", password, confirm)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == old_hash
    row = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token)))
    assert row.used_at is None
