"""``rochdale billing``: the platform's plans, and Stripe."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group()
def billing() -> None:
    """Billing: plans and prices, kept in step with Stripe."""


@billing.command("sync-plans")
@with_appcontext
def sync_plans() -> None:
    """Write the standard plans to the database and, if STRIPE_SECRET_KEY is set, to Stripe.

    Safe to run any number of times: plans are found by key, Stripe products
    and plans by ids derived from the key.
    """
    from app.billing import gateway
    from app.billing.catalogue import STANDARD_PLANS
    from app.billing.operations import sync_plans as sync
    from app.extensions import db

    try:
        plans = sync(STANDARD_PLANS)
        db.session.commit()
    except gateway.GatewayError as exc:
        db.session.rollback()
        raise click.ClickException(f"Stripe refused or could not be reached; nothing was saved. {exc}") from exc
    where = "the database and Stripe" if gateway.is_configured() else "the database (billing is off: no Stripe key)"
    click.echo(f"{len(plans)} plans in {where}:")
    for plan in plans:
        click.echo(
            f"  {plan.key}: {plan.name}, {plan.amount_pence / 100:.2f} {plan.currency.upper()} a {plan.interval}"
        )
