"""`rochdale db upgrade` migrates a new database as the owner, while the app's role owns nothing."""

import os
import subprocess
import sys

import psycopg
import pytest

from app import provision


@pytest.fixture
def empty_database(superuser_url):
    name = f"rochdale_cli_db_{os.getpid()}"
    provision.apply_roles(superuser_url)
    provision.create_database(superuser_url, name, drop_existing=True)
    yield {
        "owner": provision.with_role_and_database(superuser_url, provision.OWNER_ROLE, name),
        "app": provision.with_role_and_database(superuser_url, provision.APP_ROLE, name),
    }
    provision.drop_database(superuser_url, name)


def test_db_upgrade_runs_as_the_owner(empty_database, redis_url):
    env = {
        **os.environ,
        "DATABASE_URL": empty_database["app"],
        "DATABASE_OWNER_URL": empty_database["owner"],
        "REDIS_URL": redis_url,
        "SECRET_KEY": "x" * 32,
    }
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr

    with psycopg.connect(provision.plain_url(empty_database["owner"])) as conn:
        owners = {
            row[0] for row in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'").fetchall()
        }
        assert owners == {provision.OWNER_ROLE}
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
    # The app's role can use the tables it was granted but owns none of them.
    with psycopg.connect(provision.plain_url(empty_database["app"])) as conn:
        assert conn.execute("SELECT count(*) FROM councils").fetchone()[0] == 0


def test_db_current_reports_the_head(rochdale):
    result = rochdale("db", "current")
    assert result.exit_code == 0, result.output
