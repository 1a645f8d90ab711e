"""The only code that talks to Stripe (and the only module that imports ``stripe``).

Every POST carries a deterministic idempotency key built from the council, the
operation and our own row id (``idempotency_key``), so a job that dies after
Stripe did the work and is run again gets Stripe's saved answer instead of a
second customer or subscription. The SDK's own network retries are switched
off: a retry is the job's business, with the same key.

Plans are created through Stripe's Plans API with ids derived from our plan
key (``rochdale-<key>``): a plan id works wherever Stripe expects a price id
(Checkout line items, subscription items), and syncing twice finds the plan
instead of making another.

Answers are returned as plain ``dict``s (``to_dict``), so no Stripe type leaks
out of this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from flask import current_app

# Stripe keeps idempotency keys for at least 24 hours and allows 255 characters.
_KEY_LIMIT = 255


class GatewayError(RuntimeError):
    """Stripe could not be reached, or refused the request."""


class SignatureError(ValueError):
    """A webhook whose signature or timestamp does not check out."""


@dataclass(frozen=True)
class WebhookEvent:
    """The parts of a verified Stripe event that we keep."""

    id: str
    type: str
    created: int
    customer_id: str | None


def is_configured() -> bool:
    """Whether billing is on: a Stripe secret key is set. Off means self-hosted, every module available."""
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def idempotency_key(council_id: int | None, operation: str, local_id: int | str) -> str:
    """``rochdale:council:<id>:<operation>:<local id>``: the same work always carries the same key."""
    owner = "platform" if council_id is None else f"council:{council_id}"
    return f"rochdale:{owner}:{operation}:{local_id}"[:_KEY_LIMIT]


def plan_stripe_id(plan_key: str) -> str:
    """The id our plan has in Stripe (product and plan alike)."""
    return f"rochdale-{plan_key}"


def _client() -> stripe.StripeClient:
    config = current_app.config
    key = config.get("STRIPE_SECRET_KEY")
    if not key:
        raise GatewayError("billing is not configured (STRIPE_SECRET_KEY is empty)")
    base = config.get("STRIPE_API_BASE") or None
    addresses = {"api": base} if base else None
    return stripe.StripeClient(key, base_addresses=addresses, max_network_retries=0)  # type: ignore[arg-type]


def _options(key: str | None) -> dict[str, Any]:
    return {"idempotency_key": key} if key else {}


def _call(action, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return action(*args, **kwargs).to_dict()
    except stripe.StripeError as exc:
        raise GatewayError(f"Stripe refused or could not be reached: {type(exc).__name__}: {exc}") from exc


def _not_found(action, *args: Any) -> dict[str, Any] | None:
    try:
        return action(*args).to_dict()
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404:
            return None
        raise GatewayError(f"Stripe refused the request: {exc}") from exc
    except stripe.StripeError as exc:
        raise GatewayError(f"Stripe could not be reached: {type(exc).__name__}: {exc}") from exc


# --- plans --------------------------------------------------------------------------------------


def ensure_plan(key: str, name: str, amount_pence: int, currency: str, interval: str) -> tuple[str, str]:
    """Make sure Stripe has a product and a plan for our plan ``key``; returns their ids.

    Existing ones are left as they are (Stripe prices cannot change amount;
    a new amount needs a new plan key).
    """
    client = _client()
    stripe_id = plan_stripe_id(key)
    product = _not_found(client.v1.products.retrieve, stripe_id)
    if product is None:
        product = _call(
            client.v1.products.create,
            params={"id": stripe_id, "name": name},
            options=_options(idempotency_key(None, "create-product", key)),
        )
    plan = _not_found(client.v1.plans.retrieve, stripe_id)
    if plan is None:
        plan = _call(
            client.v1.plans.create,
            params={
                "id": stripe_id,
                "product": product["id"],
                "amount": amount_pence,
                "currency": currency,
                "interval": interval,
                "nickname": name,
            },
            options=_options(idempotency_key(None, "create-plan", key)),
        )
    return product["id"], plan["id"]


# --- customers and subscriptions ----------------------------------------------------------------


def create_customer(council_id: int, account_id: int, name: str, email: str | None) -> str:
    """Create the council's Stripe customer (once per account row, whatever the retries); returns its id."""
    params: dict[str, Any] = {"name": name, "metadata": {"rochdale_council_id": str(council_id)}}
    if email:
        params["email"] = email
    customer = _call(
        _client().v1.customers.create,
        params=params,
        options=_options(idempotency_key(council_id, "create-customer", account_id)),
    )
    return customer["id"]


