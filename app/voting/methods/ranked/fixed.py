"""Fixed-point vote values: whole numbers of ``1/10**places`` of a vote.

Counts keep every value as an integer number of units, so sums and
comparisons are exact; only the published tables turn units into decimal
strings (canonical JSON has no floats).
"""

from __future__ import annotations


def decimal_string(units: int, places: int) -> str:
    """``units`` of ``10**-places`` as a decimal string with exactly ``places`` decimals."""
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), 10**places)
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"
