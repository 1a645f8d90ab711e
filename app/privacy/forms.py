"""Forms of the data rights pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from app.i18n import _l


class EraseForm(FlaskForm):
    """The resident's confirmation that they want their data erased."""

    confirm = BooleanField(
        _l("I understand what will be erased and what the council must keep"),
        validators=[DataRequired(_l("Confirm that you understand what will be erased and what will be kept"))],
    )


class ExtendForm(FlaskForm):
    """An officer's extension of a complex request, with the reason (UK GDPR Art. 12(3))."""

    # Radios of "1" and "2" in the template; the operation checks the number.
    months = StringField(
        _l("How many further months does the request need?"),
        validators=[AnyOf(("1", "2"), message=_l("Choose an extension of one or two months"))],
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
