"""Reads about people that cross councils, done the one sanctioned way."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, String, column, func, select

from app.auth.models import Role
from app.extensions import db
from tenants.models import Council


@dataclass(frozen=True)
class Membership:
    council: Council
    role: Role


def memberships(user_id: int) -> list[Membership]:
    """The active councils where ``user_id`` has a role, by council name.

    ``council_roles`` is under row-level security, so a global page cannot
    read it; the SECURITY DEFINER function ``user_council_roles`` returns this
    one person's council ids and roles and nothing else.
    """
    roles = (
        func.user_council_roles(user_id)
        .table_valued(column("council_id", BigInteger), column("role", String))
        .alias("memberships")
    )
    rows = db.session.execute(
        select(Council, roles.c.role)
        .join(roles, roles.c.council_id == Council.id)
        .where(Council.is_active.is_(True))
        .order_by(Council.name)
    ).all()
    return [Membership(council=council, role=Role(role)) for council, role in rows]
