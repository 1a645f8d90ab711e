"""Plans sync idempotently to Stripe (localstripe); subscribing creates one customer and one subscription."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from app.billing import gateway, queries
from app.billing.models import Plan, Subscription
from app.cli import main
from tenants.context import council_context
from tests.billing.conftest import subscribe


def test_sync_plans_twice_makes_each_plan_once(billing_world, committed_db):
    front = billing_world.front
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(main, ["billing", "sync-plans"], obj=None, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "4 plans in the database and Stripe" in result.output
    stripe_plans = front.get("/v1/plans")["data"]
    assert sorted(p["id"] for p in stripe_plans) == sorted(
        gateway.plan_stripe_id(p.key) for p in queries.active_plans()
    )
    assert len(stripe_plans) == 4
    committed_db.session.remove()
    rows = list(committed_db.session.scalars(select(Plan)))
    assert len(rows) == 4 and all(p.stripe_price_id == gateway.plan_stripe_id(p.key) for p in rows)


def test_subscribing_by_invoice_creates_one_customer_and_subscription(billing_world, committed_db):
    a = billing_world.councils["A"]
    customer, sub_id = subscribe(committed_db, a.id)
    stripe_sub = billing_world.front.get(f"/v1/subscriptions/{sub_id}")
    assert stripe_sub["customer"] == customer
    assert stripe_sub["metadata"]["rochdale_council_id"] == str(a.id)
    creations = billing_world.front.posts("/v1/subscriptions")
    assert [c.idempotency_key for c in creations] == [f"rochdale:council:{a.id}:create-subscription:1"]
    with council_context(a.id):
        summary = queries.summary()
        assert summary.subscription.stripe_subscription_id == sub_id
        assert summary.plan.key == "all-modules-year"
    with council_context(billing_world.councils["B"].id):
        assert committed_db.session.scalars(select(Subscription)).all() == []
