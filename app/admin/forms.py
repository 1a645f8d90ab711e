"""Forms for the council administration pages (Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectMultipleField, StringField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from app.admin.neighbourhood_rules import clean_name, clean_ward_code, name_problem, ward_code_problem
from app.auth.models import Role
from app.i18n import _l
from tenants.features import MODULES

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs

    def SelectChoice(value: str, label: str) -> tuple[str, str]:  # type: ignore[no-redef]
        return (value, label)


def choices(pairs) -> list:
    """``(value, label)`` pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _module_choices() -> list:
    return choices((key, module.title) for key, module in MODULES.items())


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


class ModulesForm(FlaskForm):
    modules = SelectMultipleField(_l("Modules"), choices=_module_choices())


class NeighbourhoodForm(FlaskForm):
    name = StringField(_l("Name"), filters=[clean_name])
    ons_ward_code = StringField(_l("ONS ward code (optional)"), filters=[clean_ward_code])

    def validate_name(self, field: StringField) -> None:
        problem = name_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_ons_ward_code(self, field: StringField) -> None:
        problem = ward_code_problem(field.data)
        if problem:
            raise ValidationError(problem)


def _lower(value: str | None) -> str | None:
    return value.strip().lower() if value else value


_ROLE_CHOICES = choices([(Role.OFFICER.value, _l("Officer")), (Role.COUNCIL_ADMIN.value, _l("Council administrator"))])


class StaffRoleForm(FlaskForm):
    role = RadioField(
        _l("Role"),
        choices=_ROLE_CHOICES,
        validators=[InputRequired(_l("Select officer or council administrator"))],
        validate_choice=True,
    )
    modules = SelectMultipleField(_l("Modules this officer manages"), choices=_module_choices())

    def role_value(self) -> Role:
        return Role(self.role.data)


class InviteForm(StaffRoleForm):
    email = EmailField(
        _l("Email address"),
        filters=[_lower],
        validators=[
            InputRequired(_l("Enter an email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(_l("Enter an email address in the correct format, like name@example.org")),
        ],
    )


def error_list(form: FlaskForm, *field_names: str) -> list[dict[str, str]]:
    """The form's errors for the GOV.UK error summary, in page order, each linking to its field.

    ``field_names`` gives the order; fields not named follow in form order.
    """
    names = list(field_names) + [name for name in form._fields if name not in field_names]
    items = []
    for name in names:
        field = form._fields.get(name)
        if field is not None and field.errors:
            items.append({"text": str(field.errors[0]), "href": f"#{field.id}"})
    return items
