"""Ballot timing: open scheduled ballots and close open ones when their time comes.

Fanned out every minute, one job per council (``workers.periodic``). The job
takes no arguments but the council (nothing about any vote travels through
Redis) and is idempotent: a ballot already opened or closed is skipped, so a
re-run, a duplicate delivery or a late run changes nothing twice.
"""

from __future__ import annotations

import logging

from app.voting.operations import advance_due_ballots
from workers.context import council_job
from workers.queues import PERIODIC

log = logging.getLogger(__name__)


@council_job(queue=PERIODIC, timeout=120)
def advance_ballots() -> dict[str, list[int]]:
    """Open this council's scheduled ballots whose time has come; close open ones whose time has passed."""
    done = advance_due_ballots()
    if any(done.values()):
        log.info("ballots opened %s, closed %s, not ready %s", done["opened"], done["closed"], done["not_ready"])
    return done
