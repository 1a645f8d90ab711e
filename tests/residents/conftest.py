"""Fixtures for the register tests: a committed council with neighbourhoods, staff and a resident, a worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.models import Role, User
from tenants.context import council_context
from tenants.models import Council, Neighbourhood
from tests.admin.conftest import sign_in_as
from tests.workers import conftest as worker_fixtures

redis_conn = worker_fixtures.redis_conn


@pytest.fixture
def run_jobs(redis_conn, committed_db):
    """Run the queued jobs in this process, then drop the test's session.

    Test-client requests reuse the test's app context (and so its session);
    without this the pages would show objects as they were before the job.
    """
    run = worker_fixtures.run_jobs.__wrapped__(redis_conn)

    def _run(queues=("reports",)):
        result = run(queues)
        committed_db.session.remove()
        return result

    return _run


@dataclass
class Place:
    council: Council
    castleton: int
    kirkholt: int
    officer: User
    admin: User
    resident: User

    @property
    def prefix(self) -> str:
        return f"/c/{self.council.slug}/admin/register"


@pytest.fixture
def place(committed_db, create_council, create_user, grant_role) -> Place:
    """A committed council with two neighbourhoods, an officer, an administrator and a resident."""
    council = create_council(slug="kingsmere", name="Kingsmere Council")
    committed_db.session.commit()
    with council_context(council.id):
        castleton = Neighbourhood(name="Castleton", ons_ward_code="E05000650")
        kirkholt = Neighbourhood(name="Kirkholt")
        committed_db.session.add_all([castleton, kirkholt])
        committed_db.session.flush()
        ids = (castleton.id, kirkholt.id)
    people = {}
    for role in (Role.OFFICER, Role.COUNCIL_ADMIN, Role.RESIDENT):
        people[role] = create_user(email=f"{role.value}@kingsmere.example")
        grant_role(people[role], council, role)
    committed_db.session.commit()
    for thing in (council, *people.values()):
        # Loaded and detached: usable after the session is dropped between jobs and requests.
        committed_db.session.refresh(thing)
        committed_db.session.expunge(thing)
    return Place(council, *ids, people[Role.OFFICER], people[Role.COUNCIL_ADMIN], people[Role.RESIDENT])


@pytest.fixture
def staff_client(app: Flask, place: Place) -> Callable[[User | None], FlaskClient]:
    """A test client signed in as ``user`` (None: signed out), with CSRF checks off."""
    previous = app.config.get("WTF_CSRF_ENABLED", True)
    app.config["WTF_CSRF_ENABLED"] = False

    def _client(user: User | None) -> FlaskClient:
        client = app.test_client()
        if user is not None:
            sign_in_as(app, client, user)
        return client

    yield _client
    app.config["WTF_CSRF_ENABLED"] = previous
