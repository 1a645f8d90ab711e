"""Forms for signing in, passwords and invitations (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.auth.passwords import MAX_LENGTH, password_problem
from app.i18n import _l

EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.com")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class SignInForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=EMAIL_FORMAT),
            Email(EMAIL_FORMAT),
        ],
    )
    # No policy here: people whose password predates the policy must still get in.
    # The cap only stops absurd inputs being hashed; it says nothing about accounts.
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password")),
            Length(max=4 * MAX_LENGTH, message=_l("Enter your password")),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=EMAIL_FORMAT),
            Email(EMAIL_FORMAT),
        ],
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice, checked against the policy."""

    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password"))])
    password_confirm = PasswordField(
        _l("Confirm new password"),
        validators=[DataRequired(_l("Confirm your new password")), EqualTo("password", _l("Passwords must match"))],
    )

    # Set by the view so the password can be compared with the address.
    email: str | None = None

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", email=self.email)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password"))]
    )


class NewAccountInvitationForm(NewPasswordForm):
    name = StringField(
        _l("Full name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your full name")),
            Length(max=200, message=_l("Name must be 200 characters or fewer")),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button and a CSRF token: for actions with nothing to fill in (sign out, accept)."""
