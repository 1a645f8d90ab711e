"""Forms for signing in, passwords and invitations (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.auth.passwords import MAX_LENGTH, password_problem

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address"),
            Length(max=254, message=EMAIL_FORMAT),
            Email(EMAIL_FORMAT),
        ],
    )
    # No policy here: people whose password predates the policy must still get in.
    # The cap only stops absurd inputs being hashed; it says nothing about accounts.
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password"), Length(max=4 * MAX_LENGTH, message="Enter your password")],
    )


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        "Email address",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address"),
            Length(max=254, message=EMAIL_FORMAT),
            Email(EMAIL_FORMAT),
        ],
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice, checked against the policy."""

    password = PasswordField("New password", validators=[DataRequired("Enter a new password")])
    password_confirm = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Confirm your new password"), EqualTo("password", "Passwords must match")],
    )

    # Set by the view so the password can be compared with the address.
    email: str | None = None

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", email=self.email)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")])


class NewAccountInvitationForm(NewPasswordForm):
    name = StringField(
        "Full name",
        filters=[_strip],
        validators=[
            DataRequired("Enter your full name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button and a CSRF token: for actions with nothing to fill in (sign out, accept)."""
