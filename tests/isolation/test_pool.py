"""T-1.5: no council survives on a pooled connection into the next request.

An app with a pool of exactly one connection serves council A, then a page
with no council, then council B: all on the same PostgreSQL backend, each
seeing only its own rows. The probe pages read with raw SQL, so only the
transaction-local ``app.council_id`` (row-level security) keeps councils apart.
Then 200 requests from 8 threads across four councils (and no council)
interleave on that one connection, each answer holding only its own canaries.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import text

from app.extensions import db
from tests.fixtures.app import truncate_all
from tests.fixtures.sessions import make_probe_app
from tests.fixtures.tenancy import World, canary_prefix, seed_world

LABELS = ("A", "B", "C", "D")


@pytest.fixture(scope="module")
def four_councils(app, database_urls) -> Iterator[World]:
    truncate_all(database_urls["owner"])
    world = seed_world(database_urls, labels=LABELS)
    yield world
    truncate_all(database_urls["owner"])


@pytest.fixture(scope="module")
def pool_app(app, app_config) -> Iterator[Flask]:
    application = make_probe_app(
        app_config, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 30}
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def _names(response) -> tuple[list[str], list[str], int]:
    assert response.status_code == 200, response.status_code
    data = response.get_json()
    return data["raw"], data["orm"], data["pid"]


def _only_own(names: list[str], label: str) -> bool:
    own = canary_prefix(label)
    return bool(names) and all(n.startswith(own) for n in names)


def _fresh_transaction_setting(application: Flask) -> object:
    """``app.council_id`` as a brand-new transaction on the pooled connection sees it (no listeners)."""
    with application.app_context():
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("SELECT current_setting('app.council_id', true), pg_backend_pid()")
            setting, pid = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM neighbourhoods")
            count = cursor.fetchone()[0]
            raw.rollback()
        finally:
            raw.close()
    return setting, pid, count


def test_pool_really_has_one_connection(pool_app):
    with pool_app.app_context():
        assert db.engine.pool.size() == 1
        assert db.engine.pool._max_overflow == 0  # type: ignore[attr-defined]


def test_council_then_none_then_other_council(pool_app, four_councils):
    a, b = four_councils["A"], four_councils["B"]
    client = pool_app.test_client()

    raw, orm, pid_a = _names(client.get(f"{a.prefix}/_probe/neighbourhoods"))
    assert _only_own(raw, "A") and _only_own(orm, "A"), (raw, orm)

    setting, pid, count = _fresh_transaction_setting(pool_app)
    assert pid == pid_a, "the pool handed out a different connection"
    assert setting in ("", None), f"council setting survived the request: {setting!r}"
    assert count == 0

    data = client.get("/_probe/neighbourhoods").get_json()
    assert data["pid"] == pid_a
    assert data["setting"] in ("", None)
    assert data["raw"] == [] and data["orm"] == []

    raw, orm, pid_b = _names(client.get(f"{b.prefix}/_probe/neighbourhoods"))
    assert pid_b == pid_a
    assert _only_own(raw, "B") and _only_own(orm, "B"), (raw, orm)

    setting, _pid, count = _fresh_transaction_setting(pool_app)
    assert setting in ("", None) and count == 0


def test_a_failed_request_leaves_no_council_behind(pool_app, four_councils):
    """A request that dies mid-transaction (unknown page under a council) still resets the connection."""
    a = four_councils["A"]
    client = pool_app.test_client()
    assert client.get(f"{a.prefix}/no-such-page").status_code == 404
    _names(client.get(f"{a.prefix}/_probe/neighbourhoods"))
    setting, _pid, count = _fresh_transaction_setting(pool_app)
    assert setting in ("", None) and count == 0


def test_interleaved_requests_from_eight_threads(pool_app, four_councils):
    rng = random.Random(20261122)
    plan = [rng.choice((*LABELS, None)) for _ in range(200)]

    def fetch(label: str | None) -> tuple[str | None, list[str], list[str]]:
        client = pool_app.test_client()
        if label is None:
            data = client.get("/_probe/neighbourhoods").get_json()
            return label, data["raw"], data["orm"]
        raw, orm, _pid = _names(client.get(f"{four_councils[label].prefix}/_probe/neighbourhoods"))
        return label, raw, orm

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(fetch, plan, timeout=120))

    wrong = []
    for label, raw, orm in results:
        if label is None:
            if raw or orm:
                wrong.append(f"no council saw {raw} {orm}")
        elif not (_only_own(raw, label) and _only_own(orm, label)):
            wrong.append(f"council {label} saw {raw} {orm}")
    assert len(results) == 200
    assert not wrong, f"{len(wrong)} answers crossed councils: {wrong[:5]}"
    setting, _pid, count = _fresh_transaction_setting(pool_app)
    assert setting in ("", None) and count == 0


def test_setting_is_empty_at_the_start_of_every_transaction(pool_app, four_councils):
    with pool_app.app_context(), db.engine.connect() as conn:
        for label in LABELS:
            with conn.begin():
                conn.execute(
                    text("SELECT set_config('app.council_id', :id, true)"), {"id": str(four_councils[label].id)}
                )
            assert conn.execute(text("SELECT current_setting('app.council_id', true)")).scalar() in ("", None)
            conn.rollback()
