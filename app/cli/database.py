"""``rochdale db``: Flask-Migrate's commands, run as the schema owner."""

from __future__ import annotations

import copy
import functools

import click
from flask import g
from flask.cli import ScriptInfo
from flask_migrate import cli as migrate_cli


def _with_group_options(command: click.Command) -> click.Command:
    """A copy of a Flask-Migrate command that hands it the group's options.

    Flask-Migrate's own group pushes an app context to set them, which makes
    even `db upgrade --help` need a database; here the app is built only when
    a command actually runs.
    """
    original = command.callback
    assert original is not None

    @functools.wraps(original)
    def callback(*args, **kwargs):
        ctx = click.get_current_context()
        app = ctx.ensure_object(ScriptInfo).load_app()
        ctx.with_resource(app.app_context())
        options = ctx.parent.params if ctx.parent else {}
        # Flask-Migrate's commands read these from `g`, as its own group sets them.
        g.directory = options.get("directory")
        g.x_arg = options.get("x_arg", ())
        return original(*args, **kwargs)

    wrapped = copy.copy(command)
    wrapped.callback = callback
    return wrapped


@click.group(commands={name: _with_group_options(cmd) for name, cmd in migrate_cli.db.commands.items()})
@click.option("-d", "--directory", default=None, help="Migration script directory (default: the project's).")
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments consumed by custom env.py scripts.")
def db(directory: str | None, x_arg: tuple[str, ...]) -> None:
    """Database migrations (Alembic through Flask-Migrate).

    Migrations connect as the schema owner, DATABASE_OWNER_URL (it defaults
    to DATABASE_URL), because the app's own role may not create or alter
    tables. Apply every pending migration with `rochdale db upgrade`.
    """
