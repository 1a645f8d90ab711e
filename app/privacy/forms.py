"""Forms of the data rights pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.i18n import _l


class EraseForm(FlaskForm):
    """The resident's confirmation that they want their data erased."""

    confirm = BooleanField(
        _l("I understand what will be erased and what the council must keep"),
        validators=[DataRequired(_l("Confirm that you understand what will be erased and what will be kept"))],
    )


class ExtendForm(FlaskForm):
    """An officer's extension of a complex request, with the reason (UK GDPR Art. 12(3))."""

    months = RadioField(
        _l("How many further months does the request need?"),
        choices=[("1", _l("One further month")), ("2", _l("Two further months"))],
        validators=[InputRequired(_l("Choose an extension of one or two months"))],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Why does the request need more time?"),
        validators=[
            DataRequired(_l("Enter why the request needs more time")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )


class CompleteForm(FlaskForm):
    """The button that completes a request: only the CSRF token travels."""


class DownloadForm(FlaskForm):
    """The button that downloads the person's copy: only the CSRF token travels."""
