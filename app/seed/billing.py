"""Demo billing: the standard plans, in the database and (when billing is on) in Stripe.

With no Stripe key (the ``make run`` default) billing is off and every module
is available, so the plans are only listed. Pointed at a local localstripe
(README: "Billing against localstripe") the plans are created there too.
Idempotent: plans are found by key, Stripe objects by ids derived from it.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from app.billing.catalogue import STANDARD_PLANS
from app.billing.models import Plan
from app.billing.operations import sync_plans
from app.extensions import db


def ensure_plans(created: Counter[str]) -> None:
    """Write the standard plans (and sync them to Stripe when billing is on)."""
    before = db.session.scalar(select(func.count()).select_from(Plan)) or 0
    added = len(sync_plans(STANDARD_PLANS)) - before
    if added > 0:
        created["billing plans"] += added
