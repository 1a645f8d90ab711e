"""T-5.1 cookies and T-5.2 headers, on every kind of response.

Cookies are collected over a real sign-in through the form (no minted
session), then a walk round the signed-in pages: every ``Set-Cookie`` must be
``Secure``, ``HttpOnly``, ``SameSite=Lax`` (or Strict), ``__Host-`` named (so
``Path=/`` and no ``Domain``), and live no longer than 30 days.

Headers are checked on pages, errors (400, 403, 404, 405, 500), static files
and JSON: HSTS for a year with subdomains, a CSP with nonces and
``object-src``/``base-uri``/``frame-ancestors`` locked, ``nosniff``, a
Referrer-Policy, and ``Cache-Control: no-store`` whenever someone is signed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from flask import Blueprint, Flask

from tests.fixtures.sessions import make_probe_app, send
from tests.fixtures.tenancy import DEFAULT_PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MAX_COOKIE_AGE = 30 * 24 * 3600


def _set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def _cookie_problems(header: str) -> list[str]:
    cookie = SimpleCookie()
    cookie.load(header)
    problems = []
    attributes = {part.strip().split("=", 1)[0].lower() for part in header.split(";")[1:]}
    for name, morsel in cookie.items():
        if not name.startswith("__Host-"):
            problems.append(f"{name}: not a __Host- cookie")
        if "secure" not in attributes:
            problems.append(f"{name}: not Secure")
        if "httponly" not in attributes:
            problems.append(f"{name}: not HttpOnly")
        if morsel["samesite"].lower() not in ("lax", "strict"):
            problems.append(f"{name}: SameSite={morsel['samesite']!r}")
        if morsel["domain"]:
            problems.append(f"{name}: Domain={morsel['domain']}")
        if morsel["path"] != "/":
            problems.append(f"{name}: Path={morsel['path']!r}")
        if morsel["max-age"] and int(morsel["max-age"]) > MAX_COOKIE_AGE:
            problems.append(f"{name}: Max-Age {morsel['max-age']}s is over 30 days")
    return problems


def _sign_in_through_the_form(client, email: str) -> list:
    page = client.get("/sign-in")
    assert page.status_code == 200
    match = CSRF_INPUT.search(page.get_data(as_text=True))
    assert match, "the sign-in form has no CSRF token"
    config = client.application.config
    response = client.post(
        "/sign-in",
        data={"csrf_token": match.group(1), "email": email, "password": DEFAULT_PASSWORD},
        headers={"Referer": f"{config['PREFERRED_URL_SCHEME']}://{config['SERVER_NAME']}/sign-in"},
    )
    assert response.status_code in (302, 303), f"sign-in failed: {response.status_code}"
    return [page, response]


def test_every_cookie_is_locked_down(probe_app, tenancy_world):
    a = tenancy_world["A"]
    client = probe_app.test_client()
    responses = _sign_in_through_the_form(client, _email(probe_app, a.users["admin"]))
    for path in ("/", f"{a.prefix}/", f"{a.prefix}/admin/", "/account", "/sign-out"):
        responses.append(client.get(path))
    headers = [h for r in responses for h in _set_cookies(r)]
    assert headers, "signing in set no cookie"
    problems = [p for h in headers for p in _cookie_problems(h)]
    assert not problems, "\n".join(problems)


def test_signing_in_issues_a_new_session_cookie(probe_app, tenancy_world):
    a = tenancy_world["A"]
    client = probe_app.test_client()
    client.get("/sign-in")
    name = probe_app.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(name, domain=probe_app.config["SERVER_NAME"])
    _sign_in_through_the_form(client, _email(probe_app, a.users["resident"]))
    after = client.get_cookie(name, domain=probe_app.config["SERVER_NAME"])
    assert after is not None and (before is None or after.value != before.value)


def _email(application: Flask, user_id: int) -> str:
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    with application.app_context():
        return db.session.scalar(select(User.email).where(User.id == user_id))


# ---------------------------------------------------------------------------
# Headers


@pytest.fixture(scope="module")
def header_app(app, app_config) -> Iterator[Flask]:
    """The app with one extra route that fails, to see the headers of a 500."""
    application = make_probe_app(app_config)
    broken = Blueprint("_probe_broken", __name__)

    @broken.get("/_probe/broken")
    def boom():
        raise RuntimeError("deliberate failure for the header test")

    application.register_blueprint(broken)
    yield application
    from app.extensions import db

    with application.app_context():
        db.engine.dispose()


def _header_problems(response, *, signed_in: bool) -> list[str]:
    h = response.headers
    problems = []
    hsts = h.get("Strict-Transport-Security", "")
    age = re.search(r"max-age=(\d+)", hsts)
    if not age or int(age.group(1)) < 31536000 or "includesubdomains" not in hsts.lower():
        problems.append(f"HSTS {hsts!r}")
    csp = h.get("Content-Security-Policy", "")
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        if directive not in csp:
            problems.append(f"CSP lacks {directive}")
    script_src = re.search(r"script-src ([^;]*)", csp)
    if not script_src or "'nonce-" not in script_src.group(1) or "'unsafe-inline'" in script_src.group(1):
        problems.append(f"CSP script-src without a nonce or with unsafe-inline: {csp!r}")
    if h.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not h.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if signed_in and "no-store" not in h.get("Cache-Control", ""):
        problems.append(f"signed in but Cache-Control is {h.get('Cache-Control')!r}")
    return problems


def _responses(application: Flask, client, council) -> dict[str, object]:
    return {
        "page": client.get("/"),
        "council page": client.get(f"{council.prefix}/"),
        "404 unknown path": client.get("/no-such-page"),
        "404 unknown council": client.get("/c/no-such-council/"),
        "405": client.post("/accessibility"),
        "400 (CSRF)": send(client, "POST", "/sign-in", csrf=False),
        "403": client.get("/platform/councils"),
        "500": client.get("/_probe/broken"),
        "static file": client.get("/static/build/rochdale.css"),
        "JSON": client.get("/healthz"),
    }


def test_security_headers_on_every_kind_of_response_anonymous(header_app, tenancy_world):
    client = header_app.test_client()
    client.csrf_token = ""
    responses = _responses(header_app, client, tenancy_world["A"])
    assert responses["500"].status_code == 500
    assert responses["static file"].status_code == 200
    problems = [f"{what}: {p}" for what, r in responses.items() for p in _header_problems(r, signed_in=False)]
    assert not problems, "\n".join(problems)


def test_security_headers_and_no_store_when_signed_in(header_app, tenancy_world):
    from tests.fixtures.sessions import session_client

    a = tenancy_world["A"]
    client = session_client(header_app, a.users["resident"])
    responses = _responses(header_app, client, a)
    assert responses["403"].status_code == 403
    # Static files are the same for everyone and may be cached; every other answer may be personal.
    problems = [
        f"{what}: {p}" for what, r in responses.items() for p in _header_problems(r, signed_in=what != "static file")
    ]
    assert not problems, "\n".join(problems)