def create_invoiced_subscription(council_id: int, request_id: int, customer_id: str, price_id: str) -> dict[str, Any]:
    """Start a subscription Stripe bills by emailed invoice (paid by bank transfer within 30 days)."""
    return _call(
        _client().v1.subscriptions.create,
        params={
            "customer": customer_id,
            "items": [{"price": price_id}],
            "collection_method": "send_invoice",
            "days_until_due": 30,
            "metadata": {"rochdale_council_id": str(council_id), "rochdale_request_id": str(request_id)},
        },
        options=_options(idempotency_key(council_id, "create-subscription", request_id)),
    )


def create_checkout_session(
    council_id: int, request_id: int, customer_id: str, price_id: str, success_url: str, cancel_url: str
) -> tuple[str, str]:
    """A Stripe Checkout session for subscribing to ``price_id``; returns its id and the page to send the person to."""
    session = _call(
        _client().v1.checkout.sessions.create,
        params={
            "mode": "subscription",
            "customer": customer_id,
            "line_items": [{"price": price_id, "quantity": 1}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": f"{council_id}:{request_id}",
            "subscription_data": {"metadata": {"rochdale_council_id": str(council_id)}},
        },
        options=_options(idempotency_key(council_id, "checkout", request_id)),
    )
    return session["id"], session["url"]


def create_portal_session(council_id: int, customer_id: str, return_url: str, visit: str) -> str:
    """A Stripe customer portal session (payment details, invoices, cancelling); returns its address.

    ``visit`` distinguishes one visit from the next (a new session each time),
    while a double click within one visit gets the same session.
    """
    session = _call(
        _client().v1.billing_portal.sessions.create,
        params={"customer": customer_id, "return_url": return_url},
        options=_options(idempotency_key(council_id, "portal", visit)),
    )
    return session["url"]


def list_subscriptions(customer_id: str) -> list[dict[str, Any]]:
    """Every subscription of the customer, whatever its status (newest first)."""
    client = _client()
    page = _call(client.v1.subscriptions.list, params={"customer": customer_id, "status": "all", "limit": 100})
    return list(page.get("data", []))


def list_invoices(customer_id: str) -> list[dict[str, Any]]:
    """The customer's latest 100 invoices (newest first)."""
    page = _call(_client().v1.invoices.list, params={"customer": customer_id, "limit": 100})
    return list(page.get("data", []))


# --- webhooks -----------------------------------------------------------------------------------


def verify_webhook(payload: bytes, signature_header: str | None) -> WebhookEvent:
    """Check ``payload`` (the raw request body) against its ``Stripe-Signature``; raise ``SignatureError``.

    A signature made with another secret, a body changed by a single byte, or
    a timestamp more than five minutes old are all refused.
    """
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise SignatureError("no webhook secret is configured")
    try:
        event = stripe.Webhook.construct_event(payload, signature_header or "", secret)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise SignatureError(str(exc)) from exc
    data = event.to_dict()
    obj = (data.get("data") or {}).get("object") or {}
    customer = obj.get("customer") if obj.get("object") != "customer" else obj.get("id")
    if isinstance(customer, dict):
        customer = customer.get("id")
    return WebhookEvent(
        id=str(data["id"]),
        type=str(data.get("type", "")),
        created=int(data.get("created") or 0),
        customer_id=customer if isinstance(customer, str) else None,
    )
