"""Residents' data rights requests (UK GDPR Art. 15 access and Art. 17 erasure) and their clocks.

A request is received on a day (UK date) and is due one month later
(``app.privacy.due_dates``); an officer may extend a complex request by up to
two further months, with the reason recorded. Completing one records who and
when. An access request made by the self-service download is completed at
once (the person got their copy); an erasure request waits for an officer.

``user_id`` stays after an erasure: it then points at the anonymised account,
so the request's record (that a request was made and answered in time) is kept
without anything that names the person.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, Text, column
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, CouncilScoped, Timestamps, value_enum
from app.i18n import LazyString, _l


class RequestKind(enum.StrEnum):
    ACCESS = "access"  # a copy of everything held (Art. 15)
    ERASURE = "erasure"  # erase personal data (Art. 17)

    @property
    def label(self) -> LazyString:
        return {"access": _l("Copy of your data"), "erasure": _l("Erasure")}[self.value]


class RequestStatus(enum.StrEnum):
    RECEIVED = "received"  # waiting for an officer
    COMPLETED = "completed"

    @property
    def label(self) -> LazyString:
        return {"received": _l("Received"), "completed": _l("Completed")}[self.value]


class DataRightsRequest(CouncilScoped, Timestamps, Base):
    """One person's request to this council about their personal data."""

    __tablename__ = "privacy_requests"
    __table_args__ = (
        CheckConstraint("extension_months >= 0 AND extension_months <= 2", name="extension_range"),
        CheckConstraint("extension_months = 0 OR extension_reason <> ''", name="extension_has_reason"),
        CheckConstraint("(completed_at IS NOT NULL) = (status = 'completed')", name="completed_when_completed"),
        CheckConstraint("due_on > received_on", name="due_after_receipt"),
        Index("ix_privacy_requests_status_due", "council_id", "status", "due_on"),
        Index("ix_privacy_requests_user", "council_id", "user_id"),
        # One erasure request at a time per person: a second click must not make a second request.
        Index(
            "uq_privacy_requests_one_open_erasure",
            "council_id",
            "user_id",
            unique=True,
            postgresql_where=(column("kind") == "erasure") & (column("status") == "received"),
        ),
    )

    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[RequestKind] = mapped_column(value_enum(RequestKind, "privacy_request_kind"))
    status: Mapped[RequestStatus] = mapped_column(
        value_enum(RequestStatus, "privacy_request_status"), default=RequestStatus.RECEIVED
    )
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    extension_months: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extension_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))
