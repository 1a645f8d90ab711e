"""Forms more than one area of the app uses."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired

from app.i18n import lazy_gettext as _l


class CsvUploadForm(FlaskForm):
    """One CSV file to import (neighbourhoods, the register, the postcode lookup)."""

    csv_file = FileField(
        _l("Upload a CSV file"),
        validators=[
            FileRequired(_l("Select a CSV file")),
            FileAllowed(["csv", "txt"], _l("The selected file must be a CSV file (ending .csv)")),
        ],
    )
