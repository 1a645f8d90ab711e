"""Council billing pages: load → check → call an operation → render or redirect.

Only council administrators (and platform administrators) reach these views
(``blueprint.py`` checks the role). With billing off the pages say so and
offer nothing to buy.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.admin.forms import ConfirmForm, choices, error_list
from app.billing import gateway, operations, queries
from app.billing.forms import PAYMENT_METHODS, SubscribeForm
from app.extensions import db
from app.i18n import gettext as _
from tenants.features import MODULES


def module_titles(plan) -> str:
    """The titles of the modules ``plan`` includes, in the platform's order."""
    return ", ".join(str(MODULES[key].title) for key in MODULES if key in plan.modules)


def index():
    return render_template(
        "billing/index.html",
        summary=queries.summary(),
        account=queries.account(),
        invoices=queries.invoices(),
        modules=MODULES,
        billing_on=gateway.is_configured(),
        portal_form=ConfirmForm(),
        module_titles=module_titles,
    )


def _plan_label(plan) -> str:
    price = f"£{plan.amount_pence / 100:,.2f}"
    if plan.interval == "year":
        return _("%(plan)s: %(price)s a year", plan=plan.name, price=price)
    return _("%(plan)s: %(price)s a month", plan=plan.name, price=price)


def subscribe():
    if not gateway.is_configured():
        abort(404)
    plans = queries.active_plans()
    form = SubscribeForm()
    form.plan.choices = choices((plan.key, _plan_label(plan)) for plan in plans)
    if form.validate_on_submit():
        plan = queries.plan_by_key(form.plan.data)
        try:
            if plan is None:
                raise operations.BillingError(_("That plan is not available. Choose another plan"))
            request = operations.request_subscription(
                plan, form.method.data, current_user.id, form.billing_email.data or current_user.email
            )
        except operations.BillingError as exc:
            form.plan.errors = [*form.plan.errors, exc.message]
        else:
            if request.method == "invoice":
                from workers.enqueue import enqueue_after_commit
                from workers.jobs.billing import start_invoiced_subscription

                enqueue_after_commit(start_invoiced_subscription, request.id, council_id=request.council_id)
                db.session.commit()
                flash(_("Your subscription is being set up. Stripe will email the first invoice."), "success")
                return redirect(url_for(".index"))
            db.session.commit()  # the request's id must be stable before Stripe hears of it
            try:
                checkout = operations.start_checkout(
                    request, url_for(".checkout_done", _external=True), url_for(".index", _external=True)
                )
            except gateway.GatewayError:
                db.session.rollback()
                flash(_("Stripe could not be reached. Nothing was charged. Try again in a few minutes."), "error")
                return redirect(url_for(".subscribe"))
            db.session.commit()
            return redirect(checkout, code=303)
    return render_template(
        "billing/subscribe.html",
        form=form,
        plans=plans,
        module_titles=module_titles,
        plan_label=_plan_label,
        payment_methods=PAYMENT_METHODS,
        form_errors=error_list(form, "plan", "method", "billing_email"),
    )


def checkout_done():
    flash(_("Thank you. Your subscription will show here as soon as Stripe confirms the payment."), "success")
    return redirect(url_for(".index"))


def portal():
    form = ConfirmForm()
    if not gateway.is_configured() or not form.validate_on_submit():
        abort(400)
    try:
        url = operations.portal_url(url_for(".index", _external=True), secrets.token_hex(8))
    except operations.BillingError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for(".index"))
    except gateway.GatewayError:
        flash(_("Stripe could not be reached. Try again in a few minutes."), "error")
        return redirect(url_for(".index"))
    db.session.commit()
    return redirect(url, code=303)
