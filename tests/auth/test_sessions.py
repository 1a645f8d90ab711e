"""Sessions: signing out, replaying old cookies, timeouts, cookie flags and CSRF (T-5.1, T-5.3, T-5.4)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.auth.sessions import LAST_SEEN, SIGNED_IN_AT
from tests.auth.conftest import post_form, sign_in, site_url

COOKIE = "__Host-session"
DOMAIN = "rochdale.test"


def _session_cookie(client) -> str:
    cookie = client.get_cookie(COOKIE, domain=DOMAIN)
    assert cookie is not None
    return cookie.value


def _client_with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie(COOKIE, value, domain=DOMAIN, secure=True, httponly=True, samesite="Lax")
    return other


def _redirects_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_pages_for_signed_in_people_send_others_to_sign_in(client):
    response = client.get("/account")
    assert _redirects_to_sign_in(response)
    assert "next=%2Faccount" in response.headers["Location"]


def test_sign_out_page_asks_with_a_button(client, create_user, signed_in):
    signed_in(create_user())
    response = client.get("/sign-out")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'method="post"' in body and 'name="csrf_token"' in body
    assert client.get("/account").status_code == 200  # GET changed nothing


def test_sign_out_without_csrf_token_is_refused(client, create_user, signed_in):
    signed_in(create_user())
    response = client.post("/sign-out", headers={"Referer": site_url(client, "/sign-out")})
    assert response.status_code == 400
    assert client.get("/account").status_code == 200


def test_sign_out_ends_the_session_and_the_old_cookie_is_dead(app, client, create_user, signed_in, db):
    user = create_user()
    version_before = user.session_version
    signed_in(user)
    old_cookie = _session_cookie(client)
    assert _client_with_cookie(app, old_cookie).get("/account").status_code == 200

    response = post_form(client, "/sign-out", {})
    assert _redirects_to_sign_in(response)
    assert _redirects_to_sign_in(client.get("/account"))

    # Replaying the cookie from before signing out no longer works (ASVS 5.0 7.4.1).
    replayed = _client_with_cookie(app, old_cookie).get("/account")
    assert _redirects_to_sign_in(replayed)
    db.session.expire_all()
    assert db.session.scalar(select(User.session_version).where(User.id == user.id)) == version_before + 1


def test_changing_password_ends_other_sessions_but_keeps_this_one(app, create_user, db):
    """ASVS 5.0 7.4.3: changing the password ends the other sessions."""
    user = create_user()
    laptop, phone = app.test_client(), app.test_client()
    assert sign_in(laptop, user.email).status_code == 302
    assert sign_in(phone, user.email).status_code == 302
    response = post_form(
        laptop,
        "/account/password",
        {
            "current_password": "correct horse battery staple",
            "password": "a brand new passphrase",
            "password_confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert laptop.get("/account").status_code == 200
    assert _redirects_to_sign_in(phone.get("/account"))
    assert sign_in(phone, user.email, "a brand new passphrase").status_code == 302


def test_change_password_needs_the_current_one(client, create_user, signed_in, db):
    """ASVS 5.0 6.2.3: changing the password needs the current one."""
    user = create_user()
    signed_in(user)
    old_hash = user.password_hash
    response = post_form(
        client,
        "/account/password",
        {
            "current_password": "wrong",
            "password": "a brand new passphrase",
            "password_confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 400
    assert "Your current password is not correct" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == old_hash


def test_change_password_applies_the_policy(client, create_user, signed_in):
    signed_in(create_user())
    response = post_form(
        client,
        "/account/password",
        {"current_password": "correct horse battery staple", "password": "password1", "password_confirm": "password1"},
    )
    assert response.status_code == 400
    assert "common passwords" in response.get_data(as_text=True)


def test_disabled_account_is_signed_out_at_once(client, create_user, signed_in, db):
    """ASVS 5.0 7.4.2: disabling an account ends its sessions at once."""
    user = create_user()
    signed_in(user)
    user.is_active = False
    db.session.flush()
    assert _redirects_to_sign_in(client.get("/account"))


def test_absolute_timeout(app, client, create_user, signed_in):
    """ASVS 5.0 7.3.2: an absolute maximum session lifetime."""
    signed_in(create_user())
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] = int(time.time()) - app.config["SESSION_ABSOLUTE_TIMEOUT"] - 1
    assert _redirects_to_sign_in(client.get("/account"))


def test_idle_timeout(app, client, create_user, signed_in):
    """ASVS 5.0 7.3.1: an inactivity timeout."""
    signed_in(create_user())
    with client.session_transaction() as session:
        session[LAST_SEEN] = int(time.time()) - app.config["SESSION_IDLE_TIMEOUT"] - 1
    assert _redirects_to_sign_in(client.get("/account"))


def test_activity_keeps_an_idle_session_alive(app, client, create_user, signed_in):
    signed_in(create_user())
    almost_idle = int(time.time()) - app.config["SESSION_IDLE_TIMEOUT"] + 120
    with client.session_transaction() as session:
        session[LAST_SEEN] = almost_idle
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        assert session[LAST_SEEN] > almost_idle


def test_a_signed_in_session_taken_to_another_browser_is_dropped(app, client, create_user, signed_in):
    """Sessions are bound to the browser that signed in (Flask-Login's strong protection)."""
    signed_in(create_user())
    other = _client_with_cookie(app, _session_cookie(client))
    assert _redirects_to_sign_in(other.get("/account", headers={"User-Agent": "Another browser/1.0"}))
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("path", ["/sign-in", "/", "/static/build/rochdale.css"])
def test_a_signed_out_session_is_not_rewritten(client, path):
    """A signed-out session holding something is sent back only when it changes.

    An answer that rewrote it from its own request's cookie could undo a newer
    answer's change when a browser has two requests in flight: a stylesheet
    still loading from one page could drop the code from a letter that the
    next page had just put in the session.
    """
    assert client.get("/sign-in").headers.getlist("Set-Cookie")  # the sign-in form's CSRF token
    with client.session_transaction() as session:
        session["waiting"] = "DV5K-EPKN-B4VD"
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
    with client.session_transaction() as session:
        assert session["waiting"] == "DV5K-EPKN-B4VD"


# --- cookies (T-5.1) ----------------------------------------------------------------------------


def _all_set_cookies(client, create_user):
    user = create_user()
    headers = []
    responses = [
        client.get("/sign-in"),
        sign_in(client, user.email),
        client.get("/account"),
        client.get("/sign-out"),
        post_form(client, "/sign-out", {}),
    ]
    for response in responses:
        headers.extend(response.headers.getlist("Set-Cookie"))
    return headers


def test_every_cookie_is_secure_httponly_lax_and_host_prefixed(client, create_user):
    cookies = _all_set_cookies(client, create_user)
    assert cookies, "sign-in sets a session cookie"
    for header in cookies:
        attributes = [part.strip().lower() for part in header.split(";")]
        name = header.split("=", 1)[0]
        assert name.startswith("__Host-"), header
        assert "secure" in attributes, header
        assert "httponly" in attributes, header
        assert "samesite=lax" in attributes, header
        assert "path=/" in attributes, header
        assert not any(a.startswith("domain=") for a in attributes), header


def test_no_remember_me_cookie_and_short_lifetimes(app, client, create_user):
    cookies = _all_set_cookies(client, create_user)
    assert not any("remember" in header.lower() for header in cookies)
    assert app.config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=30)
    assert app.config["PERMANENT_SESSION_LIFETIME"] <= timedelta(hours=8)
    # The session cookie ends with the browser: no Expires or Max-Age once signed in.
    signed_in_cookie = [h for h in cookies if not h.startswith(f"{COOKIE}=;")][-1]
    assert "expires=" not in signed_in_cookie.lower() and "max-age" not in signed_in_cookie.lower()


# --- CSRF on every form (T-5.3) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/sign-in", "/sign-out", "/account/password", "/password/forgot", "/password/reset/some-token"],
)
def test_posts_without_a_csrf_token_are_refused(client, path):
    response = client.post(path, data={"email": "a@example.org"}, headers={"Referer": site_url(client, path)})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


def test_invitation_post_without_csrf_token_is_refused(client, create_council):
    council = create_council()
    path = f"/c/{council.slug}/invitations/some-token"
    response = client.post(path, data={"name": "x"}, headers={"Referer": site_url(client, path)})
    assert response.status_code == 400


def test_every_auth_form_carries_a_csrf_token(client, create_user, signed_in):
    for path in ("/sign-in", "/password/forgot"):
        assert 'name="csrf_token"' in client.get(path).get_data(as_text=True)
    signed_in(create_user())
    for path in ("/sign-out", "/account/password"):
        assert 'name="csrf_token"' in client.get(path).get_data(as_text=True)
