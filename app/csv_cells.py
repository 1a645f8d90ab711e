"""CSV cells that a spreadsheet will show as text, never run as a formula.

Any cell a spreadsheet could read as a formula (starting ``=``, ``+``, ``-``,
``@``, a tab, a carriage return or a NUL: the list in ASVS 5.0 1.2.10, plus
CR) is prefixed with ``'``, which spreadsheets hide and treat as "this is
text". A value that itself starts with ``'`` is prefixed too, so
:func:`unguard` can always give back exactly what was guarded. Shared by
every CSV download.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_PREFIXED = (*FORMULA_STARTS, "'")


def guard(value: Any) -> str:
    """A CSV cell that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_PREFIXED) else text


def unguard(cell: str) -> str:
    """The value :func:`guard` was given (for reading our own CSVs back)."""
    return cell[1:] if cell.startswith("'") else cell
