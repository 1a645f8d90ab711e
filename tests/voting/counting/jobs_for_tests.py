"""A count job that can be stopped mid-count; worker subprocesses import it by name."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.voting.counting import run_count
from workers.context import council_job
from workers.queues import REPORTS

WAIT_LIMIT = 60.0


@council_job(queue=REPORTS, timeout=120)
def count_with_pause(ballot_id: int, pause_file: str, started_file: str) -> str | None:
    """The real count body; once counted (result not yet stored), write the pid and wait while ``pause_file`` exists."""

    def checkpoint(stage: str) -> None:
        if stage != "counted":
            return
        Path(started_file).write_text(str(os.getpid()))
        deadline = time.monotonic() + WAIT_LIMIT
        while Path(pause_file).exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    outcome = run_count(ballot_id, checkpoint=checkpoint)
    return None if outcome is None else outcome.stored_sha256
