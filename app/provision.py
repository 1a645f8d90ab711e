"""Setting up a PostgreSQL cluster for Rochdale: roles, a database, role URLs.

Used by ``make run`` (embedded PostgreSQL) and by the test set-up (the CI
server or an embedded one). It needs a superuser URL; the app itself never
connects as one.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

OWNER_ROLE = "rochdale_owner"
APP_ROLE = "rochdale_app"
ROLES_SQL = Path(__file__).resolve().parent.parent / "deploy" / "roles.sql"
_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def plain_url(url: str) -> str:
    """``url`` without a SQLAlchemy driver suffix, as psycopg wants it."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


def with_role_and_database(url: str, role: str, database: str) -> str:
    """``url`` with its user replaced by ``role`` and its path by ``database``.

    Keeps host, port and query (an embedded server's socket directory travels
    in the query string).
    """
    parts = urlsplit(plain_url(url))
    host = parts.hostname or ""
    if host and ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(role)}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, "/" + database, parts.query, parts.fragment))


# Any constant will do: it only has to be the same for every caller.
_ROLES_LOCK = 7_263_325_001


def apply_roles(superuser_url: str) -> None:
    """Create (or re-assert) the owner and app roles from ``deploy/roles.sql``.

    Serialised with an advisory lock: parallel test workers (and other test runs
    on the same server) call this at once, and concurrent ALTER ROLEs on one
    role fail with "tuple concurrently updated".
    """
    with psycopg.connect(plain_url(superuser_url), autocommit=True) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ROLES_LOCK,))
        conn.execute(ROLES_SQL.read_text())


def database_exists(superuser_url: str, name: str) -> bool:
    with psycopg.connect(plain_url(superuser_url), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def create_database(superuser_url: str, name: str, *, drop_existing: bool = False) -> None:
    """Create database ``name`` owned by the owner role (optionally dropping it first)."""
    if not _DB_NAME.match(name):
        raise ValueError(f"unsuitable database name {name!r}")
    with psycopg.connect(plain_url(superuser_url), autocommit=True) as conn:
        if drop_existing:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(OWNER_ROLE))
            )


def drop_database(superuser_url: str, name: str) -> None:
    with psycopg.connect(plain_url(superuser_url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
