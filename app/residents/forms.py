"""Forms for the register pages (Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from app.admin.forms import choices
from app.auth.forms import EMAIL_FORMAT, NewAccountInvitationForm, _strip
from app.auth.passwords import password_problem
from app.i18n import lazy_gettext as _l
from app.letters.models import RunScope
from app.residents.models import ImportMode
from app.residents.verification import Evidence
from app.web.forms import CsvUploadForm


class RegisterImportForm(CsvUploadForm):
    mode = RadioField(
        _l("What should the file do to the register?"),
        choices=choices(
            [
                (ImportMode.REPLACE.value, _l("Replace the register: remove anyone not in the file")),
                (ImportMode.UPSERT.value, _l("Add and update only: keep everyone already on the register")),
            ]
        ),
        default=ImportMode.REPLACE.value,
    )


class LetterRunForm(FlaskForm):
    scope = RadioField(
        _l("Who should get a letter?"),
        choices=choices(
            [
                (RunScope.MISSING.value, _l("Only people without a code that still works")),
                (RunScope.ALL.value, _l("Everyone on the register: their earlier codes stop working")),
            ]
        ),
        # Nothing chosen in advance (GOV.UK advice): an officer decides whether old codes stop working.
        validators=[InputRequired(_l("Choose who should get a letter"))],
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Your voting code"),
        validators=[InputRequired(_l("Enter the code from your letter")), Length(max=60)],
    )


class ResidentSignUpForm(NewAccountInvitationForm):
    """A new resident's account: the invitation form's name and password, plus their email address."""

    email = StringField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=EMAIL_FORMAT),
            Email(EMAIL_FORMAT),
        ],
    )
    password = PasswordField(_l("Create a password"), validators=[DataRequired(_l("Enter a password"))])
    password_confirm = PasswordField(
        _l("Confirm your password"),
        validators=[DataRequired(_l("Confirm your password")), EqualTo("password", _l("Passwords must match"))],
    )

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", email=self.email.data)
        if problem:
            raise ValidationError(problem)


class ParentalConsentForm(FlaskForm):
    parent_name = StringField(
        _l("Name of the parent or carer"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the name of the parent or carer giving consent")),
            Length(max=200, message=_l("Name must be 200 characters or fewer")),
        ],
    )
    relationship = StringField(
        _l("Their relationship to the young person"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter their relationship to the young person, for example mother or foster carer")),
            Length(max=100, message=_l("Relationship must be 100 characters or fewer")),
        ],
    )
    agree = BooleanField(
        _l("I am their parent or carer and I agree that their votes count"),
        validators=[InputRequired(_l("Tick the box to give consent"))],
    )


class AssistedVerificationForm(FlaskForm):
    register_entry = StringField(
        _l("Register reference"),
        filters=[_strip],
        validators=[Optional(), Length(max=60)],
        description=_l("Or leave empty and choose a neighbourhood and date of birth below."),
    )
    neighbourhood = SelectField(_l("Neighbourhood"), validators=[Optional()], choices=[])
    date_of_birth = DateField(
        _l("Date of birth"),
        validators=[Optional()],
        description=_l("For example, 2008-03-27"),
    )
    evidence = RadioField(
        _l("Evidence seen"),
        choices=choices(
            [
                (Evidence.COUNCIL_TAX.value, _l("Council Tax bill")),
                (Evidence.TENANCY.value, _l("Tenancy agreement")),
                (Evidence.SCHOOL_LETTER.value, _l("Letter from a school or college")),
                (Evidence.UTILITY_BILL.value, _l("Utility bill")),
                (Evidence.OTHER.value, _l("Other official document")),
            ]
        ),
        validators=[InputRequired(_l("Choose the evidence you saw"))],
    )
