"""Alembic environment: migrations run as the schema owner (DATABASE_OWNER_URL)."""

from __future__ import annotations

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, pool

import app.models  # noqa: F401 - registers every table on the metadata
from app.extensions import db


def _owner_url() -> str:
    url: str = current_app.config["DATABASE_OWNER_URL"]
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def run_migrations_offline() -> None:
    context.configure(url=_owner_url(), target_metadata=db.metadata, literal_binds=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(_owner_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=db.metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
