"""Reading the housing forms: text in, checked values or messages on their fields.

The pages post plain GOV.UK form fields (CSRF is checked for every POST by
Flask-WTF's ``CSRFProtect``); these helpers turn the text into numbers, ids
and dates, so a bad value becomes a message beside its field (and a 422),
never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm

MAX_ID_DIGITS = 18


class PostForm(FlaskForm):
    """A form whose fields are read from ``request.form`` directly; only its CSRF token is declared."""


def field_text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def whole(form: Mapping[str, Any], name: str) -> int | None:
    """A whole number typed in ``name`` (commas allowed), or None."""
    raw = field_text(form, name).replace(",", "")
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def optional_id(form: Mapping[str, Any], name: str) -> int | None:
    """An id chosen in a select or radio; None for blank or anything that is not one."""
    raw = field_text(form, name)
    return int(raw) if raw.isdigit() and len(raw) <= MAX_ID_DIGITS else None


def id_list(form: Any, name: str) -> list[int] | None:
    """Ids ticked in checkboxes named ``name``; None when one of them is not an id."""
    ids = []
    for raw in form.getlist(name):
        raw = (raw or "").strip()
        if not raw.isdigit() or len(raw) > MAX_ID_DIGITS:
            return None
        ids.append(int(raw))
    return ids


def summary(
    errors: Mapping[str, str], order: tuple[str, ...] = (), *, dates: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """The GOV.UK error summary items, each linking to its field (a date input in ``dates``: to its day box)."""
    names = [n for n in order if n in errors] + [n for n in errors if n not in order]
    return [{"text": str(errors[n]), "href": f"#{n}-day" if n in dates else f"#{n}"} for n in names]
