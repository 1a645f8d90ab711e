"""The Stripe webhook: signatures from the raw body, storage by event id, duplicates and disorder, tenancy."""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, update

from app.audit.models import AuditEvent
from app.billing.models import StripeEvent, Subscription
from tenants.context import council_context
from tests.billing.conftest import WEBHOOK_SECRET, billing_config, subscribe
from tests.billing.stripe_front import event_payload, sign
from workers.models import OutboxJob

URL = "/billing/stripe/webhook"


def _post(client, payload: bytes, header: str):
    return client.post(URL, data=payload, headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def _counts(db) -> tuple[int, int]:
    db.session.remove()
    events = db.session.scalar(select(func.count()).select_from(StripeEvent))
    jobs = db.session.scalar(select(func.count()).select_from(OutboxJob))
    return events, jobs


def _subscription_event(event_id: str, event_type: str, sub_id: str, customer: str, status: str, created: int):
    return event_payload(
        event_id, event_type, {"id": sub_id, "object": "subscription", "customer": customer, "status": status}, created
    )


# --- signatures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "problem",
    ["wrong secret", "stale timestamp", "body re-serialised", "no header", "garbage header"],
)
def test_a_bad_signature_is_a_400_and_writes_nothing(billing_world, app, committed_db, problem):
    payload = event_payload("evt_bad_1", "customer.subscription.updated", {"id": "sub_x", "customer": "cus_x"})
    header = sign(payload, WEBHOOK_SECRET)
    if problem == "wrong secret":
        header = sign(payload, "whsec_someone_else")
    elif problem == "stale timestamp":
        header = sign(payload, WEBHOOK_SECRET, int(time.time()) - 301)
    elif problem == "body re-serialised":
        payload = json.dumps(json.loads(payload), indent=4).encode()
    elif problem == "no header":
        header = ""
    else:
        header = "t=abc,v1=zzz"
    response = _post(app.test_client(), payload, header)
    assert response.status_code == 400
    assert _counts(committed_db) == (0, 0)


def test_one_good_signature_among_several_is_accepted(billing_world, app, committed_db):
    payload = event_payload("evt_two_sigs", "customer.created", {"id": "cus_nobody", "object": "customer"})
    good = sign(payload, WEBHOOK_SECRET)
    timestamp, good_v1 = good.split(",")
    header = f"{timestamp},v1={'0' * 64},{good_v1}"
    response = _post(app.test_client(), payload, header)
    assert response.status_code == 200
    # Stored, but no council has that customer: nothing to process.
    assert _counts(committed_db) == (1, 0)


def test_with_billing_off_the_webhook_does_not_exist(app, committed_db):
    payload = event_payload("evt_off", "customer.created", {"id": "cus_x", "object": "customer"})
    response = _post(app.test_client(), payload, sign(payload, WEBHOOK_SECRET))
    assert response.status_code == 404
    assert _counts(committed_db) == (0, 0)


# --- duplicates ---------------------------------------------------------------------------------


def _audit_status_changes(db, council_id: int) -> list[dict]:
    db.session.remove()
    with council_context(council_id):
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "billing.subscription_status").order_by(AuditEvent.seq)
        ).all()
        return [row.payload for row in rows]


