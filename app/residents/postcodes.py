"""UK postcodes: checking the shape and writing them one way.

A postcode is stored upper case with one space before the last three
characters ("ol161ab" and "OL16  1AB" are both "OL16 1AB"), so a lookup by
postcode matches however a spreadsheet typed it. Only the shape is checked
(outward code, a space, inward code); whether a postcode exists is the
council's file's business.
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][A-Z]{2}$")
_SPACES = re.compile(r"\s+")


def normalise_postcode(text: str) -> str | None:
    """The postcode written the standard way, or None when ``text`` is not shaped like one."""
    compact = _SPACES.sub("", text).upper()
    if not 5 <= len(compact) <= 7 or not _SHAPE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"
