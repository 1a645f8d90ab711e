"""Throttling sign-in: per account (failures only) and per IP address (T-5.6).

The test configuration switches rate limiting off for everyone else, so these
tests build their own app with it on, backed by the test Redis database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from argon2 import PasswordHasher
from flask import Flask

from app import create_app
from app.config import Config
from app.extensions import LIMITED_VIEWS, limiter
from app.extensions import db as _db
from tests.auth.conftest import FreshContextClient, csrf_token, site_url
from tests.fixtures.factories import DEFAULT_PASSWORD


def _limited_app(app_config: dict, **overrides) -> Flask:
    application = create_app({**app_config, "RATELIMIT_ENABLED": True, **overrides})
    application.test_client_class = FreshContextClient
    return application


@pytest.fixture
def make_limited_app(app_config, db) -> Iterator:
    """Build an app with rate limiting on; afterwards the shared limiter is off and empty again.

    The new app's context stays pushed for the test, as the ``db`` fixture does
    for the main app: otherwise each request would end its own app context, and
    with it the test's session and the rows the test made. Call it before making
    any rows: building an app pushes and pops a context of its own, which closes
    the test's session too.
    """
    with ExitStack() as stack:

        def _make(**overrides) -> Flask:
            application = _limited_app(app_config, **overrides)
            stack.enter_context(application.app_context())
            stack.callback(_db.engine.dispose)  # runs inside the app's context, before it is popped
            limiter.reset()
            return application

        try:
            yield _make
        finally:
            limiter.reset()
            # The limiter is one object shared by every app in this process: leave it off, as the test config has it.
            limiter.enabled = False


class Attempts:
    """POSTs to /sign-in with one CSRF token, as a browser re-submitting the form would."""

    def __init__(self, client, remote_addr: str = "203.0.113.10"):
        self.client = client
        self.environ = {"REMOTE_ADDR": remote_addr}
        self.token = None

    def __call__(self, email: str, password: str):
        if self.token is None:
            self.token = csrf_token(self.client, "/sign-in")
        response = self.client.post(
            "/sign-in",
            data={"csrf_token": self.token, "email": email, "password": password},
            headers={"Referer": site_url(self.client, "/sign-in")},
            environ_base=self.environ,
        )
        if response.status_code == 302:
            # Signed in: carry on as a fresh browser, with its own session and CSRF token.
            self.client = self.client.application.test_client()
            self.token = None
        return response


def test_production_limits_are_the_documented_ones():
    config = Config()
    assert config.SIGN_IN_FAILURES_PER_ACCOUNT == "100 per hour"
    assert config.SIGN_IN_LIMIT_PER_IP == "300 per 10 minutes"
    assert config.RATELIMIT_ENABLED is True


def test_the_101st_failure_on_one_account_is_blocked(make_limited_app, create_user, db):
    """ASVS 5.0 6.3.1: no more than 100 failed attempts per hour on a single account."""
    application = make_limited_app()
    user = create_user(email="target@example.org")
    # A cheap hash keeps 100 wrong guesses quick; the limit does not depend on the hash.
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(DEFAULT_PASSWORD)
    db.session.flush()
    attempt = Attempts(application.test_client())
    assert attempt(user.email, DEFAULT_PASSWORD).status_code == 302  # the account is there; successes are free
    for n in range(100):
        response = attempt(user.email, f"guess number {n}")
        assert response.status_code == 400, n
    blocked = attempt(user.email, "guess number 101")
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    # Even the right password is refused now: the attacker cannot tell when they guessed it.
    assert attempt(user.email, DEFAULT_PASSWORD).status_code == 429


def test_account_limit_counts_failures_only_and_ignores_case(make_limited_app, create_user):
    application = make_limited_app(SIGN_IN_FAILURES_PER_ACCOUNT="3 per hour")
    user = create_user(email="careful@example.org")
    attempt = Attempts(application.test_client())
    for _ in range(5):  # successes do not count
        assert attempt(user.email, DEFAULT_PASSWORD).status_code == 302
    attempt = Attempts(application.test_client())
    assert attempt("careful@example.org", "wrong one").status_code == 400
    assert attempt("CAREFUL@example.org", "wrong two").status_code == 400
    assert attempt(" Careful@Example.org ", "wrong three").status_code == 400
    assert attempt("careful@example.org", DEFAULT_PASSWORD).status_code == 429
    # Another account, from the same address, is unaffected.
    other = create_user(email="bystander@example.org")
    assert attempt(other.email, DEFAULT_PASSWORD).status_code == 302


def test_unknown_accounts_are_throttled_exactly_like_real_ones(make_limited_app, create_user):
    application = make_limited_app(SIGN_IN_FAILURES_PER_ACCOUNT="2 per hour")
    create_user(email="real@example.org")
    attempt = Attempts(application.test_client())
    real = [attempt("real@example.org", "nope").status_code for _ in range(3)]
    ghost = [attempt("ghst@example.org", "nope").status_code for _ in range(3)]
    assert real == ghost == [400, 400, 429]


def test_per_ip_limit_applies_across_accounts(make_limited_app, create_user):
    application = make_limited_app(SIGN_IN_LIMIT_PER_IP="4 per 10 minutes")
    busy = Attempts(application.test_client(), remote_addr="198.51.100.7")
    statuses = [busy(f"person{n}@example.org", "nope").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    # A different address is not affected, and looking at the form is never limited.
    assert Attempts(application.test_client(), remote_addr="198.51.100.8")("x@example.org", "n").status_code == 400
    assert busy.client.get("/sign-in", environ_base=busy.environ).status_code == 200


def test_forgot_password_is_limited_per_ip(make_limited_app):
    application = make_limited_app(SIGN_IN_LIMIT_PER_IP="2 per 10 minutes")
    client = application.test_client()
    token = csrf_token(client, "/password/forgot")
    headers = {"Referer": site_url(client, "/password/forgot")}
    statuses = [
        client.post(
            "/password/forgot", data={"csrf_token": token, "email": "a@example.org"}, headers=headers
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_every_view_flask_limiter_limits_is_noted_so_its_limits_are_checked(make_limited_app):
    """Requests to views not in LIMITED_VIEWS skip Flask-Limiter: a view limited with ``limiter.limit``
    directly, not ``rate_limit``, would silently lose its limit."""
    make_limited_app()
    marked = limiter._marked_for_limiting  # Flask-Limiter's own record of the views it limits (no public API)
    assert marked and marked <= LIMITED_VIEWS


def test_only_requests_to_views_without_limits_skip_the_limiter(make_limited_app):
    from app.extensions import _without_limits

    application = make_limited_app()
    for path, skipped in (("/sign-in", False), ("/", True), ("/c/any/ballots/1/vote", True), ("/no-such-page", True)):
        with application.test_request_context(path, method="POST"):
            assert _without_limits() is skipped, path
    application.config["RATELIMIT_APPLICATION"] = "1000/hour"  # a limit for every view: nothing skips it
    with application.test_request_context("/", method="POST"):
        assert _without_limits() is False
