"""The rules a neighbourhood's name and ONS ward code follow.

Pure functions shared by the add/edit form and the CSV import, so both accept
exactly the same values and explain a refusal in the same words.
"""

from __future__ import annotations

import re
import unicodedata

from app.i18n import gettext as _

MAX_NAME_LENGTH = 200
# ONS ward codes: a country letter (England, Wales, Scotland, Northern Ireland) and 8 digits.
WARD_CODE_PATTERN = re.compile(r"^[EWSN][0-9]{8}$")
WARD_CODE_EXAMPLE = "E05000650"


def clean_name(raw: str | None) -> str:
    """``raw`` with outer spaces removed and inner runs of white space made one space."""
    return " ".join((raw or "").split())


def clean_ward_code(raw: str | None) -> str | None:
    """``raw`` trimmed and upper-cased; ``None`` when blank (the code is optional)."""
    code = (raw or "").strip().upper()
    return code or None


def name_key(name: str) -> str:
    """The form of a name used to spot duplicates: "North Ward" and "north ward" are one name."""
    return name.lower()


def name_problem(name: str) -> str | None:
    """Why ``name`` (already cleaned) cannot be a neighbourhood name, or ``None``."""
    if not name:
        return _("Enter a name")
    if len(name) > MAX_NAME_LENGTH:
        return _("Name must be %(limit)s characters or fewer", limit=MAX_NAME_LENGTH)
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        return _("Name must only contain letters, numbers, spaces and punctuation")
    return None


def ward_code_problem(code: str | None) -> str | None:
    """Why ``code`` (already cleaned) is not an ONS ward code, or ``None`` (blank is allowed)."""
    if code is None:
        return None
    if not WARD_CODE_PATTERN.match(code):
        return _(
            "ONS ward code must be a letter E, W, S or N followed by 8 digits, like %(example)s",
            example=WARD_CODE_EXAMPLE,
        )
    return None
