"""Configuration, read from the environment once and validated at start.

Every setting has a safe production default; development conveniences
(plain-HTTP cookies, the mail catcher) must be asked for explicitly.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any


class ConfigError(RuntimeError):
    """Raised at start-up when a setting is missing or malformed."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


@dataclass
class Config:
    """Flask settings. ``from_env`` builds one; ``as_flask`` hands it to ``app.config``."""

    SECRET_KEY: str = ""
    SQLALCHEMY_DATABASE_URI: str = ""
    # Migrations run as the schema owner; the app runs as a role RLS applies to.
    DATABASE_OWNER_URL: str = ""
    REDIS_URL: str = ""
    SERVER_NAME: str | None = None
    PREFERRED_URL_SCHEME: str = "https"
    # Plain-HTTP development (make run on 127.0.0.1) cannot set Secure cookies.
    INSECURE_COOKIES: bool = False
    MAX_CONTENT_LENGTH: int = 2 * 1024 * 1024
    MAIL_HOST: str = "127.0.0.1"
    MAIL_PORT: int = 25
    MAIL_SENDER: str = "Rochdale <no-reply@rochdale.invalid>"
    MAIL_CATCHER_DIR: str | None = None
    RATELIMIT_ENABLED: bool = True
    SIGN_IN_LIMIT_PER_IP: str = "300 per 10 minutes"
    SIGN_IN_FAILURES_PER_ACCOUNT: str = "100 per hour"
    ARGON2_MEMORY_KIB: int = 19456
    ARGON2_TIME_COST: int = 2
    # The key voting codes are hashed with (app/letters/codes.py); empty: derived from SECRET_KEY.
    VOTING_CODE_PEPPER: str = ""
    # Billing (app/billing): with no secret key, billing is off and every module is available.
    STRIPE_SECRET_KEY: str = ""
    STRIPE_WEBHOOK_SECRET: str = ""
    # Another Stripe-compatible server (a local localstripe); empty: Stripe itself.
    STRIPE_API_BASE: str = ""
    # Days a council keeps working after its subscription stops being paid, before modules turn read-only.
    BILLING_GRACE_DAYS: int = 14
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Config:
        insecure = _bool("ROCHDALE_INSECURE_COOKIES", False)
        return cls(
            SECRET_KEY=os.environ.get("SECRET_KEY", ""),
            SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", ""),
            DATABASE_OWNER_URL=os.environ.get("DATABASE_OWNER_URL", ""),
            REDIS_URL=os.environ.get("REDIS_URL", ""),
            SERVER_NAME=os.environ.get("SERVER_NAME") or None,
            PREFERRED_URL_SCHEME="http" if insecure else "https",
            INSECURE_COOKIES=insecure,
            MAX_CONTENT_LENGTH=_int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
            MAIL_HOST=os.environ.get("MAIL_HOST", "127.0.0.1"),
            MAIL_PORT=_int("MAIL_PORT", 25),
            MAIL_SENDER=os.environ.get("MAIL_SENDER", "Rochdale <no-reply@rochdale.invalid>"),
            MAIL_CATCHER_DIR=os.environ.get("MAIL_CATCHER_DIR") or None,
            RATELIMIT_ENABLED=_bool("RATELIMIT_ENABLED", True),
            ARGON2_MEMORY_KIB=_int("ARGON2_MEMORY_KIB", 19456),
            ARGON2_TIME_COST=_int("ARGON2_TIME_COST", 2),
            VOTING_CODE_PEPPER=os.environ.get("VOTING_CODE_PEPPER", ""),
            STRIPE_SECRET_KEY=os.environ.get("STRIPE_SECRET_KEY", ""),
            STRIPE_WEBHOOK_SECRET=os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
            STRIPE_API_BASE=os.environ.get("STRIPE_API_BASE", ""),
            BILLING_GRACE_DAYS=_int("BILLING_GRACE_DAYS", 14),
        )

    def as_flask(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k.isupper()}


def finalise(config: dict[str, Any]) -> None:
    """Derive dependent settings and refuse to start on missing essentials."""
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigError("DATABASE_URL is not set (make run sets it for you; see README.md).")
    if not config.get("REDIS_URL"):
        raise ConfigError("REDIS_URL is not set (make run sets it for you; see README.md).")
    if not config.get("SECRET_KEY"):
        if config.get("TESTING"):
            config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            raise ConfigError("SECRET_KEY is not set.")
    if not config.get("DATABASE_OWNER_URL"):
        config["DATABASE_OWNER_URL"] = config["SQLALCHEMY_DATABASE_URI"]
    uri: str = config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://") or uri.startswith("postgres://"):
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    insecure = bool(config.get("INSECURE_COOKIES"))
    # Flask's own defaults are already in app.config ("session", 31 days), so
    # setdefault would never apply ours: replace them unless overridden.
    if config.get("SESSION_COOKIE_NAME") in (None, "session"):
        config["SESSION_COOKIE_NAME"] = "rochdale_session" if insecure else "__Host-session"
    config["SESSION_COOKIE_SECURE"] = not insecure
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["REMEMBER_COOKIE_SECURE"] = not insecure
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    if config.get("PERMANENT_SESSION_LIFETIME") in (None, timedelta(days=31)):
        config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=8)
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    config.setdefault("RATELIMIT_STORAGE_URI", config["REDIS_URL"])
    config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    config.setdefault("SQLALCHEMY_TRACK_MODIFICATIONS", False)
    options = config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    # Idle connections are checked before use by app.db_pool (not every checkout, as pool_pre_ping would).
    options.setdefault("pool_pre_ping", False)
    # Statement parameters carry ballot papers: they must never reach a log or an error report.
    options.setdefault("hide_parameters", True)
    # psycopg prepares a statement by itself once it has run five times on a connection, and from then on sends
    # DEALLOCATE ALL after every rollback (a round trip more at the end of every read-only request), which would
    # also drop the statements app.db_pipeline prepares for the busiest requests. We prepare those ourselves.
    options.setdefault("connect_args", {}).setdefault("prepare_threshold", None)
