"""Billing rules with no Flask or database: reading Stripe's answers and deciding what a council may do.

- ``subscription_state`` turns a Stripe subscription (a dict) into the fields we keep.
- ``current`` picks, from a council's subscriptions, the one that decides its access.
- ``standing`` says whether modules are writable, and whether to warn.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

GOOD_STATUSES = frozenset({"active", "trialing"})
# A subscription in one of these is over for good; a new one must be started.
ENDED_STATUSES = frozenset({"canceled", "incomplete_expired"})


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


@dataclass(frozen=True)
class SubscriptionState:
    """What we keep of a Stripe subscription."""

    stripe_subscription_id: str
    customer_id: str | None
    status: str
    price_id: str | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    started_at: datetime | None
    ended_at: datetime | None


def _price_of(sub: Mapping[str, Any]) -> tuple[str | None, Any]:
    items = ((sub.get("items") or {}).get("data")) or []
    if not items:
        plan = sub.get("plan") or {}
        return plan.get("id"), None
    item = items[0]
    price = item.get("price") or item.get("plan") or {}
    return price.get("id"), item.get("current_period_end")


def subscription_state(sub: Mapping[str, Any]) -> SubscriptionState:
    """The fields we keep of Stripe subscription ``sub`` (a dict as Stripe's API returns it).

    Newer API versions moved ``current_period_end`` onto the subscription's
    items; both places are read.
    """
    price_id, item_period_end = _price_of(sub)
    customer = sub.get("customer")
    if isinstance(customer, Mapping):
        customer = customer.get("id")
    return SubscriptionState(
        stripe_subscription_id=str(sub["id"]),
        customer_id=customer,
        status=str(sub.get("status") or "incomplete"),
        price_id=price_id,
        current_period_end=_time(sub.get("current_period_end") or item_period_end),
        cancel_at_period_end=bool(sub.get("cancel_at_period_end")),
        started_at=_time(sub.get("start_date") or sub.get("created")),
        ended_at=_time(sub.get("ended_at")),
    )


class HasStatus(Protocol):
    status: str
    started_at: datetime | None


def current(subscriptions: Iterable[HasStatus]) -> HasStatus | None:
    """The subscription that decides a council's access: a live one if any, else the latest to start."""
    ordered: Sequence[HasStatus] = sorted(
        subscriptions, key=lambda s: s.started_at or datetime.min.replace(tzinfo=UTC), reverse=True
    )
    for sub in ordered:
        if sub.status not in ENDED_STATUSES:
            return sub
    return ordered[0] if ordered else None


class Standing(enum.Enum):
    """A council's billing standing."""

    OFF = "off"  # billing is not configured: self-hosted, everything available
    NONE = "none"  # never subscribed: nothing to switch on, nothing to lock
    GOOD = "good"
    GRACE = "grace"  # not paid, but within the grace period: still writable, warned
    LAPSED = "lapsed"  # past the grace period: modules read-only

    @property
    def read_only(self) -> bool:
        return self is Standing.LAPSED

    @property
    def warn(self) -> bool:
        return self in (Standing.GRACE, Standing.LAPSED)


def standing(
    billing_on: bool, status: str | None, lapsed_since: datetime | None, grace: timedelta, now: datetime
) -> Standing:
    """The standing of a council whose deciding subscription has ``status`` (``None``: none at all)."""
    if not billing_on:
        return Standing.OFF
    if status is None:
        return Standing.NONE
    if status in GOOD_STATUSES:
        return Standing.GOOD
    if lapsed_since is not None and now - lapsed_since > grace:
        return Standing.LAPSED
    return Standing.GRACE


def lapsed_since(previous: datetime | None, status: str, ended_at: datetime | None, now: datetime) -> datetime | None:
    """When the grace period started: kept while unpaid, cleared when paid again.

    An ended subscription's grace runs from when Stripe ended it, so the
    answer does not depend on when (or in what order) we heard about it.
    """
    if status in GOOD_STATUSES:
        return None
    if status in ENDED_STATUSES and ended_at is not None:
        return ended_at
    return previous or now
