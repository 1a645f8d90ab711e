"""Forms for the youth pages (Flask-WTF, so each carries a CSRF token).

Fields are read as text and turned into numbers, dates and pence here, so a
bad value is a message on its field rather than an exception.
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField

from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.voting.forms import choices
from app.voting.papers import parse_pounds
from app.web.dates import DateProblem, read_date_input
from app.youth.phases import PHASE_STARTS


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def whole_number(field, *, blank: str | None, invalid: str) -> int | None:
    """The field's whole number; ``None`` when blank or not a number, adding an error where needed.

    ``blank`` is the whole message for an empty field (``None`` when it may be
    empty) and ``invalid`` the one for text that is not a whole number: callers
    pass complete sentences, since a field's name changes form inside a sentence
    in Welsh.
    """
    text = (field.data or "").strip().replace(",", "")
    if not text:
        if blank is not None:
            field.errors = [*field.errors, blank]
        return None
    if not text.isdigit() or len(text) > 9:
        field.errors = [*field.errors, invalid]
        return None
    return int(text)


def pounds(field, *, blank: str | None, invalid: str) -> int | None:
    """Pence from an amount typed in pounds; ``None`` when blank or not an amount (messages as :func:`whole_number`)."""
    text = (field.data or "").strip()
    if not text:
        if blank is not None:
            field.errors = [*field.errors, blank]
        return None
    pence = parse_pounds(text)
    if pence is None:
        field.errors = [*field.errors, invalid]
    return pence


def pounds_text(pence: int | None) -> str:
    """Pence as pounds for an input's value (``45000`` → ``450``; ``45050`` → ``450.50``)."""
    if pence is None:
        return ""
    whole, rest = divmod(int(pence), 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}"


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


class RoundForm(FlaskForm):
    """A round's details, phase dates (day / month / year each) and who may vote."""

    title = StringField(_l("Title"), filters=[_strip])
    description = TextAreaField(_l("Description (optional)"), filters=[_strip])
    min_age = StringField(_l("Youngest age"), filters=[_strip])
    max_age = StringField(_l("Oldest age"), filters=[_strip])
    who_votes = RadioField(
        _l("Who may vote"),
        choices=choices([("all", _l("All residents")), ("ages", _l("Residents in an age range"))]),
        validate_choice=False,
    )
    phase_override = SelectField(_l("Phase"), validate_choice=False)

    def read_dates(self) -> tuple[dict[str, date | None], dict[str, str]]:
        """Phase start dates by column, and a message for each one that is not a real date."""
        from flask import request

        dates: dict[str, date | None] = {}
        errors: dict[str, str] = {}
        for _phase, column in PHASE_STARTS:
            found = read_date_input(request.form, column, earliest=2000)
            dates[column] = found if isinstance(found, date) else None
            if isinstance(found, DateProblem) and found is not DateProblem.BLANK:
                errors[column] = _("Enter a real date, like 27 3 2027")
        return dates, errors


class BudgetsForm(FlaskForm):
    """One amount per neighbourhood; read from ``request.form`` by the view (``budget-<id>``)."""


class ProviderForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip])
    contact = StringField(_l("Contact email or phone (optional)"), filters=[_strip])
    notes = TextAreaField(_l("Notes (optional)"), filters=[_strip])


class ServiceTypeForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip])
    description = TextAreaField(_l("Description (optional)"), filters=[_strip])
    provider_id = SelectField(_l("Provider"), validate_choice=False)
    unit_cost = StringField(_l("Cost of one session, in pounds"), filters=[_strip])


class ProposalForm(FlaskForm):
    neighbourhood_id = SelectField(_l("Neighbourhood"), validate_choice=False)
    service_type_id = RadioField(_l("Type of service"), validate_choice=False)
    title = StringField(_l("Give your idea a short name"), filters=[_strip])
    description = TextAreaField(_l("Describe the service"), filters=[_strip])
    audience = TextAreaField(_l("Who is it for?"), filters=[_strip])
    sessions_wanted = StringField(_l("How many sessions would you like?"), filters=[_strip])


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices([("accepted", _l("Accept")), ("rejected", _l("Reject"))]),
        validate_choice=False,
    )
    estimated_sessions = StringField(_l("Sessions the cost is based on"), filters=[_strip])
    feasibility = TextAreaField(_l("Feasibility review (optional)"), filters=[_strip])
    reason = TextAreaField(_l("Reason for the decision"), filters=[_strip])


def id_choice(field) -> int | None:
    """A select or radio field's value as a row id, ``None`` if blank or not a number."""
    text = (field.data or "").strip() if isinstance(field.data, str) else ""
    return int(text) if text.isdigit() and len(text) < 19 else None


class OpenVotingForm(FlaskForm):
    vote_kind = RadioField(
        _l("How will each neighbourhood vote?"),
        choices=choices(
            [
                ("pb", _l("Choose proposals within the neighbourhood's budget (Equal Shares)")),
                ("approval", _l("Pick up to a number of proposals; the most picked are funded")),
                ("division", _l("Share the budget across the types of service")),
            ]
        ),
        validate_choice=False,
        default="pb",
    )
    max_picks = StringField(_l("How many proposals may each voter pick?"), filters=[_strip])


class CommissionForm(FlaskForm):
    provider_id = SelectField(_l("Provider"), validate_choice=False)


class StatusForm(FlaskForm):
    status = RadioField(_l("New status"), validate_choice=False)
    reason = TextAreaField(_l("Reason for cancelling (shown to the public)"), filters=[_strip])


class SessionsForm(FlaskForm):
    held_on = StringField(_l("Date (or the first day of the month for a month's figures)"), filters=[_strip])
    sessions = StringField(_l("Sessions held"), filters=[_strip])
    attendance = StringField(_l("Total attendance"), filters=[_strip])
