"""Secret tokens for emailed links: only their SHA-256 is ever stored."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token and its hash, ``(token, token_hash)``."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The hex SHA-256 of ``token``, the form stored in the database."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
