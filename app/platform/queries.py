"""Reads for the platform administration pages (councils are a global table)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from tenants.models import Council


def councils() -> list[Council]:
    """Every council, active or not, in name order."""
    return list(db.session.scalars(select(Council).order_by(func.lower(Council.name), Council.id)))
