"""Tables behind the job machinery."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Enum, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # written with the business change, not yet handed to Redis
    DISPATCHED = "dispatched"  # handed to RQ; re-dispatched if not done by its deadline
    DONE = "done"  # the job's effect committed, in the same transaction as this mark
    FAILED = "failed"  # gave up after its retries; visible to operators


class OutboxJob(Base):
    """One job that must run exactly once in effect.

    Global table on purpose: the dispatcher re-sends work for every council, so
    it reads across councils. It holds no personal data, only the job's name,
    the council id and ids/primitives as arguments.
    """

    __tablename__ = "job_outbox"
    __table_args__ = (Index("ix_job_outbox_status_due", "status", "due_at"),)

    job_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    func_name: Mapped[str] = mapped_column(String(200))
    queue: Mapped[str] = mapped_column(String(40))
    target_council_id: Mapped[int | None] = mapped_column(BigInteger)
    args: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    # How RQ should run it (timeout, retry policy), so the dispatcher can re-send
    # it exactly as it was first sent without importing the job's module.
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, name="outbox_status", values_callable=lambda e: [m.value for m in e]),
        default=OutboxStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # When the dispatcher should next (re)send it, if it is still not done.
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class JobRunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class JobRun(CouncilScoped, Timestamps, Base):
    """Progress of a long, user-visible job (imports, exports, counts)."""

    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_council_job", "council_id", "job_id", unique=True),)

    job_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    status: Mapped[JobRunStatus] = mapped_column(
        Enum(JobRunStatus, name="job_run_status", values_callable=lambda e: [m.value for m in e]),
        default=JobRunStatus.QUEUED,
    )
    done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(String(500))


class OutboundEmail(Base):
    """An email waiting to go out through the ``emails`` queue.

    Global, because password resets belong to no council. The body is cleared
    once sent, so reset links do not linger in the database.
    """

    __tablename__ = "outbound_emails"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Extra message headers (name -> value), e.g. List-Unsubscribe on notifications.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
