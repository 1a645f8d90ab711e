"""The ``rochdale`` command: a Flask CLI group with the project's commands.

Every command is registered on the group itself rather than on ``app.cli``, so
``rochdale --help`` and ``rochdale run`` work before any database exists: the
app is only built when a command that needs it runs (``with_appcontext``).
``rochdale run`` builds it itself, after starting the embedded servers.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from app import create_app

    return create_app()


class RochdaleGroup(FlaskGroup):
    """A FlaskGroup with a fixed app factory and no ``--app``/``--env-file`` options.

    Listing commands never builds the app, so help works with no settings at all.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.params = [p for p in self.params if p.name not in {"app", "env_file", "debug"}]

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands)


@click.group(
    cls=RochdaleGroup,
    create_app=_create_app,
    add_default_commands=False,
    load_dotenv=False,
    set_debug_flag=False,
    add_version_option=False,
)
@click.version_option(package_name="rochdale", message="%(prog)s %(version)s")
def main() -> None:
    """Rochdale: a platform for co-operative councils.

    `rochdale run` starts everything for local use (embedded PostgreSQL and
    Valkey when DATABASE_URL / REDIS_URL are unset). The other commands read
    DATABASE_URL, REDIS_URL and SECRET_KEY from the environment.
    """


def register_cli(app: Flask) -> None:
    """Attach app-level commands (none: every command lives on ``main``)."""


def _register_commands() -> None:
    # A new command module (app/cli/<area>.py) is added here, once.
    from app.cli.audit import audit
    from app.cli.backup import backup, restore
    from app.cli.billing import billing
    from app.cli.councils import councils
    from app.cli.database import db
    from app.cli.run import run
    from app.cli.seed import seed
    from app.cli.tally import tally
    from app.cli.workers import scheduler, worker

    for command in (run, worker, scheduler, db, councils, seed, tally, audit, backup, restore, billing):
        main.add_command(command)


_register_commands()
