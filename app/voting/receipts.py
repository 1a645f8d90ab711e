"""Receipt codes: what a voter keeps to check their paper is in the count.

A code is 16 characters from Crockford's base32 alphabet (80 random bits from
``secrets``), shown in four groups of four: ``7K3M-Q9TX-2B8D-WR4F``. Only its
SHA-256 is stored, on the paper. The code proves *inclusion* (the paper is in
the published list), never *content*: nothing about the choices is derived
from it, so it cannot be used to show anyone how you voted.

Typing is forgiving: case, spaces and dashes are ignored, and the letters
people confuse with digits (O, I, L) are read as the digits (0, 1, 1).
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
_BITS_PER_CHARACTER = 5  # len(ALPHABET) == 2**5
_CHARACTER_MASK = (1 << _BITS_PER_CHARACTER) - 1
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh receipt code, grouped for reading."""
    # One draw of 80 random bits, 5 to a character: the alphabet has 32 letters, so each character is uniform
    # (as sixteen ``secrets.choice`` calls were, at sixteen reads of the system's random source).
    bits = secrets.randbits(LENGTH * _BITS_PER_CHARACTER)
    raw = "".join(ALPHABET[(bits >> (_BITS_PER_CHARACTER * i)) & _CHARACTER_MASK] for i in range(LENGTH))
    return _grouped(raw)


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(text: str | None) -> str | None:
    """The canonical form of a typed code, or ``None`` if it cannot be one."""
    if not text:
        return None
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t").translate(_CONFUSABLE)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return _grouped(cleaned)


def receipt_hash(code: str) -> str:
    """Hex SHA-256 of the code's canonical form (what papers store and the list publishes)."""
    canonical = normalise(code)
    if canonical is None:
        raise ValueError("not a receipt code")
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
