"""With nothing configured, `rochdale run`'s environment starts embedded servers and stops them."""

from __future__ import annotations

import psycopg
import pytest
import redis

from app import provision
from app.devserver.environment import prepare_environment

pytestmark = pytest.mark.slow


def test_embedded_postgres_valkey_and_mail_start_and_stop(tmp_path):
    instance = tmp_path / "instance"
    local = prepare_environment(instance, {}, echo=lambda message: None)
    try:
        env = local.env
        assert set(local.started) == {"PostgreSQL", "Valkey", "mail catcher"}
        # The app's role connects to a database the owner role owns.
        with psycopg.connect(provision.plain_url(env["DATABASE_URL"])) as conn:
            user, owner = conn.execute(
                "SELECT current_user, pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
            ).fetchone()
        assert (user, owner) == (provision.APP_ROLE, provision.OWNER_ROLE)
        assert redis.Redis.from_url(env["REDIS_URL"]).ping()
        assert env["ROCHDALE_INSECURE_COOKIES"] == "1"
        assert env["MAIL_CATCHER_DIR"] == str(instance / "mail")
        secret = env["SECRET_KEY"]
        assert len(secret) >= 32
        assert (instance / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        local.stop()

    assert not (instance / "postgres" / "postmaster.pid").exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(provision.plain_url(env["DATABASE_URL"]), connect_timeout=3).close()
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(env["REDIS_URL"], socket_connect_timeout=2).ping()
    # The data stays for the next run, and so does the key.
    assert (instance / "postgres" / "PG_VERSION").exists()
    again = prepare_environment(instance, {"DATABASE_URL": env["DATABASE_URL"], "REDIS_URL": "redis://x"}, echo=print)
    try:
        assert again.env["SECRET_KEY"] == secret
    finally:
        again.stop()
