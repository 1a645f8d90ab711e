"""Jobs used only by the tests; worker subprocesses import them by name (``tests.workers.jobs_for_tests``)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from sqlalchemy import select, text

from app.extensions import db
from tenants.context import current_council_id
from tenants.models import Neighbourhood
from workers.context import council_job, global_job
from workers.progress import finish_run, report_progress, start_run
from workers.queues import DEFAULT

WAIT_LIMIT = 60.0


def _wait_while(path: Path, present: bool) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while path.exists() == present and time.monotonic() < deadline:
        time.sleep(0.05)


@council_job(queue=DEFAULT, timeout=20)
def record_effect(label: str, pause_file: str | None = None, started_file: str | None = None) -> int:
    """Insert one neighbourhood named ``<label> <random>`` (the effect), then pause while ``pause_file`` exists.

    Each execution's row has a different name, so counting rows named ``label``
    counts the executions whose effect was committed. ``started_file`` receives
    this process's pid once the effect is written but not yet committed.
    """
    db.session.add(Neighbourhood(name=f"{label} {uuid.uuid4().hex[:10]}"))
    db.session.flush()
    if started_file:
        Path(started_file).write_text(str(os.getpid()))
    if pause_file:
        _wait_while(Path(pause_file), present=True)
    return current_council_id()


@council_job(queue=DEFAULT, timeout=20)
def what_can_i_see() -> dict:
    """Report the council this job runs for and the neighbourhoods it can see (ORM and raw SQL)."""
    orm = sorted(db.session.scalars(select(Neighbourhood.name)))
    raw = sorted(row[0] for row in db.session.execute(text("SELECT name FROM neighbourhoods")))
    councils = sorted(row[0] for row in db.session.execute(text("SELECT DISTINCT council_id FROM neighbourhoods")))
    return {"council_id": current_council_id(), "orm": orm, "raw": raw, "raw_councils": councils}


@council_job(queue=DEFAULT, timeout=20)
def count_in_steps(steps: int, gate_dir: str) -> None:
    """Report progress one step at a time, waiting for ``<gate_dir>/go-<n>`` before moving on."""
    start_run(None, "test-count", total=steps)
    for step in range(1, steps + 1):
        report_progress(step, message=f"Counted {step} of {steps}")
        _wait_while(Path(gate_dir) / f"go-{step}", present=False)
    finish_run("All counted")


@council_job(queue=DEFAULT, timeout=20)
def fail_after_writing(label: str) -> None:
    """Write an effect, then fail: the effect must be rolled back."""
    db.session.add(Neighbourhood(name=f"{label} {uuid.uuid4().hex[:10]}"))
    db.session.flush()
    raise RuntimeError("deliberate failure")


@global_job(queue=DEFAULT, timeout=20)
def global_probe() -> int:
    """A global job: sees no council rows."""
    return len(db.session.scalars(select(Neighbourhood)).all())


@council_job(queue=DEFAULT, timeout=20)
def fail_midway(steps: int) -> None:
    """Start a progress run, report one step, then fail."""
    start_run(None, "test-fail", total=steps)
    report_progress(1)
    raise RuntimeError("deliberate failure")
