"""Forms for the results, count and officer-tool pages (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.i18n import _l
from app.voting.counting import MAX_REASON_LENGTH, MIN_REASON_LENGTH


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class OverrideForm(FlaskForm):
    """Which projects are funded instead, and why (the reason is published with the result)."""

    selected = SelectMultipleField(_l("Projects to fund"), choices=[], validate_choice=False)
    reason = TextAreaField(
        _l("Why the outcome is being changed"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Write why the outcome is being changed")),
            Length(
                min=MIN_REASON_LENGTH,
                max=MAX_REASON_LENGTH,
                message=_l(
                    "Write the reason in %(low)s to %(high)s characters",
                    low=MIN_REASON_LENGTH,
                    high=f"{MAX_REASON_LENGTH:,}",
                ),
            ),
        ],
    )


class PaperEntryForm(FlaskForm):
    """A paper ballot's serial number; its choices are read from the form by ``app.voting.papers``."""

    serial = StringField(
        _l("Serial number printed on the paper"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter the serial number printed on the paper")),
            Length(max=40, message=_l("The serial number must be 40 characters or fewer")),
        ],
    )


class ProxyForm(FlaskForm):
    """A member appointing a proxy holder, both named by the email address they sign in with."""

    member_email = StringField(
        _l("Member's email address"),
        filters=[_strip],
        validators=[InputRequired(_l("Enter the email address of the member appointing a proxy")), Length(max=254)],
    )
    holder_email = StringField(
        _l("Proxy holder's email address"),
        filters=[_strip],
        validators=[InputRequired(_l("Enter the email address of the proxy holder")), Length(max=254)],
    )
