"""Canonical JSON for results, and its SHA-256.

The encoding is fixed so that a result hashes identically on every machine and
Python version: keys sorted, no insignificant whitespace, UTF-8, integers as
integers, and no floats at all — fractional quantities (vote values, costs per
voter) are written as strings with a fixed number of decimal places, or as
exact fractions ``"p/q"``, by the method that produced them. A float reaching
the encoder is a bug and raises.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any


class NotCanonicalError(TypeError):
    """A value that has no single canonical encoding (a float, a set, an object)."""


def _normalise(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise NotCanonicalError(f"floats have no canonical form; got {value!r}")
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCanonicalError(f"object keys must be strings; got {key!r}")
            out[key] = _normalise(item)
        return out
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    raise NotCanonicalError(f"{type(value).__name__} has no canonical form")


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 JSON bytes of ``value``."""
    return json.dumps(
        _normalise(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def result_hash(value: Any) -> str:
    """Hex SHA-256 of ``canonical_json(value)``."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
