"""Every billing write: flush, never commit (the view, job or command commits).

Stripe is the truth about subscriptions and invoices; these operations keep a
copy. Anything that learns something changed (a webhook, the nightly
reconciliation) calls ``sync_from_stripe``, which re-fetches the council's
whole state from Stripe, so duplicate or out-of-order events cannot leave a
wrong answer behind: the last sync always wins, and it reads Stripe's present.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from app.audit.operations import record_event
from app.billing import gateway, queries, rules
from app.billing.catalogue import PlanDefinition
from app.billing.models import BillingAccount, Invoice, Plan, StripeEvent, Subscription, SubscriptionRequest
from app.extensions import db
from app.i18n import _l
from tenants.context import current_council_id
from tenants.models import Council

logger = logging.getLogger(__name__)


class BillingError(ValueError):
    """A billing request that cannot be carried out; ``message`` says why, for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _now() -> datetime:
    return datetime.now(UTC)


# --- plans (global) -----------------------------------------------------------------------------


def sync_plans(definitions: Iterable[PlanDefinition], to_stripe: bool = True) -> list[Plan]:
    """Write ``definitions`` to ``billing_plans`` and, when billing is on, make sure Stripe has each one.

    Idempotent: existing plans are updated in place (name, modules), Stripe
    objects are found by their derived ids before anything is created.
    Plans no longer in ``definitions`` are retired (kept, never offered again).
    """
    wanted = {d.key: d for d in definitions}
    existing = {p.key: p for p in db.session.scalars(select(Plan))}
    plans = []
    for key, definition in wanted.items():
        plan = existing.get(key)
        if plan is None:
            plan = Plan(
                key=key,
                name=definition.name,
                interval=definition.interval,
                amount_pence=definition.amount_pence,
                modules=list(definition.modules),
            )
            db.session.add(plan)
        plan.name = definition.name
        plan.modules = list(definition.modules)
        plan.is_active = True
        plans.append(plan)
    for key, plan in existing.items():
        if key not in wanted:
            plan.is_active = False
    db.session.flush()
    if to_stripe and gateway.is_configured():
        for plan in plans:
            plan.stripe_product_id, plan.stripe_price_id = gateway.ensure_plan(
                plan.key, plan.name, plan.amount_pence, plan.currency, plan.interval
            )
            plan.synced_at = func.now()
        db.session.flush()
    return plans


# --- the council's account ----------------------------------------------------------------------


def ensure_account(billing_email: str | None = None) -> BillingAccount:
    """The current council's billing account, created (without a Stripe customer yet) if missing."""
    account = queries.account()
    if account is None:
        account = BillingAccount(billing_email=billing_email)
        db.session.add(account)
        db.session.flush()
    elif billing_email and not account.billing_email:
        account.billing_email = billing_email
    return account


def ensure_customer(account: BillingAccount) -> str:
    """The account's Stripe customer id, creating the customer the first time.

    The idempotency key is the account's own id, so a run that dies after
    Stripe made the customer gets the same customer when it runs again.
    """
    if account.stripe_customer_id is None:
        council = db.session.get(Council, current_council_id())
        account.stripe_customer_id = gateway.create_customer(
            account.council_id, account.id, council.name if council else str(account.council_id), account.billing_email
        )
        db.session.flush()
        record_event("billing.customer_created", "billing_account", account.id)
    return account.stripe_customer_id


def request_subscription(
    plan: Plan, method: str, user_id: int | None, billing_email: str | None
) -> SubscriptionRequest:
    """Record an administrator's choice of ``plan`` (paid by ``checkout`` or ``invoice``).

    The caller commits before any Stripe call, so the request's id, which the
    idempotency keys are built from, is the same on every retry.
    """
    if method not in ("checkout", "invoice"):
        raise BillingError(_l("Choose how the council will pay"))
    if not plan.is_active or plan.stripe_price_id is None:
        raise BillingError(_l("That plan is not available. Choose another plan"))
    current = queries.current_subscription()
    if current is not None and current.status not in rules.ENDED_STATUSES:
        raise BillingError(_l("The council already has a subscription. Use Manage billing to change or cancel it"))
    ensure_account(billing_email)
    request = SubscriptionRequest(plan_key=plan.key, method=method, requested_by_id=user_id)
    db.session.add(request)
    db.session.flush()
    record_event(
        "billing.subscription_requested",
        "billing_subscription_request",
        request.id,
        payload={"plan": plan.key, "method": method},
        actor_user_id=user_id,
    )
    return request


