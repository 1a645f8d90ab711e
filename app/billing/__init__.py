"""Billing with Stripe: plans grant module entitlements; councils subscribe by invoice or through Checkout.

- ``gateway.py`` is the only module that imports ``stripe``; every POST carries
  a deterministic idempotency key (council, operation, our row id).
- ``webhook.py`` verifies Stripe's signature on the raw body, stores the event
  by id and queues ``workers.jobs.billing.process_stripe_event``, which
  re-fetches the council's state from Stripe (``operations.sync_from_stripe``),
  so duplicates and out-of-order events converge; ``reconcile_billing`` runs
  the same sync nightly for every council.
- ``guard.py`` makes module pages read-only after a lapse past the grace
  period and shows administrators a banner; ``queries.summary`` decides.
- With no ``STRIPE_SECRET_KEY`` billing is off and every module is available.
"""
