"""A plain ``rochdale worker``, used only until ``app.cli.workers`` provides one.

It serves the fixed queues with RQ's own Worker so that ``rochdale run`` and
``/healthz`` have a worker to report.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker(queues: tuple[str, ...], burst: bool) -> None:
    """Run an RQ worker on QUEUES (default: every queue, in priority order)."""
    from rq import Worker

    from workers.queues import QUEUES, get_queue, get_redis

    names = queues or QUEUES
    Worker([get_queue(name) for name in names], connection=get_redis()).work(burst=burst)
