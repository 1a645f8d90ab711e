"""Cookie flags (ASVS 5.0 3.3.1-3.3.4, 7.2.4) and security headers (ASVS 5.0 3.4.1-3.4.6, 14.3.2, 13.4.4, 16.5.1).

Cookies are collected over a real sign-in through the form (no minted
session), then a walk round the signed-in pages: every ``Set-Cookie`` must be
``Secure``, ``HttpOnly``, ``SameSite=Lax`` (or Strict), ``__Host-`` named (so
``Path=/`` and no ``Domain``), and live no longer than 30 days.

Headers are checked on every kind of answer: pages, errors (400, 403, 404,
405, 500), static files and JSON, for someone signed out and someone signed
in; each test checks one requirement on all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from flask import Blueprint, Flask

from tests.fixtures.sessions import make_probe_app, send, session_client
from tests.security.browsing import email_of, sign_in_through_the_form

MAX_COOKIE_AGE = 30 * 24 * 3600
ONE_YEAR = 31536000
# Policies that never send a path or query to another site.
STRICT_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


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


def test_every_cookie_is_locked_down(probe_app, tenancy_world):
    """ASVS 5.0 3.3.1 (Secure), 3.3.2 (SameSite), 3.3.3 (__Host- prefix), 3.3.4 (HttpOnly)."""
    a = tenancy_world["A"]
    client = probe_app.test_client()
    responses = [client.get("/sign-in"), sign_in_through_the_form(client, email_of(probe_app, a.users["admin"]))]
    for path in ("/", f"{a.prefix}/", f"{a.prefix}/admin/", "/account", "/sign-out"):
        responses.append(client.get(path))
    headers = [h for r in responses for h in _set_cookies(r)]
    assert headers, "signing in set no cookie"
    problems = [p for h in headers for p in _cookie_problems(h)]
    assert not problems, "\n".join(problems)


def test_signing_in_issues_a_new_session_cookie(probe_app, tenancy_world):
    """ASVS 5.0 7.2.4: a new session token on sign-in (no session fixation)."""
    a = tenancy_world["A"]
    client = probe_app.test_client()
    client.get("/sign-in")
    name = probe_app.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(name, domain=probe_app.config["SERVER_NAME"])
    sign_in_through_the_form(client, email_of(probe_app, a.users["resident"]))
    after = client.get_cookie(name, domain=probe_app.config["SERVER_NAME"])
    assert after is not None and (before is None or after.value != before.value)


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


def _responses(client, council) -> dict[str, object]:
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


@pytest.fixture(scope="module")
def answers(header_app, tenancy_world) -> dict[str, object]:
    """Every kind of answer, to someone signed out and to a signed-in resident."""
    a = tenancy_world["A"]
    anonymous = header_app.test_client()
    anonymous.csrf_token = ""
    signed_out = _responses(anonymous, a)
    signed_in = _responses(session_client(header_app, a.users["resident"]), a)
    assert signed_out["500"].status_code == 500 and signed_out["static file"].status_code == 200
    assert signed_in["403"].status_code == 403
    return {
        **{f"signed out, {k}": v for k, v in signed_out.items()},
        **{f"signed in, {k}": v for k, v in signed_in.items()},
    }


def _every(answers, check) -> None:
    problems = [f"{what}: {problem}" for what, r in answers.items() if (problem := check(r))]
    assert not problems, "\n".join(problems)


def test_hsts_for_a_year_with_subdomains_on_every_answer(answers):
    """ASVS 5.0 3.4.1: Strict-Transport-Security, max-age at least a year, includeSubDomains (L2)."""

    def check(r):
        hsts = r.headers.get("Strict-Transport-Security", "")
        age = re.search(r"max-age=(\d+)", hsts)
        if not age or int(age.group(1)) < ONE_YEAR or "includesubdomains" not in hsts.lower():
            return f"HSTS {hsts!r}"
        return None

    _every(answers, check)


def test_csp_locks_objects_and_base_and_uses_nonces(answers):
    """ASVS 5.0 3.4.3: a CSP with object-src 'none', base-uri 'none' and scripts by nonce, no unsafe-inline."""

    def check(r):
        csp = r.headers.get("Content-Security-Policy", "")
        missing = [d for d in ("object-src 'none'", "base-uri 'none'") if d not in csp]
        script_src = re.search(r"script-src ([^;]*)", csp)
        if missing or not script_src or "'nonce-" not in script_src.group(1):
            return f"CSP {csp!r}"
        if "'unsafe-inline'" in script_src.group(1) or "'unsafe-eval'" in script_src.group(1):
            return f"CSP allows inline or eval'd script: {csp!r}"
        return None

    _every(answers, check)


def test_csp_nonce_is_fresh_per_answer_and_on_every_inline_script(header_app):
    """ASVS 5.0 3.4.3: each page gets its own nonce, every inline script carries it, script files are our own."""
    client = header_app.test_client()
    nonces = []
    for _ in range(2):
        response = client.get("/sign-in")
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        nonces.append(nonce)
        scripts = re.findall(r"<script\b[^>]*>", response.get_data(as_text=True))
        assert scripts, "the page has no script to check"
        inline = [tag for tag in scripts if " src=" not in tag]
        assert inline and all(f'nonce="{nonce}"' in tag for tag in inline), scripts
        # Script files come from this site only (script-src 'self'), never from a third party.
        assert all(re.search(r' src="/[^/]', tag) for tag in scripts if " src=" in tag), scripts
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 16


def test_nosniff_on_every_answer(answers):
    """ASVS 5.0 3.4.4: X-Content-Type-Options: nosniff on every response."""
    _every(answers, lambda r: None if r.headers.get("X-Content-Type-Options") == "nosniff" else "no nosniff")


def test_referrer_policy_sends_no_paths_elsewhere(answers):
    """ASVS 5.0 3.4.5: a Referrer-Policy that never sends another site a path or query."""
    _every(
        answers,
        lambda r: (
            None
            if r.headers.get("Referrer-Policy") in STRICT_REFERRER_POLICIES
            else f"Referrer-Policy {r.headers.get('Referrer-Policy')!r}"
        ),
    )


def test_no_answer_may_be_framed(answers):
    """ASVS 5.0 3.4.6: CSP frame-ancestors 'none' on every response (X-Frame-Options alone would not do)."""
    _every(
        answers,
        lambda r: None if "frame-ancestors 'none'" in r.headers.get("Content-Security-Policy", "") else "framable",
    )


def test_cors_never_opens_to_another_origin(header_app):
    """ASVS 5.0 3.4.2: no Access-Control-Allow-Origin reflecting a caller's Origin, on pages or JSON."""
    client = header_app.test_client()
    for path in ("/", "/healthz", "/sign-in"):
        for method in ("GET", "OPTIONS"):
            response = client.open(path, method=method, headers={"Origin": "https://evil.example"})
            allowed = response.headers.get("Access-Control-Allow-Origin")
            assert allowed in (None, ""), (path, method, allowed)
            assert response.headers.get("Access-Control-Allow-Credentials") is None


def test_signed_in_answers_are_never_cached(answers):
    """ASVS 5.0 14.3.2: Cache-Control: no-store whenever someone is signed in (static files excepted)."""
    signed_in = {k: v for k, v in answers.items() if k.startswith("signed in") and not k.endswith("static file")}
    _every(signed_in, lambda r: None if "no-store" in r.headers.get("Cache-Control", "") else "cacheable")


def test_trace_is_not_supported(header_app):
    """ASVS 5.0 13.4.4: TRACE is refused everywhere."""
    client = header_app.test_client()
    for path in ("/", "/sign-in", "/healthz"):
        assert client.open(path, method="TRACE").status_code == 405, path


def test_an_unexpected_error_shows_a_generic_page(answers):
    """ASVS 5.0 16.5.1: a 500 is a plain apology, with no stack trace, exception or internal detail."""
    for who in ("signed out", "signed in"):
        body = answers[f"{who}, 500"].get_data(as_text=True)
        assert "Sorry, there is a problem with the service" in body
        for leak in ("Traceback", "RuntimeError", "deliberate failure", 'File "', "site-packages"):
            assert leak not in body, leak
