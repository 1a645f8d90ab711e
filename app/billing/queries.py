"""Read-only billing queries for the current council (and the global price list)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.billing import gateway, rules
from app.billing.models import BillingAccount, Invoice, Plan, Subscription
from app.extensions import db
from tenants.features import MODULES


def active_plans() -> list[Plan]:
    """The plans a council can choose, cheapest first."""
    return list(db.session.scalars(select(Plan).where(Plan.is_active.is_(True)).order_by(Plan.amount_pence, Plan.key)))


def plan_by_key(key: str) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.key == key, Plan.is_active.is_(True)))


def plan_by_price(price_id: str | None) -> Plan | None:
    if not price_id:
        return None
    return db.session.scalar(select(Plan).where(Plan.stripe_price_id == price_id))


def account() -> BillingAccount | None:
    """The current council's billing account, if it has one."""
    return db.session.scalar(select(BillingAccount))


def subscriptions() -> list[Subscription]:
    return list(db.session.scalars(select(Subscription).order_by(Subscription.id)))


def current_subscription() -> Subscription | None:
    """The subscription that decides the current council's access (``rules.current``)."""
    return rules.current(subscriptions())  # type: ignore[return-value]


def invoices() -> list[Invoice]:
    """The current council's invoices, newest first."""
    return list(db.session.scalars(select(Invoice).order_by(Invoice.issued_at.desc().nulls_last(), Invoice.id.desc())))


def grace_period() -> timedelta:
    return timedelta(days=int(current_app.config.get("BILLING_GRACE_DAYS", 14)))


@dataclass(frozen=True)
class BillingSummary:
    """What the billing pages, the banner and the entitlement checks need to know."""

    standing: rules.Standing
    subscription: Subscription | None
    plan: Plan | None
    read_only_from: datetime | None

    @property
    def entitled_modules(self) -> frozenset[str]:
        """Modules the council may switch on: all when billing is off, else its plan's while it is paid for.

        Nothing can be switched on once the subscription has ended (cancelled),
        even while the modules it had stay writable for the grace period.
        """
        if self.standing is rules.Standing.OFF:
            return frozenset(MODULES)
        if self.plan is None or self.standing in (rules.Standing.NONE, rules.Standing.LAPSED):
            return frozenset()
        if self.subscription is not None and self.subscription.status in rules.ENDED_STATUSES:
            return frozenset()
        return frozenset(self.plan.modules)

    def may_write(self, module: str) -> bool:
        """Whether module ``module``'s pages may change anything (reading is always allowed).

        Billing off, or a council that never subscribed: yes (there is no plan
        to hold it to). Lapsed: no module. Otherwise only the modules of the
        council's plan: a module left switched on after a downgrade is
        read-only, with its data kept, until the plan includes it again.
        """
        if self.standing in (rules.Standing.OFF, rules.Standing.NONE):
            return True
        if self.standing.read_only or self.plan is None:
            return False
        return module in self.plan.modules

    @property
    def holds_back_a_module(self) -> bool:
        """Whether some module may not be changed, so a request's module needs finding out (else: skip the lookup)."""
        return not all(self.may_write(key) for key in MODULES)

    def read_only_modules(self, switched_on: Iterable[str]) -> list[str]:
        """The modules of ``switched_on`` (in ``MODULES`` order) that the plan leaves read-only."""
        on = set(switched_on)
        return [key for key in MODULES if key in on and not self.may_write(key)]


def summary(now: datetime | None = None) -> BillingSummary:
    """The current council's billing standing, plan and (when unpaid) when modules turn read-only."""
    if not gateway.is_configured():
        return BillingSummary(rules.Standing.OFF, None, None, None)
    sub = current_subscription()
    now = now or datetime.now(UTC)
    grace = grace_period()
    standing = rules.standing(True, sub.status if sub else None, sub.lapsed_since if sub else None, grace, now)
    plan = db.session.get(Plan, sub.plan_id) if sub is not None and sub.plan_id is not None else None
    read_only_from = sub.lapsed_since + grace if sub is not None and sub.lapsed_since is not None else None
    return BillingSummary(standing, sub, plan, read_only_from)
