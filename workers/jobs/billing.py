"""Billing jobs: process a Stripe event, start an invoiced subscription, reconcile nightly.

Each talks to Stripe, so each retries with backoff (``EXTERNAL_RETRY``) and is
safe to run again: events are marked processed in the same transaction as
their effect, Stripe calls carry deterministic idempotency keys, and a sync
only copies Stripe's present state.
"""

from __future__ import annotations

from workers.context import council_job
from workers.queues import PERIODIC
from workers.spec import EXTERNAL_RETRY


@council_job(timeout=120, retry=EXTERNAL_RETRY)
def process_stripe_event(event_id: str) -> bool:
    """Re-fetch the council's billing state from Stripe because event ``event_id`` arrived."""
    from app.billing.operations import process_event

    return process_event(event_id)


@council_job(timeout=120, retry=EXTERNAL_RETRY)
def start_invoiced_subscription(request_id: int) -> bool:
    """Create the Stripe customer and invoiced subscription for subscription request ``request_id``."""
    from app.billing.operations import start_invoiced_subscription as start

    return start(request_id) is not None


@council_job(queue=PERIODIC, timeout=300, retry=EXTERNAL_RETRY)
def reconcile_billing() -> bool:
    """Nightly: re-fetch the council's billing state, fixing whatever a lost webhook left behind.

    Does nothing when billing is off or the council has no Stripe customer.
    """
    from app.billing import gateway
    from app.billing.operations import sync_from_stripe

    if not gateway.is_configured():
        return False
    return sync_from_stripe()
