"""Forms for the register pages (Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField

from app.admin.forms import choices
from app.i18n import lazy_gettext as _l
from app.residents.models import ImportMode


class ImportFileForm(FlaskForm):
    csv_file = FileField(
        _l("Upload a CSV file"),
        validators=[
            FileRequired(_l("Select a CSV file")),
            FileAllowed(["csv", "txt"], _l("The selected file must be a CSV file (ending .csv)")),
        ],
    )


class RegisterImportForm(ImportFileForm):
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
