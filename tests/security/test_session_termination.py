"""Signing out ends the session on the server, and every signed-in page offers it (ASVS 5.0 7.4.1, 7.4.4).

The session lives in a signed cookie, which a server cannot delete from a
browser; signing out therefore bumps the person's ``session_version``, and a
copy of the cookie taken before (by malware, a shared computer, a proxy log)
is refused afterwards. The session is started through the real sign-in form.
"""

from __future__ import annotations

import pytest

from tests.security.browsing import email_of, form_token, post_form, sign_in_through_the_form

ROLES = ("resident", "officer", "admin")


def _session_cookie(client) -> str:
    config = client.application.config
    cookie = client.get_cookie(config["SESSION_COOKIE_NAME"], domain=config["SERVER_NAME"])
    assert cookie is not None, "no session cookie"
    return cookie.value


def _replay(application, cookie: str):
    client = application.test_client()
    config = application.config
    client.set_cookie(config["SESSION_COOKIE_NAME"], cookie, domain=config["SERVER_NAME"])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_cookie_from_before_signing_out_is_dead(probe_app, tenancy_world, role):
    """ASVS 5.0 7.4.1: after sign-out a replayed copy of the old session cookie signs no one in."""
    a = tenancy_world["A"]
    client = probe_app.test_client()
    sign_in_through_the_form(client, email_of(probe_app, a.users[role]))
    stolen = _session_cookie(client)
    assert _replay(probe_app, stolen).get("/_probe/whoami").json["user_id"] == a.users[role]
    # A form's token taken while signed in, to try a state-changing request after sign-out too.
    token = form_token(client, "/account/password")

    signed_out = post_form(client, "/sign-out", {})
    assert signed_out.status_code in (302, 303)
    assert client.get("/_probe/whoami").json["user_id"] is None

    replayed = _replay(probe_app, stolen)
    assert replayed.get("/_probe/whoami").json["user_id"] is None
    assert replayed.get(f"{a.prefix}/_probe/whoami").json["user_id"] is None
    account = replayed.get("/account")
    assert account.status_code in (302, 303) and "/sign-in" in account.headers["Location"]
    change = post_form(
        replayed, "/account/password", {"current_password": "x", "password": "y", "password_confirm": "y"}, token=token
    )
    assert change.status_code in (302, 303, 400) and "/sign-in" in change.headers.get("Location", "/sign-in")


def test_signing_out_in_one_browser_ends_the_session_in_every_browser(probe_app, tenancy_world):
    """ASVS 5.0 7.4.1: the person's other sessions end too (one version for all of them)."""
    a = tenancy_world["A"]
    email = email_of(probe_app, a.users["officer"])
    laptop, phone = probe_app.test_client(), probe_app.test_client()
    sign_in_through_the_form(laptop, email)
    sign_in_through_the_form(phone, email)
    post_form(laptop, "/sign-out", {})
    assert phone.get("/_probe/whoami").json["user_id"] is None


def test_every_signed_in_page_offers_sign_out(probe_app, sessions, tenancy_world):
    """ASVS 5.0 7.4.4: pages that need a signed-in person show a visible link to sign out."""
    a = tenancy_world["A"]
    pages = {
        "resident": ["/account", f"{a.prefix}/"],
        "officer": ["/account/password", f"{a.prefix}/admin/register/"],
        "admin": [f"{a.prefix}/admin/"],
    }
    missing = []
    for role, paths in pages.items():
        for path in paths:
            response = sessions.client(a.users[role]).get(path)
            assert response.status_code == 200, (role, path, response.status_code)
            if 'href="/sign-out"' not in response.get_data(as_text=True):
                missing.append(f"{role}: {path}")
    assert not missing, f"no sign-out link on {missing}"
