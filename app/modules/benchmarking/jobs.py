"""The nightly benchmarking job: one per active council (fanned out by ``workers.periodic``)."""

from __future__ import annotations

from app.extensions import db
from app.modules.benchmarking import operations
from app.voting import timing
from workers.context import council_job
from workers.queues import PERIODIC


@council_job(queue=PERIODIC, timeout=600)
def compute_benchmarks() -> int:
    """Compute this council's figures for last month and this month so far, store them, and republish.

    Its id carries the day (``…:<council>:20261122T0000``), so each council's
    run is enqueued once a day; re-running it replaces the same rows with the
    same figures. Returns how many figures are published.
    """
    published = operations.nightly(timing.today())
    db.session.commit()
    return published
