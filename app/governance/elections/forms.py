"""Forms for the election pages (Flask-WTF, so each carries a CSRF token).

Numbers and dates are read as text and turned into values here, so a bad
value is a message on its field (422), never an exception.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField

from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.voting.forms import choices

DATE_FIELDS = ("nominations_open_on", "nominations_close_on", "voting_closes_on")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def whole(field: Any, what: str, *, required: bool = True) -> int | None:
    """The field's whole number; ``None`` (with an error on the field when required) otherwise."""
    text = (field.data or "").strip().replace(",", "")
    if not text:
        if required:
            field.errors = [*field.errors, _("Enter %(what)s", what=what)]
        return None
    if not text.isdigit() or len(text) > 6:
        field.errors = [*field.errors, _("Enter %(what)s as a whole number, like 3", what=what)]
        return None
    return int(text)


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


class ElectionForm(FlaskForm):
    """A new election: the body, its size, how votes are counted, statements, term and dates."""

    title = StringField(_l("Title"), filters=[_strip])
    body_name = StringField(_l("Body being elected"), filters=[_strip])
    body_size = StringField(_l("Seats on the body"), filters=[_strip])
    description = TextAreaField(_l("About the election (optional)"), filters=[_strip])
    method = RadioField(
        _l("How the votes are counted"),
        choices=choices(
            [
                ("stv", _l("Single transferable vote, Scottish local government rules")),
                ("meek", _l("Single transferable vote, Meek's method")),
            ]
        ),
        validate_choice=False,
    )
    statement_max_words = StringField(_l("Word limit for candidates' statements"), filters=[_strip])
    term_years = StringField(_l("Term of office, in years"), filters=[_strip])

    def date_labels(self) -> dict[str, str]:
        return {
            "nominations_open_on": _("the day nominations open"),
            "nominations_close_on": _("the day nominations close"),
            "voting_closes_on": _("the day voting closes"),
        }


class NominationForm(FlaskForm):
    """Standing (or nominating another member of one's constituency) with a statement."""

    seat_id = SelectField(_l("Constituency"), validate_choice=False)
    who = RadioField(
        _l("Who are you nominating?"),
        choices=choices([("self", _l("Myself")), ("other", _l("Another member"))]),
        validate_choice=False,
    )
    membership_number = StringField(_l("Their membership number"), filters=[_strip])
    statement = TextAreaField(_l("Statement"), filters=[_strip])


class ConsentForm(FlaskForm):
    """The candidate agrees to stand, with their statement."""

    statement = TextAreaField(_l("Your statement"), filters=[_strip])


class WithdrawForm(FlaskForm):
    """Withdrawing a nomination, with a reason (required from officers)."""

    reason = TextAreaField(_l("Reason"), filters=[_strip])


class CheckForm(FlaskForm):
    """The officers' check of a nomination: accept it, or withdraw it with a reason."""

    decision = RadioField(
        _l("Decision"),
        choices=choices([("accept", _l("Accept the nomination")), ("withdraw", _l("Withdraw the nomination"))]),
        validate_choice=False,
    )
    reason = TextAreaField(_l("Reason for withdrawing"), filters=[_strip])