def _plan_of(request: SubscriptionRequest) -> Plan:
    plan = db.session.scalar(select(Plan).where(Plan.key == request.plan_key))
    if plan is None or plan.stripe_price_id is None:
        raise BillingError(_l("That plan is not available. Choose another plan"))
    return plan


def start_checkout(request: SubscriptionRequest, success_url: str, cancel_url: str) -> str:
    """Create the Stripe Checkout session for ``request``; returns the address to send the person to."""
    account = ensure_account()
    customer_id = ensure_customer(account)
    plan = _plan_of(request)
    request.stripe_checkout_session_id, url = gateway.create_checkout_session(
        request.council_id, request.id, customer_id, plan.stripe_price_id, success_url, cancel_url
    )
    db.session.flush()
    return url


def start_invoiced_subscription(request_id: int) -> Subscription | None:
    """Create the Stripe customer (if needed) and the invoiced subscription for request ``request_id``.

    Safe to run again: the customer and subscription calls carry keys built
    from the account and request ids, so Stripe answers a retry with what it
    made the first time, and a request that already has its subscription is
    left alone.
    """
    request = db.session.scalar(select(SubscriptionRequest).where(SubscriptionRequest.id == request_id))
    if request is None:
        return None
    if request.stripe_subscription_id is not None:
        return db.session.scalar(
            select(Subscription).where(Subscription.stripe_subscription_id == request.stripe_subscription_id)
        )
    account = ensure_account()
    customer_id = ensure_customer(account)
    plan = _plan_of(request)
    created = gateway.create_invoiced_subscription(request.council_id, request.id, customer_id, plan.stripe_price_id)
    request.stripe_subscription_id = str(created["id"])
    subscription = apply_subscription(rules.subscription_state(created))
    sync_from_stripe()  # the first invoice, and anything else Stripe did meanwhile
    return subscription


def portal_url(return_url: str, visit: str) -> str:
    """The customer portal for the council's Stripe customer; ``BillingError`` if it has none yet."""
    account = queries.account()
    if account is None or account.stripe_customer_id is None:
        raise BillingError(_l("The council has no billing account yet. Choose a plan first"))
    return gateway.create_portal_session(account.council_id, account.stripe_customer_id, return_url, visit)


# --- keeping the copy in step with Stripe -------------------------------------------------------


def _lock_council_billing() -> None:
    # Two events for one council processed at once would race to insert the same rows.
    key = func.hashtextextended(f"rochdale.billing:{current_council_id()}", 0)
    db.session.execute(select(func.pg_advisory_xact_lock(key)))


def apply_subscription(state: rules.SubscriptionState, now: datetime | None = None) -> Subscription:
    """Store ``state`` (fetched from Stripe) as the current council's copy of that subscription.

    A change of status is written to the audit log once: applying the same
    state again changes nothing and records nothing.
    """
    now = now or _now()
    sub = db.session.scalar(
        select(Subscription).where(Subscription.stripe_subscription_id == state.stripe_subscription_id)
    )
    previous_status = None
    if sub is None:
        sub = Subscription(stripe_subscription_id=state.stripe_subscription_id, status=state.status)
        db.session.add(sub)
    else:
        previous_status = sub.status
    plan = queries.plan_by_price(state.price_id)
    sub.plan_id = plan.id if plan is not None else sub.plan_id
    sub.status = state.status
    sub.current_period_end = state.current_period_end
    sub.cancel_at_period_end = state.cancel_at_period_end
    sub.started_at = state.started_at
    sub.ended_at = state.ended_at
    sub.lapsed_since = rules.lapsed_since(sub.lapsed_since, state.status, state.ended_at, now)
    db.session.flush()
    if previous_status != state.status:
        record_event(
            "billing.subscription_status",
            "billing_subscription",
            sub.id,
            payload={"from": previous_status, "to": state.status, "plan": plan.key if plan else None},
        )
    return sub


