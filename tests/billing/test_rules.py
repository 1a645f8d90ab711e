"""The pure billing rules: reading Stripe's subscriptions, choosing the deciding one, standing and grace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.billing import rules
from app.billing.rules import Standing

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
GRACE = timedelta(days=14)


def test_subscription_state_reads_old_and_new_api_shapes():
    old = {
        "id": "sub_1",
        "customer": "cus_1",
        "status": "active",
        "current_period_end": 1_800_000_000,
        "items": {"data": [{"plan": {"id": "rochdale-x"}}]},
        "start_date": 1_700_000_000,
    }
    new = {
        "id": "sub_1",
        "customer": {"id": "cus_1"},
        "status": "active",
        "items": {"data": [{"price": {"id": "rochdale-x"}, "current_period_end": 1_800_000_000}]},
        "start_date": 1_700_000_000,
    }
    assert rules.subscription_state(old) == rules.subscription_state(new)
    state = rules.subscription_state(new)
    assert state.price_id == "rochdale-x" and state.customer_id == "cus_1"
    assert state.current_period_end == datetime.fromtimestamp(1_800_000_000, UTC)


@dataclass
class Sub:
    status: str
    started_at: datetime | None


def test_a_live_subscription_decides_over_a_newer_ended_one():
    old_live = Sub("past_due", NOW - timedelta(days=300))
    new_ended = Sub("canceled", NOW - timedelta(days=1))
    assert rules.current([new_ended, old_live]) is old_live
    assert rules.current([new_ended]) is new_ended
    assert rules.current([]) is None


@pytest.mark.parametrize(
    ("billing_on", "status", "lapsed_days", "expected"),
    [
        (False, "canceled", 100, Standing.OFF),
        (True, None, None, Standing.NONE),
        (True, "active", None, Standing.GOOD),
        (True, "trialing", None, Standing.GOOD),
        (True, "past_due", 3, Standing.GRACE),
        (True, "past_due", 14, Standing.GRACE),
        (True, "past_due", 15, Standing.LAPSED),
        (True, "canceled", 30, Standing.LAPSED),
    ],
)
def test_standing(billing_on, status, lapsed_days, expected):
    since = None if lapsed_days is None else NOW - timedelta(days=lapsed_days)
    assert rules.standing(billing_on, status, since, GRACE, NOW) is expected


def test_grace_starts_once_and_ends_when_paid():
    first = rules.lapsed_since(None, "past_due", None, NOW)
    assert first == NOW
    assert rules.lapsed_since(first, "unpaid", None, NOW + timedelta(days=3)) == NOW
    assert rules.lapsed_since(first, "active", None, NOW) is None
    ended = NOW - timedelta(days=2)
    assert rules.lapsed_since(None, "canceled", ended, NOW) == ended  # from Stripe's own time, whatever the order
