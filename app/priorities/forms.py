"""The form an officer fills in to start a priorities exercise."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField

from app.i18n import _l
from app.i18n import gettext as _
from app.priorities.catalogue import KIND_LABELS, KINDS, TEMPLATES
from app.web.dates import DateProblem, read_date_input


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ExerciseForm(FlaskForm):
    template = RadioField(_l("Template"), choices=[], validate_choice=False)
    kind = RadioField(_l("How residents vote"), choices=[], validate_choice=False)
    title = StringField(_l("Title"), filters=[_strip])
    neighbourhoods = SelectMultipleField(_l("Neighbourhoods"), choices=[], validate_choice=False)
    areas = TextAreaField(_l("Priority areas"))
    winners = StringField(_l("Number of priorities chosen in each neighbourhood"), filters=[_strip])
    points = StringField(_l("Points each resident shares out"), filters=[_strip])
    max_per_option = StringField(_l("Most points for one priority (optional)"), filters=[_strip])
    open_now = RadioField(_l("Open the ballots now?"), choices=[], validate_choice=False)

    def set_choices(self, neighbourhoods: list[tuple[int, str]]) -> None:
        self.template.choices = [(t.key, str(t.title)) for t in TEMPLATES.values()]
        self.kind.choices = [(k.value, str(KIND_LABELS[k])) for k in KINDS]
        self.neighbourhoods.choices = [(str(i), name) for i, name in neighbourhoods]
        self.open_now.choices = [("yes", _("Yes, open them now")), ("no", _("No, keep them as drafts"))]


def whole(field: Any, *, blank: str | None, invalid: str) -> int | None:
    """A whole number from ``field``, else ``None`` with a message on the field.

    ``blank`` is the whole message for an empty field (``None`` when it may be
    empty), ``invalid`` the one for anything else that is not a whole number;
    callers pass complete sentences, so a translator sees each one whole.
    """
    raw = (field.data or "").replace(",", "")
    if not raw:
        if blank is not None:
            field.errors = [blank]
        return None
    if not raw.isdigit():
        field.errors = [invalid]
        return None
    return int(raw)


def read_date(form: Any, name: str) -> tuple[date | None, str | None]:
    """A GOV.UK date input's day, month and year as a date; blank is ``None``; else an error message."""
    found = read_date_input(form, name)
    if isinstance(found, date):
        return found, None
    if found is DateProblem.BLANK:
        return None, None
    if found is DateProblem.NOT_REAL:
        return None, _("Enter a real date, like 27 3 2027")
    return None, _("Enter the closing date as numbers, like 27 3 2027")