def _apply_invoice(data: dict[str, Any]) -> None:
    values = {
        "number": data.get("number"),
        "status": data.get("status"),
        "amount_due": int(data.get("amount_due") or 0),
        "amount_paid": int(data.get("amount_paid") or 0),
        "issued_at": datetime.fromtimestamp(int(data.get("created") or data.get("date") or 0), UTC),
        "hosted_invoice_url": data.get("hosted_invoice_url"),
    }
    invoice = db.session.scalar(select(Invoice).where(Invoice.stripe_invoice_id == str(data["id"])))
    if invoice is None:
        db.session.add(Invoice(stripe_invoice_id=str(data["id"]), **values))
    else:
        for key, value in values.items():
            setattr(invoice, key, value)


def sync_from_stripe() -> bool:
    """Re-fetch the current council's subscriptions and invoices from Stripe and store them.

    Returns False when the council has no Stripe customer (nothing to fetch).
    Serialised per council, so concurrent events cannot interleave.
    """
    _lock_council_billing()
    account = queries.account()
    if account is None or account.stripe_customer_id is None:
        return False
    for data in gateway.list_subscriptions(account.stripe_customer_id):
        apply_subscription(rules.subscription_state(data))
    for data in gateway.list_invoices(account.stripe_customer_id):
        _apply_invoice(data)
    account.last_synced_at = func.now()
    db.session.flush()
    return True


# --- webhooks -----------------------------------------------------------------------------------


def council_for_customer(customer_id: str | None) -> int | None:
    """The council whose billing account has Stripe customer ``customer_id`` (a narrow global lookup).

    The webhook has no council in its address; the database function
    ``billing_council_of_customer`` (SECURITY DEFINER) answers only this one
    question, never a row.
    """
    if not customer_id:
        return None
    return db.session.scalar(select(func.billing_council_of_customer(customer_id)))


def record_webhook_event(event: gateway.WebhookEvent) -> bool:
    """Store a verified event by its id and, for a known customer, queue its processing after commit.

    Returns False for a duplicate (already stored): nothing is written or queued.
    """
    from workers.enqueue import enqueue_after_commit
    from workers.jobs.billing import process_stripe_event

    inserted = db.session.execute(
        insert(StripeEvent)
        .values(
            event_id=event.id,
            event_type=event.type,
            stripe_customer_id=event.customer_id,
            stripe_created=datetime.fromtimestamp(event.created, UTC),
            received_at=func.now(),
        )
        .on_conflict_do_nothing(index_elements=[StripeEvent.event_id])
        .returning(StripeEvent.event_id)
    ).first()
    if inserted is None:
        return False
    council_id = council_for_customer(event.customer_id)
    if council_id is None:
        logger.info("Stripe event %s (%s) names no customer of ours; stored only", event.id, event.type)
        return True
    enqueue_after_commit(process_stripe_event, event.id, council_id=council_id, job_id=f"billing-event:{event.id}")
    return True


def process_event(event_id: str) -> bool:
    """Bring the current council's copy up to date because of event ``event_id``; False if already done.

    The event row is locked, so two runs for one event (a redelivered job)
    cannot both act; the event's own content is not used, only the fact that
    something changed: Stripe's present state is fetched instead.
    """
    event = db.session.scalar(select(StripeEvent).where(StripeEvent.event_id == event_id).with_for_update())
    if event is None or event.processed_at is not None:
        return False
    if council_for_customer(event.stripe_customer_id) != current_council_id():
        logger.warning("Stripe event %s is not for council %s; ignored", event_id, current_council_id())
        return False
    sync_from_stripe()
    event.processed_at = func.now()
    db.session.flush()
    return True
