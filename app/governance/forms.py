"""Forms for the society and register pages (Flask-WTF, so each carries a CSRF token).

Numbers, money and dates are read as text and turned into values here, so a
bad value is a message on its field rather than an exception; the operations
then check the values against the society's rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.utils import unset_value

from app.governance.models import Cessation, SocietyKind, SocietyRole
from app.i18n import gettext as _
from app.i18n import lazy_gettext as _l
from app.voting.forms import choices
from app.voting.papers import parse_pounds
from app.web.dates import parse_date

DATE_PARTS = ("day", "month", "year")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def add_error(field: Field, message: Any) -> None:
    field.errors = [*field.errors, message]


def whole_number(field: Field, *, required: Any = None) -> int | None:
    """The field's whole number; ``None`` when blank (adding ``required`` as the error, if given) or not a number."""
    text = (field.data or "").strip().replace(",", "")
    if not text:
        if required is not None:
            add_error(field, required)
        return None
    if not text.isdigit() or len(text) > 9:
        add_error(field, _("Enter a whole number, like 12"))
        return None
    return int(text)


def pounds(field: Field, *, required: Any) -> int | None:
    """Pence from an amount typed in pounds (``1`` → 100, ``0.50`` → 50); adds an error when blank or unreadable."""
    text = (field.data or "").strip()
    if not text:
        add_error(field, required)
        return None
    pence = parse_pounds(text)
    if pence is None or len(text) > 15:
        add_error(field, _("Enter an amount of money, like 1 or 0.50"))
        return None
    return pence


def pounds_text(pence: int | None) -> str:
    if pence is None:
        return ""
    whole, rest = divmod(int(pence), 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}"


def id_choice(field: Field) -> int | None:
    """A radio or select field's value as a row id; ``None`` if blank or not a number."""
    text = field.data.strip() if isinstance(field.data, str) else ""
    return int(text) if text.isdigit() and len(text) < 19 else None


class DateField(Field):
    """A GOV.UK date input: three boxes posted as ``<name>-day``, ``<name>-month`` and ``<name>-year``.

    ``parts`` keeps what was typed (to show it again); :meth:`read` turns it
    into a date or adds an error.
    """

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        super().process(formdata, data, extra_filters)
        self.parts = {part: "" for part in DATE_PARTS}
        if formdata is not None and any(f"{self.name}-{part}" in formdata for part in DATE_PARTS):
            self.parts = {part: (formdata.get(f"{self.name}-{part}") or "").strip()[:8] for part in DATE_PARTS}
            self.data = None
        elif isinstance(self.data, date):
            self.parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}

    def _value(self) -> str:
        return ""

    def read(self, *, required: Any = None) -> date | None:
        """The date typed; ``None`` when blank (adding ``required`` as the error, if given) or not a real date."""
        if not any(self.parts.values()):
            if isinstance(self.data, date):
                return self.data
            if required is not None:
                add_error(self, required)
            return None
        found = parse_date(self.parts["day"], self.parts["month"], self.parts["year"])
        if isinstance(found, date):
            return found
        add_error(self, _("Enter a real date, like 27 3 2027"))
        return None


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


THRESHOLD_CHOICES = (
    ("simple_majority", _l("Simple majority (more than half of the votes)")),
    ("two_thirds", _l("Two thirds of the votes")),
    ("three_quarters", _l("Three quarters of the votes")),
)
KIND_CHOICES = (
    (SocietyKind.HOUSING_COOP.value, _l("Housing co-operative")),
    (SocietyKind.SCHOOL_TRUST.value, _l("Co-operative school trust")),
    (SocietyKind.CARE_ENTERPRISE.value, _l("Care social enterprise")),
)
ROLE_CHOICES = (
    (SocietyRole.SECRETARY.value, _l("Secretary")),
    (SocietyRole.COMMITTEE.value, _l("Committee member")),
    (SocietyRole.SCRUTINEER.value, _l("Scrutineer")),
)
CESSATION_CHOICES = (
    (Cessation.LEFT.value, _l("Left (resigned)")),
    (Cessation.DIED.value, _l("Died")),
    (Cessation.NO_LONGER_ELIGIBLE.value, _l("No longer eligible")),
    (Cessation.EXPELLED.value, _l("Expelled")),
)


