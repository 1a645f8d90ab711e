"""``rochdale db``: Flask-Migrate's commands, run as the schema owner."""

from __future__ import annotations

import click
from flask import g
from flask.cli import with_appcontext
from flask_migrate import cli as migrate_cli


@click.group(commands=dict(migrate_cli.db.commands))
@click.option("-d", "--directory", default=None, help="Migration script directory (default: the project's).")
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments consumed by custom env.py scripts.")
@with_appcontext
def db(directory: str | None, x_arg: tuple[str, ...]) -> None:
    """Database migrations (Alembic through Flask-Migrate).

    Migrations connect as the schema owner, DATABASE_OWNER_URL (it defaults
    to DATABASE_URL), because the app's own role may not create or alter
    tables. Apply every pending migration with `rochdale db upgrade`.
    """
    # Flask-Migrate's commands read these from `g`, as its own group sets them.
    g.directory = directory
    g.x_arg = x_arg
