"""Declarative base, naming convention and the mixins every model builds on.

Council-owned tables use ``CouncilScoped``: ``council_id`` is the first column
of the primary key ``(council_id, id)``, so a bare ``session.get(Model, id)``
cannot even be written, and every foreign key between council tables carries
``council_id`` too (see ``council_fk``). That is what lets the schema be
distributed on ``council_id`` (deploy/CITUS.md).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, DateTime, Enum, ForeignKey, ForeignKeyConstraint, Identity, MetaData, func
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Mapper,
    Session,
    declared_attr,
    make_transient_to_detached,
    mapped_column,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __repr__(self) -> str:
        keys = [c.key for c in self.__mapper__.primary_key]
        ident = ", ".join(f"{k}={getattr(self, k, None)!r}" for k in keys)
        return f"<{type(self).__name__} {ident}>"


class Timestamps:
    """``created_at`` / ``updated_at`` kept by the database clock."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class CouncilScoped:
    """Marker and columns for a council-owned table.

    The ORM filter (``tenants.scoping``) adds ``council_id = <current>`` to every
    SELECT, UPDATE and DELETE of these classes and stamps it on INSERT; PostgreSQL
    row-level security (``tenants.rls``) enforces the same rule underneath.
    """

    @declared_attr
    def council_id(cls) -> Mapped[int]:
        return mapped_column(BigInteger, ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True)

    @declared_attr
    def id(cls) -> Mapped[int]:
        return mapped_column(BigInteger, Identity(always=False), primary_key=True)


def council_fk(columns: list[str], target_table: str, **kwargs: Any) -> ForeignKeyConstraint:
    """A foreign key from ``(council_id, <columns>)`` to ``target_table(council_id, id)``.

    Carrying ``council_id`` in the key makes a cross-council reference impossible
    in the schema itself, not only in application code.
    """
    if len(columns) != 1:
        raise ValueError("council_fk takes exactly one local id column")
    return ForeignKeyConstraint(
        ["council_id", *columns], [f"{target_table}.council_id", f"{target_table}.id"], **kwargs
    )


def value_enum(cls: type[enum.Enum], name: str) -> Enum:
    """A PostgreSQL enum type ``name`` holding ``cls``'s values (not its member names), checked on assignment."""
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e], validate_strings=True)


@cache
def _primary_key_attributes(mapper: Mapper) -> tuple[str, ...]:
    return tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)


def as_loaded(session: Session, model: type, values: Mapping[str, Any]) -> Any:
    """A row's column values (by attribute name) as a persistent object of ``session``, as if just loaded; no SQL.

    For rows read without the ORM's query machinery (a per-process cache, a Core
    statement on a hot path): the object has its identity and every attribute
    counts as loaded and unchanged (``make_transient_to_detached``), so adding it
    makes it persistent, never pending. An object with the same identity already
    in the session is returned instead, as the ORM itself would.
    """
    mapper = model.__mapper__
    key = mapper.identity_key_from_primary_key([values[name] for name in _primary_key_attributes(mapper)])
    existing = session.identity_map.get(key)
    if existing is not None:
        return existing
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance
