"""The audit log table: append-only, hash-chained per council."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped

GENESIS_HASH = "0" * 64


class AuditEvent(CouncilScoped, Base):
    """One link of a council's audit chain.

    ``entry_hash = SHA-256(prev_hash || canonical JSON of the entry)``, where the
    entry is (seq, occurred_at, actor, action, subject, payload). ``seq`` counts
    from 1 within the council, so a removed entry leaves a visible gap.
    """

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("council_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[str | None] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
