"""The automatic screen for personal data in a feedback story (pure: no Flask, no database).

A story naming someone's email address, phone number, postcode or NHS number
is held for the moderator and never published while held. The screen errs on
the side of holding: a false alarm costs the moderator a minute, a miss puts
someone's details on a public page.
"""

from __future__ import annotations

import re

EMAIL = "email"
PHONE = "phone"
POSTCODE = "postcode"
NHS_NUMBER = "nhs_number"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# UK numbers: 01…, 02…, 03…, 07…, 08… with 9 or 10 more digits, or +44 / 0044 instead of the 0; spaces,
# dots, dashes and brackets allowed between digits.
_PHONE = re.compile(r"(?<![\d])(?:\+\s?44|0044|0)[\s().-]*[1-9](?:[\s().-]*\d){8,9}(?![\d])")
# Full UK postcodes (outward and inward parts), in any case, with or without the space.
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
# Ten digits, written together or as 3-3-4 with spaces or dashes.
_TEN_DIGITS = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")


def is_nhs_number(digits: str) -> bool:
    """Whether ten digits pass the NHS number's modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def screen(text: str) -> list[str]:
    """The kinds of personal data found in ``text``, in a fixed order (empty when none)."""
    found = []
    if _EMAIL.search(text):
        found.append(EMAIL)
    if _PHONE.search(text):
        found.append(PHONE)
    if _POSTCODE.search(text):
        found.append(POSTCODE)
    if any(is_nhs_number("".join(m.groups())) for m in _TEN_DIGITS.finditer(text)):
        found.append(NHS_NUMBER)
    return found
