"""One-time voting codes: making them, reading what a person typed, storing them safely.

**Alphabet.** Codes use Crockford's base 32 (``0-9`` and ``A-Z`` without
``I``, ``L``, ``O`` and ``U``): 32 symbols, so each character carries exactly
5 bits. No two symbols look alike: ``I`` and ``L`` are never printed, so a
person who types them meant ``1``; ``O`` is never printed, so a typed ``O``
means ``0``. :func:`normalise_code` makes those substitutions on purpose
rather than rejecting the code. Letters are printed in upper case; case,
spaces and dashes (of any kind) in what is typed do not matter.

**Length and entropy.** A code is 12 characters from :mod:`secrets`, printed
in three groups of four (``ABCD-EFGH-JKMN``): 12 x 5 = **60 bits**. With a
register of 250,000 live codes, one random guess hits *some* code with
probability 250,000 / 2^60 ≈ 2e-13; an attacker who got a billion
guesses past the throttle (five tries, then a wait) would still expect
2e-4 hits. Each code is single use and expires, which bounds it further.

**Storage.** Only :func:`hash_code` of the normalised code is stored: a keyed
HMAC-SHA256 whose key (the "pepper") is ``VOTING_CODE_PEPPER`` when set, else
derived from ``SECRET_KEY``. The hash is deterministic, so the typed code can
be looked up by its hash (an index), yet a database dump without the key
reveals nothing: 60 bits cannot be brute-forced through an unknown HMAC key,
and even with the key each guess costs a full HMAC over 2^60 possibilities.
:func:`verify_code` compares in constant time.

**Expiry.** A code is valid until the end of its expiry day, UK time
(Europe/London, so British Summer Time is respected).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.i18n import gettext as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP_SIZE = 4
GROUPS = 3
CODE_LENGTH = GROUP_SIZE * GROUPS
BITS_PER_CHARACTER = 5
ENTROPY_BITS = CODE_LENGTH * BITS_PER_CHARACTER  # 60
DEFAULT_VALID_DAYS = 42
UK = ZoneInfo("Europe/London")

# What a person may type for a symbol that looks the same (Crockford's rules).
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Separators people type or paste between groups: spaces, dashes of every kind, dots, underscores.
_SEPARATORS = frozenset(" \t\r\n-_.\u00a0\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u3000")
_SYMBOLS = frozenset(ALPHABET)
_HASH_CONTEXT = b"rochdale voting code v1\x00"
_PEPPER_CONTEXT = b"rochdale voting code pepper v1"


class CodeFormatError(ValueError):
    """What was typed cannot be a voting code; the message says why, in words a resident understands."""


def generate_code() -> str:
    """A new random code, grouped for printing (``ABCD-EFGH-JKMN``)."""
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def format_code(code: str) -> str:
    """A code grouped in fours with dashes, for printing (accepts typed or grouped input)."""
    raw = normalise_code(code)
    return "-".join(raw[i : i + GROUP_SIZE] for i in range(0, CODE_LENGTH, GROUP_SIZE))


def normalise_code(typed: str) -> str:
    """The 12 symbols a person meant, from what they typed.

    Full-width and other compatibility forms are folded (NFKC), case is
    ignored, separators are dropped, ``O`` is read as ``0`` and ``I``/``L`` as
    ``1``. Raises :class:`CodeFormatError` when the result cannot be a code.
    """
    text = unicodedata.normalize("NFKC", typed or "").upper().translate(_CONFUSABLE)
    symbols = [ch for ch in text if ch not in _SEPARATORS]
    if not symbols:
        raise CodeFormatError(_("Enter the code from your letter"))
    wrong = sorted({ch for ch in symbols if ch not in _SYMBOLS})
    if wrong:
        raise CodeFormatError(
            _(
                "The code can only contain the letters and numbers printed on your letter, not %(wrong)s",
                wrong=" ".join(wrong),
            )
        )
    if len(symbols) != CODE_LENGTH:
        raise CodeFormatError(
            _(
                "The code is %(length)d letters and numbers long; you entered %(count)d",
                length=CODE_LENGTH,
                count=len(symbols),
            )
        )
    return "".join(symbols)


def try_normalise(typed: str) -> str | None:
    """Like :func:`normalise_code`, but ``None`` instead of an error."""
    try:
        return normalise_code(typed)
    except CodeFormatError:
        return None


# -- keyed hashing ---------------------------------------------------------------------------------


def pepper_from_config(config: Mapping[str, Any]) -> bytes:
    """The HMAC key for codes: ``VOTING_CODE_PEPPER`` if set, else one derived from ``SECRET_KEY``.

    Deriving (rather than using ``SECRET_KEY`` as is) keeps the code hashes
    independent of every other use of the secret key. Changing either setting
    invalidates every issued code, so set it once.
    """
    pepper = config.get("VOTING_CODE_PEPPER") or ""
    if pepper:
        return pepper.encode() if isinstance(pepper, str) else bytes(pepper)
    secret = config.get("SECRET_KEY") or ""
    if not secret:
        raise ValueError("SECRET_KEY (or VOTING_CODE_PEPPER) must be set to hash voting codes")
    key = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hmac.new(key, _PEPPER_CONTEXT, hashlib.sha256).digest()


def hash_code(code: str, key: bytes) -> str:
    """The stored form of a code: hex HMAC-SHA256 of its normalised symbols under ``key``.

    Raises :class:`CodeFormatError` if ``code`` is not a well-formed code.
    """
    if not key:
        raise ValueError("An empty key would make the hashes unkeyed")
    raw = normalise_code(code)
    return hmac.new(key, _HASH_CONTEXT + raw.encode("ascii"), hashlib.sha256).hexdigest()


def lookup_hash(typed: str, key: bytes) -> str | None:
    """The hash to look a typed code up by, or ``None`` if what was typed cannot be a code."""
    raw = try_normalise(typed)
    return None if raw is None else hash_code(raw, key)


def verify_code(typed: str, stored_hash: str, key: bytes) -> bool:
    """Whether ``typed`` is the code whose hash is ``stored_hash`` (constant-time comparison)."""
    candidate = lookup_hash(typed, key)
    # Compare against a dummy for malformed input too, so timing does not tell the two apart.
    return hmac.compare_digest((candidate or "0" * 64).encode(), stored_hash.encode()) and candidate is not None


# -- expiry ----------------------------------------------------------------------------------------


def expiry_date(issued: date | datetime, valid_days: int = DEFAULT_VALID_DAYS) -> date:
    """The last day a code issued on ``issued`` (UK date) can be used."""
    if valid_days < 1:
        raise ValueError("A code must be valid for at least one day")
    day = issued.astimezone(UK).date() if isinstance(issued, datetime) else issued
    return day + timedelta(days=valid_days)


def expires_at(expires_on: date) -> datetime:
    """The moment (aware, UTC) a code expiring on ``expires_on`` stops working: midnight after it, UK time."""
    return datetime.combine(expires_on + timedelta(days=1), time(0), tzinfo=UK).astimezone(UTC)


def is_expired(expires_on: date, now: datetime | None = None) -> bool:
    """Whether a code expiring on ``expires_on`` is no longer valid at ``now`` (default: this moment)."""
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now >= expires_at(expires_on)
