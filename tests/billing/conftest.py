"""Billing fixtures: localstripe on loopback, a recording front for it, two councils with plans synced."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer

import pytest
from flask import Flask

from app.auth.models import CouncilRole, Role, User
from app.billing import operations
from app.billing.catalogue import STANDARD_PLANS
from tenants.context import council_context
from tenants.models import Council, CouncilType, Region
from tests.billing.stripe_front import StripeFront, make_handler, start_localstripe
from tests.workers import conftest as worker_fixtures
from tests.workers.conftest import redis_conn

__all__ = ["redis_conn"]

STRIPE_KEY = "sk_test_rochdale"
WEBHOOK_SECRET = "whsec_rochdale_test"


@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    """localstripe in a subprocess on 127.0.0.1 and a free port, killed at the end of the session."""
    process, url = start_localstripe()
    try:
        yield url
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def stripe_front(localstripe: str) -> Iterator[StripeFront]:
    """An empty localstripe behind a fresh recording front (see ``stripe_front.py``)."""
    front = StripeFront(upstream=localstripe)
    front.flush()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(front))
    thread = threading.Thread(target=server.serve_forever, name="stripe-front", daemon=True)
    thread.start()
    front.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield front
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def billing_config(front: StripeFront) -> dict[str, object]:
    return {
        "STRIPE_SECRET_KEY": STRIPE_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": front.url,
        "BILLING_GRACE_DAYS": 14,
    }


@pytest.fixture
def billing_on(app: Flask, stripe_front: StripeFront, monkeypatch: pytest.MonkeyPatch) -> StripeFront:
    """The test app with billing switched on and pointed at the front."""
    for key, value in billing_config(stripe_front).items():
        monkeypatch.setitem(app.config, key, value)
    return stripe_front


@dataclass
class BillingCouncil:
    id: int
    slug: str
    admin_id: int


@dataclass
class BillingWorld:
    councils: dict[str, BillingCouncil]
    front: StripeFront


@pytest.fixture
def billing_world(committed_db, billing_on: StripeFront) -> BillingWorld:
    """Councils A and B, each with an administrator, and the standard plans synced to localstripe."""
    db = committed_db
    councils = {}
    for label in ("A", "B"):
        council = Council(
            slug=f"billing-{label.lower()}",
            name=f"Billing {label} Council",
            council_type=CouncilType.UNITARY,
            region=Region.NORTH_WEST,
            population=100_000,
        )
        admin = User(email=f"admin-{label.lower()}@example.org", name=f"Admin {label}", password_hash="x")
        db.session.add_all([council, admin])
        db.session.flush()
        with council_context(council.id):
            db.session.add(CouncilRole(user_id=admin.id, role=Role.COUNCIL_ADMIN, modules=[]))
            db.session.flush()
        councils[label] = BillingCouncil(council.id, council.slug, admin.id)
    operations.sync_plans(STANDARD_PLANS)
    db.session.commit()
    return BillingWorld(councils, billing_on)


def subscribe(db, council_id: int, plan_key: str = "all-modules-year") -> tuple[str, str]:
    """Subscribe council ``council_id`` by invoice through the operations; returns (customer id, subscription id)."""
    from app.billing import queries

    with council_context(council_id):
        request = operations.request_subscription(queries.plan_by_key(plan_key), "invoice", None, "f@example.org")
        db.session.commit()
        sub = operations.start_invoiced_subscription(request.id)
        customer = queries.account().stripe_customer_id
        sub_id = sub.stripe_subscription_id
        db.session.commit()
    return customer, sub_id


def signed_in_client(app: Flask, db, user_id: int):
    """A test client signed in as user ``user_id``."""
    from tests.admin.conftest import sign_in_as

    client = app.test_client()
    sign_in_as(app, client, db.session.get(User, user_id))
    return client


@pytest.fixture
def run_jobs(redis_conn, committed_db):
    """Run every queued job in this process, then drop the test's session (so reads see the jobs' work)."""
    run = worker_fixtures.run_jobs.__wrapped__(redis_conn)

    def _run():
        result = run()
        committed_db.session.remove()
        return result

    return _run
