"""The ``rochdale`` command: a Flask CLI group with the project's commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, load_dotenv=False)
def main() -> None:
    """Rochdale: a platform for co-operative councils.

    Most commands read DATABASE_URL and REDIS_URL from the environment;
    `rochdale run` starts embedded servers when they are unset.
    """


def register_cli(app: Flask) -> None:
    """Attach the app-level command groups (they need the app and its database)."""
