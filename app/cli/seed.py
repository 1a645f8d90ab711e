"""``rochdale seed``: demonstration data."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group()
def seed() -> None:
    """Load data for demonstrations and local development."""


@seed.command("demo")
@with_appcontext
def demo() -> None:
    """Load three fictional councils with neighbourhoods, staff and residents.

    Safe to run again: rows that already exist (matched by council slug,
    neighbourhood name and email) are left as they are. Every demo login uses
    the password printed at the end. For demonstrations only: never load this
    into a production database.
    """
    from app.extensions import db
    from app.seed.demo import DemoSeeder

    seeder = DemoSeeder()
    load_with_progress(seeder)
    db.session.commit()
    if seeder.created:
        order = ["councils", "neighbourhoods", "modules switched on", "users", "council roles"]
        kinds = sorted(seeder.created, key=lambda k: order.index(k) if k in order else len(order))
        click.echo("Created " + ", ".join(f"{seeder.created[k]} {k}" for k in kinds) + ".")
    else:
        click.echo("The demo data was already there; nothing added.")
    click.echo()
    click.echo(demo_logins_text())


def load_with_progress(seeder) -> None:
    """Run the seeder's steps under a progress bar (no commit)."""
    steps = seeder.steps()
    with click.progressbar(
        steps,
        label="Loading demo data",
        item_show_func=lambda step: step.label if step else None,
        show_pos=True,
    ) as bar:
        for step in bar:
            step.run()


def demo_logins_text() -> str:
    """The demo logins as a table, with their shared password."""
    from app.cli.options import format_table
    from app.seed.data import DEMO_PASSWORD, demo_logins

    rows = [(login.email, login.who, login.where) for login in demo_logins()]
    table = format_table(("Demo login (email)", "Who", "Where"), rows)
    return f"{table}\n\nEvery demo login's password is: {DEMO_PASSWORD}  (demonstration only)"
