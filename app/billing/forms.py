"""Forms for the billing pages (Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField
from wtforms.validators import Email, InputRequired, Length, Optional

from app.admin.forms import choices
from app.i18n import _l

PAYMENT_METHODS = (
    ("invoice", _l("By invoice: Stripe emails an invoice the council pays by bank transfer within 30 days")),
    ("checkout", _l("By card now, on Stripe's secure payment page")),
)


class SubscribeForm(FlaskForm):
    plan = RadioField(_l("Plan"), validators=[InputRequired(message=_l("Choose a plan"))], choices=[])
    method = RadioField(
        _l("How will the council pay?"),
        validators=[InputRequired(message=_l("Choose how the council will pay"))],
        choices=choices(PAYMENT_METHODS),
    )
    billing_email = EmailField(
        _l("Email address for invoices and receipts"),
        validators=[
            Optional(),
            Email(message=_l("Enter an email address like finance@council.gov.uk")),
            Length(max=320),
        ],
    )