class SocietyForm(FlaskForm):
    """A society's details and the rules its general meetings and shares follow."""

    name = StringField(_l("Name"), filters=[_strip])
    kind = RadioField(_l("Kind of society"), choices=choices(KIND_CHOICES), validate_choice=False)
    registration_number = StringField(_l("Registration number (optional)"), filters=[_strip])
    registered_office = TextAreaField(_l("Registered office (optional)"), filters=[_strip])
    description = TextAreaField(_l("Description (optional)"), filters=[_strip])
    notice_clear_days = StringField(_l("Notice of general meetings, in clear days"), filters=[_strip])
    quorum_members = StringField(_l("Quorum: at least this many members"), filters=[_strip])
    quorum_percent = StringField(_l("Quorum: at least this percentage of members"), filters=[_strip])
    ordinary_threshold = RadioField(
        _l("Ordinary resolutions pass with"), choices=choices(THRESHOLD_CHOICES), validate_choice=False
    )
    special_threshold = RadioField(
        _l("Special resolutions pass with"), choices=choices(THRESHOLD_CHOICES), validate_choice=False
    )
    proxy_cap = StringField(_l("Most proxies one member may hold (optional)"), filters=[_strip])
    proxies_count_in_quorum = RadioField(
        _l("Do members voting by proxy count towards the quorum?"),
        choices=choices((("yes", _l("Yes")), ("no", _l("No")))),
        validate_choice=False,
    )
    share_value = StringField(_l("Value of one share, in pounds"), filters=[_strip])
    shares_on_admission = StringField(_l("Shares issued to each new member"), filters=[_strip])

    def values(self) -> dict[str, Any] | None:
        """The rules as the operations take them, or ``None`` after adding errors to the fields."""
        values: dict[str, Any] = {
            "registration_number": self.registration_number.data or "",
            "registered_office": self.registered_office.data or "",
            "description": self.description.data or "",
            "notice_clear_days": whole_number(self.notice_clear_days, required=_("Enter the notice period")),
            "quorum_members": whole_number(self.quorum_members, required=_("Enter the quorum, or 0 for none")),
            "quorum_percent": whole_number(self.quorum_percent, required=_("Enter the quorum, or 0 for none")),
            "ordinary_threshold": self.ordinary_threshold.data,
            "special_threshold": self.special_threshold.data,
            "proxy_cap": whole_number(self.proxy_cap),
            "share_value_pence": pounds(self.share_value, required=_("Enter the value of one share")),
            "shares_on_admission": whole_number(
                self.shares_on_admission, required=_("Enter how many shares each new member gets")
            ),
        }
        if self.ordinary_threshold.data not in dict(THRESHOLD_CHOICES):
            add_error(self.ordinary_threshold, _("Choose a threshold from the list"))
        if self.special_threshold.data not in dict(THRESHOLD_CHOICES):
            add_error(self.special_threshold, _("Choose a threshold from the list"))
        if self.proxies_count_in_quorum.data not in ("yes", "no"):
            add_error(self.proxies_count_in_quorum, _("Choose yes or no"))
        values["proxies_count_in_quorum"] = self.proxies_count_in_quorum.data == "yes"
        if any(field.errors for field in self):
            return None
        return values


class MemberClassForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip])
    description = TextAreaField(_l("Description (optional)"), filters=[_strip])
    vote_cap_percent = StringField(
        _l("Cap on the class's share of votes, as a percentage (optional)"), filters=[_strip]
    )
    min_age = StringField(_l("Minimum age without a parent's or carer's consent (optional)"), filters=[_strip])


class OfficerForm(FlaskForm):
    email = StringField(_l("Email address"), filters=[_strip])
    role = RadioField(_l("Role"), choices=choices(ROLE_CHOICES), validate_choice=False)


class ApplicationForm(FlaskForm):
    """An application to join: the class, and the details the register of members keeps."""

    member_class_id = RadioField(_l("Class of membership"), validate_choice=False)
    name = StringField(_l("Full name"), filters=[_strip])
    address = TextAreaField(_l("Address"), filters=[_strip])
    postcode = StringField(_l("Postcode"), filters=[_strip])
    email = StringField(_l("Email address"), filters=[_strip])
    date_of_birth = DateField(_l("Date of birth"))


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices((("admit", _l("Admit as a member")), ("refuse", _l("Refuse the application")))),
        validate_choice=False,
    )
    decided_on = DateField(_l("Date of the decision"))
    decided_by = StringField(_l("Who decided, and the minute reference"), filters=[_strip])
    reason = TextAreaField(_l("Reason for refusing"), filters=[_strip])


class CessationForm(FlaskForm):
    cessation = RadioField(
        _l("Why is the membership ending?"), choices=choices(CESSATION_CHOICES), validate_choice=False
    )
    ceased_on = DateField(_l("Date the membership ends"))
    decided_by = StringField(_l("Who decided, and the minute reference"), filters=[_strip])
    reason = TextAreaField(_l("Reason"), filters=[_strip])


class ConsentForm(FlaskForm):
    consent_by = StringField(_l("Name of the parent or carer"), filters=[_strip])
    consent_on = DateField(_l("Date of consent"))


class SharesForm(FlaskForm):
    action = RadioField(
        _l("Issue or withdraw"),
        choices=choices((("issue", _l("Issue shares")), ("withdraw", _l("Withdraw shares")))),
        validate_choice=False,
    )
    shares = StringField(_l("Number of shares"), filters=[_strip])
    entry_date = DateField(_l("Date"))
    note = TextAreaField(_l("Note (optional)"), filters=[_strip])


class CorrectionForm(FlaskForm):
    note = TextAreaField(_l("Why is this line wrong?"), filters=[_strip])
