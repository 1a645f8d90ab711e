"""Benchmarking forms. The sharing and peer forms have one field per metric or council, read in the view."""

from __future__ import annotations

from flask_wtf import FlaskForm


class CsrfOnlyForm(FlaskForm):
    """CSRF protection for a form whose fields are built from the catalogue or the council list."""
