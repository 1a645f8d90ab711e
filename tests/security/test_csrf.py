"""ASVS 5.0 3.5.1 (T-5.3, first half): every state-changing route refuses a request without a valid CSRF token.

Enumerated from ``app.url_map``, so a new POST route is covered the day it is
added. Only the routes in ``CSRF_EXEMPT_ALLOWED`` may go without a token, and
nothing may be exempted without being listed there.
"""

from __future__ import annotations

import pytest

from tests.fixtures.routes import UNSAFE_METHODS, route_cases
from tests.fixtures.sessions import send

# endpoint -> why it needs no CSRF token
CSRF_EXEMPT_ALLOWED: dict[str, str] = {
    "council.youth.unsubscribe": "RFC 8058 one-click unsubscribe: mail clients POST without cookies; "
    "the signed token in the URL is the credential, and a GET only asks",
    "billing.stripe_webhook": "Stripe signs the raw body; verified with the webhook secret (bad signature: 400)",
}


def _url(case, council) -> str:
    value = council.row_id
    if len(case.int_args) < len(case.id_args):
        value = council.tokens[0] if council.tokens else str(council.row_id)
    return case.url(council.slug, value)


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_unsafe_routes_refuse_requests_without_a_token(probe_app, sessions, tenancy_world, snapshot, who):
    """ASVS 5.0 3.5.1: no token or a forged one -> 400 with a plain explanation, and nothing written."""
    a = tenancy_world["A"]
    user_id = None if who == "anonymous" else a.users["admin"]
    before = snapshot.everything()
    wrong = []
    cases = [c for c in route_cases(probe_app, UNSAFE_METHODS) if c.endpoint not in CSRF_EXEMPT_ALLOWED]
    assert cases, "no state-changing routes found"
    for case in cases:
        url = _url(case, a)
        missing = send(sessions.client(user_id), case.method, url, csrf=False)
        forged = send(sessions.client(user_id), case.method, url, {"csrf_token": "forged"}, csrf=False)
        for label, response in (("no token", missing), ("a forged token", forged)):
            if response.status_code != 400:
                wrong.append(f"{case} with {label} -> {response.status_code}")
            elif "form expired" not in response.get_data(as_text=True):
                wrong.append(f"{case} with {label}: 400 without the plain-English explanation")
    assert not wrong, "\n".join(wrong)
    assert snapshot.everything() == before, "a request without a CSRF token changed the database"


def test_a_token_from_another_session_is_refused(probe_app, sessions, tenancy_world):
    """ASVS 5.0 3.5.1: a token is bound to its session: one minted for B's admin does not work for A's admin."""
    a, b = tenancy_world["A"], tenancy_world["B"]
    theirs = sessions.client(b.users["admin"]).csrf_token
    case = next(c for c in route_cases(probe_app, ("POST",)) if c.is_council)
    client = sessions.client(a.users["admin"])
    client.csrf_token = theirs
    assert send(client, "POST", _url(case, a)).status_code == 400


def test_only_listed_views_are_exempt(probe_app):
    """ASVS 5.0 3.5.1: CSRF protection is on for the whole app; an exemption needs a written reason."""
    from app.extensions import csrf

    exempt_views = set(getattr(csrf, "_exempt_views", set()))
    exempt_blueprints = set(getattr(csrf, "_exempt_blueprints", set()))
    assert not exempt_blueprints, f"whole blueprints exempt from CSRF: {exempt_blueprints}"
    view_names = {f"{view.__module__}.{view.__name__}": endpoint for endpoint, view in probe_app.view_functions.items()}
    exempt_endpoints = {view_names.get(name, name) for name in exempt_views}
    unlisted = sorted(exempt_endpoints - set(CSRF_EXEMPT_ALLOWED))
    assert not unlisted, f"views exempt from CSRF without a reason in CSRF_EXEMPT_ALLOWED: {unlisted}"
    assert probe_app.config.get("WTF_CSRF_ENABLED", True) and probe_app.config.get("WTF_CSRF_CHECK_DEFAULT", True)


def _post_context(app, token: str, session_token: str):
    """A POST request context carrying ``token``, with ``session_token`` as its session's raw CSRF secret."""
    context = app.test_request_context("/", method="POST", data={"csrf_token": token})
    context.push()
    from flask import session

    session["csrf_token"] = session_token
    return context


def _signed(app, raw: str) -> str:
    """A token for ``raw`` signed ten minutes ago (one signed now could equal a new one to the byte)."""
    import time

    from itsdangerous import URLSafeTimedSerializer

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
    with pytest.MonkeyPatch.context() as patch:
        ten_minutes_ago = time.time() - 600
        patch.setattr(time, "time", lambda: ten_minutes_ago)
        return serializer.dumps(raw)


def test_the_answer_to_a_checked_post_reuses_its_token_for_the_session_it_belongs_to(app, monkeypatch):
    """Tokens never expire here, so the one just checked is as good as a new one; a fresh session gets a new one."""
    from flask_wtf.csrf import generate_csrf, validate_csrf

    from app.auth.sessions import end_session
    from app.extensions import csrf

    monkeypatch.setitem(app.config, "WTF_CSRF_SSL_STRICT", False)
    submitted = _signed(app, "raw-secret-of-this-session")
    context = _post_context(app, submitted, "raw-secret-of-this-session")
    try:
        csrf.protect()
        assert generate_csrf() == submitted
        end_session()  # the session starts afresh (as signing in and out do): its forms need a new token
        fresh = generate_csrf()
        assert fresh != submitted
        validate_csrf(fresh)  # valid for the new session
    finally:
        context.pop()


def test_with_a_time_limit_every_answer_signs_a_fresh_token(app, monkeypatch):
    from flask_wtf.csrf import generate_csrf

    from app.extensions import csrf

    monkeypatch.setitem(app.config, "WTF_CSRF_SSL_STRICT", False)
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 3600)
    submitted = _signed(app, "raw-secret-of-this-session")
    context = _post_context(app, submitted, "raw-secret-of-this-session")
    try:
        csrf.protect()
        assert generate_csrf() != submitted
    finally:
        context.pop()


def test_a_refused_token_is_never_reused(app, monkeypatch):
    from flask import g
    from werkzeug.exceptions import BadRequest

    from app.extensions import csrf

    monkeypatch.setitem(app.config, "WTF_CSRF_SSL_STRICT", False)
    forged = _signed(app, "somebody-elses-secret")
    context = _post_context(app, forged, "raw-secret-of-this-session")
    try:
        with pytest.raises(BadRequest):
            csrf.protect()
        assert "csrf_token" not in g
    finally:
        context.pop()
