"""``rochdale audit``: check a council's hash-chained audit log."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.cli.options import council_option


@click.group()
def audit() -> None:
    """The audit log: every state change of a council, hash-chained."""


@audit.command("verify")
@council_option
@with_appcontext
def verify(council) -> None:
    """Re-check every link of the council's audit chain, oldest first.

    Prints OK with the number of entries and the head hash, or the first broken
    or missing link (exit status 1).
    """
    from app.audit.operations import verify_chain

    result = verify_chain()
    if result.ok:
        click.echo(f"OK: {result.entries} entries; head {result.head_hash}")
        return
    click.echo(
        f"BROKEN at entry {result.at_seq}: {result.problem}. "
        f"The {result.entries} entries before it are intact (last good hash {result.head_hash}).",
        err=True,
    )
    raise SystemExit(1)
