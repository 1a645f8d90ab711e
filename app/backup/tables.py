"""Which tables a council backup holds, in an order they can be restored in."""

from __future__ import annotations

import sqlalchemy as sa

import app.models  # noqa: F401 - registers every table on the metadata
from app.extensions import db

USERS = "users"


def council_tables() -> list[sa.Table]:
    """Every council table (one with ``council_id``), parents before the tables that refer to them."""
    return [table for table in db.metadata.sorted_tables if "council_id" in table.c]


def user_columns(table: sa.Table) -> list[str]:
    """The columns of ``table`` that hold a person's id (a foreign key to ``users.id``)."""
    return [
        column.name
        for column in table.c
        if any(fk.column.table.name == USERS and fk.column.name == "id" for fk in column.foreign_keys)
    ]
