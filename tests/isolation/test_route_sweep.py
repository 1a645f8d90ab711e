"""T-1.1: every route, every method, every role of council A, with council B's ids.

Councils A and B each hold a row of every council-owned model; B's text is
canaries. For each rule of ``app.url_map`` (no list to maintain: a new route
is swept the day it is added) the sweep substitutes B's ids, tokens that B
stores hashed, non-existent ids and an out-of-range id into every id argument
under A's ``/c/<slug>/`` prefix, and asserts:

- a 404 (anonymous people may instead be sent to sign in, or get 401/403);
- the same status for B's id as for an id that exists nowhere (no enumeration);
- none of B's canaries or markers in the body or the headers;
- B's rows (read as the superuser, past RLS) unchanged after every unsafe request
  (that no GET changes anything at all is tests/security/test_safe_methods.py);
- never a 500.

Routes without ids are requested too: they must not show B's data or change
it. Then B's own pages that only B's staff may see are requested as A's
people: 403 or 404, never B's data. Every failure is collected, so one run
reports them all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import pytest

from tests.fixtures.routes import (
    GLOBAL_ROUTES,
    Access,
    RouteCase,
    is_sign_in_redirect,
    route_cases,
    unclassified_global_endpoints,
)
from tests.fixtures.sessions import SessionCache, send, session_client
from tests.fixtures.tenancy import (
    MISSING_ID,
    OVERFLOW_ID,
    SeededCouncil,
    Snapshot,
    World,
    changed_tables,
)

# On a route naming an object, a signed-in person without permission must get the same 404 as
# for a missing object ("load, then check"); 403 is for routes without ids. Set True to accept a
# 403 given before the lookup: still no enumeration, as the same-status check below holds.
FORBIDDEN_BEFORE_LOOKUP_ALLOWED = False

ROLES = ("anonymous", "resident", "officer", "admin", "platform_admin")
STAFF_ROLES = ("resident", "officer", "admin")
OVERFLOW_ROLES = ("anonymous", "admin")


def user_id_for(world: World, role: str) -> int | None:
    if role == "anonymous":
        return None
    if role == "platform_admin":
        return world.platform_admin_id
    return world["A"].users[role]


@dataclass
class Sweep:
    """Requests as one person, checking each answer against council B."""

    sessions: SessionCache
    user_id: int | None
    role: str
    victim: SeededCouncil
    snapshot: Snapshot
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self.app = self.sessions.app
        self.baseline = self.snapshot.owned_by(self.victim)
        with self.app.test_request_context():
            from flask import url_for

            self.sign_in_path = url_for("auth.sign_in")

    def request(self, case: RouteCase, url: str, *, may_see_victim: bool = False, data=None):
        # A fresh client per request: a sign-out or a flash message cannot leak into the next one.
        response = send(self.sessions.client(self.user_id), case.method, url, data)
        self.requests += 1
        if case.method != "GET" or not case.is_council:
            self.sessions.forget(self.user_id)  # it may have changed the person's own account
        where = f"{self.role}: {case.method} {url} [{case.endpoint}] -> {response.status_code}"
        if response.status_code >= 500:
            self.failures.append(f"{where}: server error")
        if not may_see_victim:
            body = response.get_data().decode("utf-8", "replace")
            headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
            leaks = self.victim.leaks_in(body) + self.victim.leaks_in(headers)
            if leaks:
                self.failures.append(f"{where}: shows council {self.victim.label}'s data {sorted(set(leaks))[:3]}")
        if case.method == "GET":
            return response  # GETs change nothing: tests/security/test_safe_methods.py proves it for every GET
        after = self.snapshot.owned_by(self.victim)
        if after != self.baseline:
            self.failures.append(
                f"{where}: changed council {self.victim.label}'s rows in {changed_tables(self.baseline, after)}"
            )
            self.baseline = after
        return response

    def refused(self, response) -> bool:
        """The answer to another council's (or nobody's) object: 404, or "sign in" for anonymous people."""
        if response.status_code == 404:
            return True
        if self.user_id is None:
            return response.status_code in (401, 403) or is_sign_in_redirect(response, self.sign_in_path)
        return FORBIDDEN_BEFORE_LOOKUP_ALLOWED and response.status_code == 403


def _id_variants(case: RouteCase, victim: SeededCouncil, *, with_tokens: bool) -> list[tuple[str, object, object]]:
    """(what, victim's value, a value that exists nowhere) for the rule's id arguments."""
    variants: list[tuple[str, object, object]] = []
    if case.int_args or not with_tokens:
        variants.append(("id", victim.row_id, MISSING_ID))
    if len(case.int_args) < len(case.id_args):  # string arguments: ids as text, and tokens
        variants.append(("id as text", str(victim.row_id), str(MISSING_ID)))
        if with_tokens:
            variants.extend(("token", token, secrets.token_urlsafe(24)) for token in victim.tokens)
    return variants


def sweep_council_routes(sweep: Sweep, home: SeededCouncil) -> None:
    for case in route_cases(sweep.app):
        if not case.is_council:
            continue
        if not case.id_args:
            sweep.request(case, case.url(home.slug, None))
            continue
        for what, victim_value, missing_value in _id_variants(case, sweep.victim, with_tokens=True):
            theirs = sweep.request(case, case.url(home.slug, victim_value))
            nobody = sweep.request(case, case.url(home.slug, missing_value))
            for response, whose in ((theirs, f"council {sweep.victim.label}'s {what}"), (nobody, f"a missing {what}")):
                if not sweep.refused(response):
                    sweep.failures.append(
                        f"{sweep.role}: {case} with {whose} -> {response.status_code}, expected 404"
                        + ("" if sweep.user_id else " or sign in")
                    )
            if theirs.status_code != nobody.status_code:
                sweep.failures.append(
                    f"{sweep.role}: {case}: {theirs.status_code} for council {sweep.victim.label}'s {what} but "
                    f"{nobody.status_code} for a missing one (tells them apart)"
                )
        # Views load before they check the role (the 404s above prove it), so the lookup of an
        # out-of-range id is the same for every signed-in role: one of them, and anonymous, suffice.
        if case.int_args and sweep.role in OVERFLOW_ROLES:
            huge = sweep.request(case, case.url(home.slug, OVERFLOW_ID))
            if not sweep.refused(huge):
                sweep.failures.append(f"{sweep.role}: {case} with id {OVERFLOW_ID} -> {huge.status_code}")


def sweep_global_routes(sweep: Sweep) -> None:
    for case in route_cases(sweep.app):
        if case.is_council or case.endpoint not in GLOBAL_ROUTES:
            continue
        access, _reason = GLOBAL_ROUTES[case.endpoint]
        may_see = access is Access.PLATFORM and sweep.role == "platform_admin"
        if not case.id_args:
            sweep.request(case, case.url(None, None), may_see_victim=may_see)
            continue
        # A raw token is the credential itself (its holder may use it), so only ids here.
        for _what, victim_value, missing_value in _id_variants(case, sweep.victim, with_tokens=False):
            theirs = sweep.request(case, case.url(None, victim_value), may_see_victim=may_see)
            nobody = sweep.request(case, case.url(None, missing_value), may_see_victim=may_see)
            if not may_see and theirs.status_code != nobody.status_code:
                sweep.failures.append(
                    f"{sweep.role}: {case}: {theirs.status_code} for council {sweep.victim.label}'s id but "
                    f"{nobody.status_code} for a missing one"
                )


def report(failures: list[str]) -> str:
    shown = failures[:60]
    more = f"\n... and {len(failures) - len(shown)} more" if len(failures) > len(shown) else ""
    return f"{len(failures)} isolation failure(s):\n" + "\n".join(shown) + more


def test_every_global_route_is_classified(probe_app):
    unclassified = unclassified_global_endpoints(probe_app)
    assert not unclassified, (
        "Routes outside /c/<council>/ must be classified in tests/fixtures/routes.py GLOBAL_ROUTES "
        f"(who may use them, why they hold no council's data): {unclassified}"
    )


def test_classified_global_routes_exist(probe_app):
    endpoints = {r.endpoint for r in probe_app.url_map.iter_rules()}
    stale = sorted(set(GLOBAL_ROUTES) - endpoints)
    assert not stale, f"GLOBAL_ROUTES lists endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_minted_sessions_are_recognised(probe_app, tenancy_world, role):
    a = tenancy_world["A"]
    client = session_client(probe_app, user_id_for(tenancy_world, role))
    data = client.get(f"{a.prefix}/_probe/whoami").get_json()
    assert data["user_id"] == user_id_for(tenancy_world, role)
    expected_role = {"resident": "resident", "officer": "officer", "admin": "council_admin"}.get(role)
    assert data["role"] == expected_role


@pytest.mark.parametrize("role", ROLES)
def test_council_a_people_cannot_reach_council_b(sessions, tenancy_world, snapshot, role):
    sweep = Sweep(sessions, user_id_for(tenancy_world, role), role, tenancy_world["B"], snapshot)
    sweep_council_routes(sweep, home=tenancy_world["A"])
    sweep_global_routes(sweep)
    assert sweep.requests > 0
    assert not sweep.failures, report(sweep.failures)
    copies = snapshot.copies_of(tenancy_world["B"])
    assert not copies, "council B's data was copied out of B:\n" + "\n".join(copies)


@pytest.fixture(scope="module")
def b_staff_pages(probe_app, sessions, tenancy_world, snapshot) -> list[tuple[RouteCase, str]]:
    """B's pages that need B's staff: B's admin gets 200 and anonymous people do not.

    Unsafe routes count when they send anonymous people to sign in (they are never
    sent as B's admin, which would change B).
    """
    b = tenancy_world["B"]
    with probe_app.test_request_context():
        from flask import url_for

        sign_in_path = url_for("auth.sign_in")
    pages = []
    for case in route_cases(probe_app):
        if not case.is_council:
            continue
        value = (b.tokens[0] if b.tokens else str(b.row_id)) if len(case.int_args) < len(case.id_args) else b.row_id
        url = case.url(b.slug, value)
        as_anonymous = send(sessions.client(None), case.method, url)
        if case.method == "GET":
            as_owner = send(sessions.client(b.users["admin"]), "GET", url)
            protected = as_owner.status_code == 200 and as_anonymous.status_code != 200
        else:
            protected = as_anonymous.status_code in (401, 403) or is_sign_in_redirect(as_anonymous, sign_in_path)
        if protected:
            pages.append((case, url))
    return pages


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_council_b_staff_pages_refuse_council_a_people(sessions, tenancy_world, snapshot, b_staff_pages, role):
    """B's pages that need B's staff refuse A's people with 403 or 404, showing nothing of B."""
    a, b = tenancy_world["A"], tenancy_world["B"]
    assert b_staff_pages, "no council page needs a signed-in role: is the admin area registered?"
    sweep = Sweep(sessions, a.users[role], role, b, snapshot)
    for case, url in b_staff_pages:
        response = sweep.request(case, url)
        if response.status_code not in (403, 404):
            sweep.failures.append(f"{role} of A: {case} at {url} -> {response.status_code}, expected 403 or 404")
    assert not sweep.failures, report(sweep.failures)


def test_the_sweep_catches_a_view_that_looks_across_councils(app, app_config, tenancy_world, snapshot):
    """Self-test: a view with the classic bug (find the id in any council) fails the sweep."""
    from flask import Blueprint, abort
    from sqlalchemy import select

    from app.extensions import db
    from tenants.context import council_context
    from tenants.models import Council, Neighbourhood
    from tenants.resolution import make_council_blueprint
    from tests.fixtures.sessions import make_probe_app

    leaky_app = make_probe_app(app_config)
    parent, child = make_council_blueprint(), Blueprint("_probe_leaky", __name__)

    @child.get("/_probe/leaky/<int:neighbourhood_id>")
    def leaky(neighbourhood_id: int):
        for council in db.session.scalars(select(Council)).all():
            with council_context(council.id):
                found = db.session.scalar(select(Neighbourhood).where(Neighbourhood.id == neighbourhood_id))
                if found is not None:
                    return found.name
        abort(404)

    parent.register_blueprint(child)
    leaky_app.register_blueprint(parent, name="_probe_leaky_councils")
    rule = next(r for r in leaky_app.url_map.iter_rules() if r.endpoint.endswith("leaky"))
    a, b = tenancy_world["A"], tenancy_world["B"]
    sweep = Sweep(SessionCache(leaky_app), a.users["admin"], "admin", b, snapshot)
    case = RouteCase(rule, "GET")
    theirs = sweep.request(case, case.url(a.slug, b.row_id))
    assert theirs.status_code == 200
    assert any("shows council B's data" in f for f in sweep.failures), sweep.failures
    assert not sweep.refused(theirs)
    with leaky_app.app_context():
        db.engine.dispose()
