"""Forms for the platform administration pages."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.admin.forms import choices
from app.i18n import _l
from app.i18n import gettext as _
from app.platform.operations import clean_slug, name_problem, population_problem, slug_problem
from tenants.models import CouncilType, Region

_WHOLE_NUMBER = re.compile(r"^-?[0-9]{1,12}$")


def _squash(value: str | None) -> str:
    return " ".join((value or "").split())


def _lower(value: str | None) -> str | None:
    return value.strip().lower() if value else value


class CouncilForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_squash])
    slug = StringField(_l("Short name for web addresses"), filters=[clean_slug])
    council_type = RadioField(
        _l("Type of council"),
        choices=choices((t.value, t.label) for t in CouncilType),
        validators=[InputRequired(_l("Choose the type of council"))],
    )
    region = SelectField(
        _l("Region or nation"),
        choices=choices([("", _l("Choose a region or nation")), *((r.value, r.label) for r in Region)]),
        validators=[InputRequired(_l("Choose the region or nation"))],
    )
    population = StringField(_l("Population"))
    first_admin_email = EmailField(
        _l("Email address of the first council administrator (optional)"),
        filters=[_lower],
        validators=[
            Optional(),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(_l("Enter an email address in the correct format, like name@example.org")),
        ],
    )

    def validate_name(self, field: StringField) -> None:
        problem = name_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_slug(self, field: StringField) -> None:
        problem = slug_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_population(self, field: StringField) -> None:
        number = self.population_number()
        problem = (
            _("Enter the population as a whole number, like 211000") if number is None else population_problem(number)
        )
        if problem:
            raise ValidationError(problem)

    def population_number(self) -> int | None:
        """The population as a whole number (commas and spaces allowed), or ``None`` if it is not one."""
        raw = (self.population.data or "").replace(",", "").replace(" ", "")
        if not _WHOLE_NUMBER.match(raw):
            return None
        return int(raw)
