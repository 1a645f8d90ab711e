"""A scratch database for the benchmarks: created, migrated, and dropped afterwards.

The benchmarks talk to a real PostgreSQL server given as a superuser URL
(``--database-url`` or ``BENCH_DATABASE_URL``, falling back to
``TEST_DATABASE_URL``), exactly as the test suite does: the roles are applied,
a database named for the process is created and migrated as the owner, and the
app connects as the non-owner role that row-level security applies to.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import provision  # noqa: E402

SECRET = "bench-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 - a throwaway benchmark database


def superuser_url(given: str | None) -> str:
    url = given or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url:
        raise SystemExit("give --database-url (a PostgreSQL superuser URL) or set BENCH_DATABASE_URL")
    return url


def redis_url(given: str | None) -> str:
    return given or os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"


def app_config(urls: dict[str, str], redis: str, **extra: Any) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": urls["app"],
        "DATABASE_OWNER_URL": urls["owner"],
        "REDIS_URL": redis,
        "SECRET_KEY": SECRET,
        "RATELIMIT_ENABLED": False,
        **extra,
    }


@contextmanager
def scratch_database(superuser: str, label: str, redis: str):
    """Yield the URLs of a fresh, migrated database; drop it afterwards."""
    name = f"rochdale_bench_{label}_{os.getpid()}"
    provision.apply_roles(superuser)
    provision.create_database(superuser, name, drop_existing=True)
    urls = {
        "superuser": provision.with_role_and_database(superuser, _current_user(superuser), name),
        "owner": provision.with_role_and_database(superuser, provision.OWNER_ROLE, name),
        "app": provision.with_role_and_database(superuser, provision.APP_ROLE, name),
        "name": name,
    }
    try:
        from flask_migrate import upgrade

        from app import create_app
        from app.extensions import db

        app = create_app(app_config(urls, redis))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        yield urls
    finally:
        provision.drop_database(superuser, name)


def _current_user(url: str) -> str:
    import psycopg

    with psycopg.connect(provision.plain_url(url)) as conn:
        return conn.execute("SELECT current_user").fetchone()[0]


def plain(url: str) -> str:
    return provision.plain_url(url)
