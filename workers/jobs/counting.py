"""The count job: a thin entry point for ``app.voting.counting.run_count``."""

from __future__ import annotations

from app.voting.counting import run_count
from workers.context import council_job
from workers.queues import REPORTS

# A 100,000-paper count takes a few seconds; Equal Shares with Add1 on a large
# PB ballot can take longer. Ten minutes leaves room without letting a stuck
# count hold its advisory lock for ever.
COUNT_TIMEOUT = 600


@council_job(queue=REPORTS, timeout=COUNT_TIMEOUT)
def count_ballot(ballot_id: int) -> str | None:
    """Count ballot ``ballot_id`` of the job's council and store the result once; returns its SHA-256."""
    outcome = run_count(ballot_id)
    return None if outcome is None else outcome.stored_sha256
