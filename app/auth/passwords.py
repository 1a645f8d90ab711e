"""Password hashing (argon2id) and the password policy.

Memory cost defaults to 19 MiB, time cost 2 (OWASP's argon2id baseline), so a
burst of 50 sign-ins needs about 1 GiB rather than the 3.2 GiB of
argon2-cffi's defaults; both are settings (ARGON2_MEMORY_KIB, ARGON2_TIME_COST).

The policy follows ASVS 5.0 6.2: at least 8 characters, up to 256 (never
truncated: argon2 hashes every byte), no composition rules, no forced
rotation, and a refusal of well-known passwords. ``common_passwords.txt``
holds the most common entries of the public breach lists (one per line,
lower case); the check ignores case, so "Password1" is refused like
"password1".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

from app.i18n import LazyString, _l

MIN_LENGTH = 8
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=4)
def _hasher(memory_kib: int, time_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def hasher() -> PasswordHasher:
    if has_app_context():
        return _hasher(current_app.config["ARGON2_MEMORY_KIB"], current_app.config["ARGON2_TIME_COST"])
    return _hasher(19456, 2)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; a missing hash still costs one hash (no timing tell)."""
    if not password_hash:
        hasher().hash(password)
        return False
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The refused passwords, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def password_problem(password: str, *, email: str | None = None) -> LazyString | None:
    """Why ``password`` is not allowed, as a (lazy, translated when shown) message for the person, or ``None``.

    Only length and guessability count: no rules about digits or symbols
    (ASVS 6.2.5), which push people towards "Password1!".
    """
    if len(password) < MIN_LENGTH:
        return _l("Password must be %(num)s characters or more", num=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Password must be %(num)s characters or fewer", num=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        return _l("Password is on a list of common passwords. Choose one that is harder to guess")
    if email and lowered == email.strip().lower():
        return _l("Password must not be the same as your email address")
    return None
