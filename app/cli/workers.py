"""``rochdale worker`` and ``rochdale scheduler``: the background-job processes.

Run at least one worker and one scheduler in production: workers run jobs; the
scheduler re-sends jobs Redis lost and enqueues periodic work.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from workers.queues import QUEUES


@click.command("worker")
@click.argument("queues", nargs=-1, type=click.Choice(QUEUES))
@click.option("--burst", is_flag=True, help="Exit once the queues are empty instead of waiting for more jobs.")
@with_appcontext
def worker(queues: tuple[str, ...], burst: bool) -> None:
    """Run jobs from QUEUES (default: all of them, in priority order).

    The queues are: default, emails, billing, reports, periodic. The worker
    retries failed jobs that have a retry policy, and stops after the current
    job on SIGINT or SIGTERM.
    """
    from workers.runner import run_worker

    run_worker(current_app._get_current_object(), queues or QUEUES, burst=burst)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run a single pass and exit (for cron or a quick check).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.5),
    default=5.0,
    show_default=True,
    help="Seconds between passes.",
)
@with_appcontext
def scheduler(once: bool, interval: float) -> None:
    """Re-send jobs that Redis lost and enqueue periodic jobs, every few seconds.

    Each pass hands overdue jobs from the PostgreSQL outbox back to RQ, then
    enqueues one run of each periodic job per active council when its period
    begins. Safe to run more than one. Stops cleanly on SIGINT or SIGTERM.
    """
    from workers.runner import run_scheduler

    run_scheduler(current_app._get_current_object(), interval=interval, once=once)