def test_the_same_event_five_times_at_once_has_one_effect(
    billing_world, live_app, live_server, committed_db, run_jobs, monkeypatch
):
    for key, value in billing_config(billing_world.front).items():
        monkeypatch.setitem(live_app.config, key, value)
    a = billing_world.councils["A"]
    customer, sub_id = subscribe(committed_db, a.id)
    before = _audit_status_changes(committed_db, a.id)
    billing_world.front.cancel_subscription(sub_id)
    payload = _subscription_event("evt_dup", "customer.subscription.deleted", sub_id, customer, "canceled", 0)
    header = sign(payload, WEBHOOK_SECRET)

    def deliver(_: int) -> int:
        req = urllib.request.Request(
            live_server + URL,
            data=payload,
            method="POST",
            headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(pool.map(deliver, range(5)))
    assert statuses == [200] * 5
    assert _counts(committed_db) == (1, 1)
    run_jobs()
    run_jobs()
    after = _audit_status_changes(committed_db, a.id)
    assert after[len(before) :] == [{"from": "active", "to": "canceled", "plan": "all-modules-year"}]
    with council_context(a.id):
        assert committed_db.session.scalar(select(Subscription.status)) == "canceled"
    # Delivered again later: 200, and still nothing more happens.
    assert deliver(6) == 200
    run_jobs()
    assert _counts(committed_db) == (1, 1)
    assert _audit_status_changes(committed_db, a.id) == after


# --- disorder -----------------------------------------------------------------------------------


def _state(db, council_id: int):
    db.session.remove()
    with council_context(council_id):
        sub = db.session.scalar(select(Subscription))
        return (sub.status, sub.plan_id, sub.current_period_end, sub.ended_at, sub.cancel_at_period_end)


def test_every_order_of_a_lifecycle_ends_in_stripes_state(billing_world, app, committed_db, run_jobs):
    """All 120 orders of created, updated (active), invoice paid, updated (past due), deleted agree with Stripe."""
    a = billing_world.councils["A"]
    customer, sub_id = subscribe(committed_db, a.id)
    billing_world.front.cancel_subscription(sub_id)
    now = int(time.time())
    lifecycle = [
        ("customer.subscription.created", {"id": sub_id, "object": "subscription", "status": "incomplete"}),
        ("customer.subscription.updated", {"id": sub_id, "object": "subscription", "status": "active"}),
        ("invoice.paid", {"id": "in_x", "object": "invoice", "subscription": sub_id, "status": "paid"}),
        ("customer.subscription.updated", {"id": sub_id, "object": "subscription", "status": "past_due"}),
        ("customer.subscription.deleted", {"id": sub_id, "object": "subscription", "status": "canceled"}),
    ]
    client = app.test_client()
    final_states = set()
    for number, order in enumerate(itertools.permutations(range(len(lifecycle)))):
        # Start each order from a stale copy, as if nothing had been heard since the subscription began.
        with council_context(a.id):
            committed_db.session.execute(update(Subscription).values(status="active", ended_at=None, lapsed_since=None))
            committed_db.session.commit()
        for position in order:
            event_type, obj = lifecycle[position]
            payload = event_payload(
                f"evt_{number}_{position}", event_type, {**obj, "customer": customer}, now + position
            )
            assert _post(client, payload, sign(payload, WEBHOOK_SECRET)).status_code == 200
        run_jobs()
        final_states.add(_state(committed_db, a.id))
    stripe_sub = billing_world.front.get(f"/v1/subscriptions/{sub_id}")
    assert len(final_states) == 1
    (status, _, _, ended_at, _) = final_states.pop()
    assert status == stripe_sub["status"] == "canceled"
    assert ended_at is not None


# --- tenancy ------------------------------------------------------------------------------------


def _fingerprint(db, council_id: int):
    db.session.remove()
    with council_context(council_id):
        subs = db.session.execute(select(Subscription.status, Subscription.updated_at)).all()
        audit = db.session.scalar(select(func.max(AuditEvent.seq)))
        return subs, audit


def test_a_webhook_for_council_a_never_touches_council_b(billing_world, app, committed_db, run_jobs):
    a, b = billing_world.councils["A"], billing_world.councils["B"]
    customer_a, sub_a = subscribe(committed_db, a.id)
    subscribe(committed_db, b.id)
    b_before = _fingerprint(committed_db, b.id)
    billing_world.front.cancel_subscription(sub_a)
    payload = _subscription_event("evt_a_only", "customer.subscription.deleted", sub_a, customer_a, "canceled", 0)
    assert _post(app.test_client(), payload, sign(payload, WEBHOOK_SECRET)).status_code == 200
    committed_db.session.remove()
    (job,) = committed_db.session.scalars(select(OutboxJob).where(OutboxJob.job_id.like("billing-event%"))).all()
    assert job.target_council_id == a.id
    run_jobs()
    assert _state(committed_db, a.id)[0] == "canceled"
    assert _fingerprint(committed_db, b.id) == b_before


def test_the_nightly_reconciliation_catches_a_lost_webhook(billing_world, committed_db, run_jobs):
    from workers.enqueue import enqueue_after_commit
    from workers.jobs.billing import reconcile_billing

    a = billing_world.councils["A"]
    _, sub_id = subscribe(committed_db, a.id)
    billing_world.front.cancel_subscription(sub_id)  # and the webhook never arrives
    assert _state(committed_db, a.id)[0] == "active"
    enqueue_after_commit(reconcile_billing, council_id=a.id)
    committed_db.session.commit()
    run_jobs()
    assert _state(committed_db, a.id)[0] == "canceled"
