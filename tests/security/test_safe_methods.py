"""T-5.3 (second half): no GET changes anything (ASVS 5.0 3.5.3).

Every GET route, as every kind of person, with council A's own ids (so the
pages render in full) and council B's: a fingerprint of every row of every
table, read as the superuser, must be the same after each request as before.
"""

from __future__ import annotations

import pytest

from tests.fixtures.routes import route_cases
from tests.fixtures.tenancy import changed_tables

ROLES = ("anonymous", "resident", "officer", "admin", "platform_admin")


def _user(world, role):
    if role == "anonymous":
        return None
    if role == "platform_admin":
        return world.platform_admin_id
    return world["A"].users[role]


def _values(case, council):
    if not case.id_args:
        return [None]
    if len(case.int_args) < len(case.id_args):
        return [*council.tokens, str(council.row_id)]
    return [council.row_id]


@pytest.mark.parametrize("role", ROLES)
def test_no_get_changes_the_database(probe_app, sessions, tenancy_world, snapshot, role):
    """ASVS 5.0 3.5.3: sensitive actions need POST; a GET, as anyone, writes nothing."""
    a, b = tenancy_world["A"], tenancy_world["B"]
    user_id = _user(tenancy_world, role)
    before = snapshot.everything()
    changed = []
    requests = 0
    for case in route_cases(probe_app, ("GET",)):
        councils = (a, b) if case.is_council else (a,)
        for council in councils:
            for value in _values(case, council):
                url = case.url(council.slug, value)
                response = sessions.client(user_id).get(url)
                requests += 1
                after = snapshot.everything()
                if after != before:
                    changed.append(
                        f"{role}: GET {url} -> {response.status_code} changed {changed_tables(before, after)}"
                    )
                    before = after
    assert requests
    assert not changed, "GET requests changed the database:\n" + "\n".join(changed)
