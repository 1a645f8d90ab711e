"""Password hashing (argon2id) and the password policy.

Memory cost defaults to 19 MiB, time cost 2 (OWASP's argon2id baseline), so a
burst of 50 sign-ins needs about 1 GiB rather than the 3.2 GiB of
argon2-cffi's defaults; both are settings (ARGON2_MEMORY_KIB, ARGON2_TIME_COST).
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_LENGTH = 8
MAX_LENGTH = 256


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
