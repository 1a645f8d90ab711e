"""The voting-code letters job: a thin entry point for ``app.letters.runs.make_run``."""

from __future__ import annotations

from app.letters.runs import make_run
from workers.context import council_job
from workers.queues import REPORTS

# 10,000 letters take well under two minutes; a quarter of an hour leaves room for a big register.
LETTERS_TIMEOUT = 900


@council_job(queue=REPORTS, timeout=LETTERS_TIMEOUT)
def make_letters(run_id: int, verify_url: str) -> str | None:
    """Make the codes, the PDF and the mail-merge CSV of letter run ``run_id``; returns the outcome."""
    outcome = make_run(run_id, verify_url)
    return None if outcome is None else str(outcome)
