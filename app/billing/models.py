"""Billing records: plans (global), received Stripe events (global) and each council's account.

Plans are the platform's price list, the same for every council, so they are
global. ``stripe_events`` holds only ids and types of what Stripe sent (never
the payload): the webhook has no council, and processing re-fetches the state
from Stripe anyway. Everything about one council's customer, subscriptions and
invoices is council-scoped and guarded by row-level security.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.billing.rules import GOOD_STATUSES
from app.db import Base, CouncilScoped, Timestamps


class Plan(Timestamps, Base):
    """A plan on the platform's price list: what it costs and which modules it grants. Global."""

    __tablename__ = "billing_plans"
    __table_args__ = (
        CheckConstraint("key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="key_format"),
        CheckConstraint("interval IN ('month', 'year')", name="interval_known"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    key: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    interval: Mapped[str] = mapped_column(String(10))
    amount_pence: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="gbp", server_default="gbp")
    modules: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # Stripe ids are derived from ``key`` (``rochdale-<key>``), so syncing twice finds, never duplicates.
    stripe_product_id: Mapped[str | None] = mapped_column(String(255))
    stripe_price_id: Mapped[str | None] = mapped_column(String(255))
    synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StripeEvent(Base):
    """One event Stripe delivered, kept by its unique id so a duplicate delivery does nothing. Global.

    Only ids and the type are stored: the processing job re-fetches the
    customer's state from Stripe, so the payload is never needed.
    """

    __tablename__ = "stripe_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(100))
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255), index=True)
    stripe_created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BillingAccount(CouncilScoped, Timestamps, Base):
    """A council's Stripe customer: at most one per council."""

    __tablename__ = "billing_accounts"
    __table_args__ = (
        UniqueConstraint("council_id", name="uq_billing_accounts_council_id"),
        Index("ix_billing_accounts_stripe_customer_id", "stripe_customer_id"),
    )

    stripe_customer_id: Mapped[str | None] = mapped_column(String(255))
    billing_email: Mapped[str | None] = mapped_column(String(320))
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SubscriptionRequest(CouncilScoped, Timestamps, Base):
    """An administrator's request to subscribe to a plan: its id makes Stripe calls idempotent.

    ``method`` is ``checkout`` (card, through Stripe Checkout) or ``invoice``
    (Stripe emails invoices the council pays by bank transfer).
    """

    __tablename__ = "billing_subscription_requests"
    __table_args__ = (CheckConstraint("method IN ('checkout', 'invoice')", name="method_known"),)

    # The plan's key, which names it for ever (plans are retired, never deleted).
    plan_key: Mapped[str] = mapped_column(String(63))
    method: Mapped[str] = mapped_column(String(10))
    requested_by_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))
    stripe_checkout_session_id: Mapped[str | None] = mapped_column(String(255))
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(255))


class Subscription(CouncilScoped, Timestamps, Base):
    """A council's subscription as last fetched from Stripe (Stripe is the truth; this is a copy)."""

    __tablename__ = "billing_subscriptions"
    __table_args__ = (UniqueConstraint("council_id", "stripe_subscription_id"),)

    stripe_subscription_id: Mapped[str] = mapped_column(String(255))
    plan_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("billing_plans.id"))
    status: Mapped[str] = mapped_column(String(30))
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When we first saw it stop being paid for; the grace period runs from here.
    lapsed_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_good(self) -> bool:
        return self.status in GOOD_STATUSES


class Invoice(CouncilScoped, Timestamps, Base):
    """One of the council's invoices as last fetched from Stripe (amounts in pence: every plan is in pounds)."""

    __tablename__ = "billing_invoices"
    __table_args__ = (UniqueConstraint("council_id", "stripe_invoice_id"),)

    stripe_invoice_id: Mapped[str] = mapped_column(String(255))
    number: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str | None] = mapped_column(String(30))
    amount_due: Mapped[int] = mapped_column(Integer, default=0)
    amount_paid: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hosted_invoice_url: Mapped[str | None] = mapped_column(String(1000))
