"""A job that dies after Stripe did the work, run again: one customer, one subscription, the same keys."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.billing import gateway, operations, queries
from app.billing.models import BillingAccount, Subscription
from tenants.context import council_context
from workers.enqueue import enqueue_after_commit
from workers.jobs.billing import start_invoiced_subscription


def test_a_job_failing_after_each_stripe_call_converges_on_one_of_each(billing_world, committed_db):
    a = billing_world.councils["A"]
    front = billing_world.front
    with council_context(a.id):
        request = operations.request_subscription(
            queries.plan_by_key("one-module-month"), "invoice", a.admin_id, "finance@example.org"
        )
        request_id, account_id = request.id, queries.account().id
        enqueue_after_commit(start_invoiced_subscription, request_id, council_id=a.id)
        committed_db.session.commit()

    # Stripe makes the customer, then the subscription, but both answers are lost on the way back.
    front.fail_after_forwarding = 2
    for _ in range(2):
        with pytest.raises(gateway.GatewayError):
            start_invoiced_subscription(a.id, request_id)
    # Retried (as RQ would) until it succeeds, and once more as a duplicate delivery.
    assert start_invoiced_subscription(a.id, request_id) is True
    start_invoiced_subscription(a.id, request_id)

    customer_keys = {c.idempotency_key for c in front.posts("/v1/customers")}
    subscription_keys = {c.idempotency_key for c in front.posts("/v1/subscriptions")}
    assert customer_keys == {f"rochdale:council:{a.id}:create-customer:{account_id}"}
    assert subscription_keys == {f"rochdale:council:{a.id}:create-subscription:{request_id}"}
    assert len(front.posts("/v1/customers")) == 3  # lost, replayed, replayed
    assert len(front.posts("/v1/subscriptions")) == 2  # lost, replayed

    assert len(front.get("/v1/customers")["data"]) == 1
    (stripe_sub,) = front.get("/v1/subscriptions?status=all")["data"]
    committed_db.session.remove()
    with council_context(a.id):
        (account,) = committed_db.session.scalars(select(BillingAccount)).all()
        assert account.stripe_customer_id == stripe_sub["customer"]
        assert committed_db.session.scalar(select(func.count()).select_from(Subscription)) == 1
        assert committed_db.session.scalar(select(Subscription.stripe_subscription_id)) == stripe_sub["id"]
