"""The migrations build exactly the schema the models describe, and go down and up again."""

from __future__ import annotations

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine

import app.models  # noqa: F401 - registers every table
from app import create_app, provision
from app.extensions import db


@pytest.fixture
def scratch_app(app_config, superuser_url):
    """An app on its own empty database, so migrations can be run down and up freely."""
    name = f"rochdale_migrations_{__import__('os').getpid()}"
    provision.create_database(superuser_url, name, drop_existing=True)
    config = {
        **app_config,
        "SQLALCHEMY_DATABASE_URI": provision.with_role_and_database(superuser_url, provision.APP_ROLE, name),
        "DATABASE_OWNER_URL": provision.with_role_and_database(superuser_url, provision.OWNER_ROLE, name),
    }
    application = create_app(config)
    yield application
    with application.app_context():
        db.engine.dispose()
    provision.drop_database(superuser_url, name)


def _owner_engine(application):
    url = application.config["DATABASE_OWNER_URL"]
    return create_engine("postgresql+psycopg://" + provision.plain_url(url).split("://", 1)[1])


def test_models_match_migrations(scratch_app):
    with scratch_app.app_context():
        upgrade()
    engine = _owner_engine(scratch_app)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def test_downgrade_to_base_and_up_again(scratch_app):
    with scratch_app.app_context():
        upgrade()
        downgrade(revision="base")
        url = provision.plain_url(scratch_app.config["DATABASE_OWNER_URL"])
        with psycopg.connect(url) as conn:
            tables = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ).fetchall()
            types = conn.execute(
                "SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = 'public' AND t.typtype = 'e'"
            ).fetchall()
        assert tables == [] and types == []
        upgrade()


def test_single_head(scratch_app):
    from alembic.script import ScriptDirectory
    from flask import current_app

    with scratch_app.app_context():
        config = current_app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"
