"""Periodic work: a small registry, fanned out one job per active council.

Each period (say, every hour) the scheduler enqueues one job per active council
for each council job in the registry, and one job for each global job. Job ids
carry the period (``…:<council>:20261122T1300``), so a period is enqueued once
however many schedulers run and however often they tick; the outbox refuses the
duplicates.

To add periodic work, write a ``@council_job`` or ``@global_job`` (no
arguments besides the council) and add it to ``periodic_jobs()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from tenants.models import Council
from workers.enqueue import enqueue_after_commit
from workers.spec import JobSpec, spec_of


@dataclass(frozen=True)
class PeriodicJob:
    """A job to run once per ``every``, for every active council or (global jobs) once."""

    func: Callable[..., Any]
    every: timedelta

    @property
    def spec(self) -> JobSpec:
        return spec_of(self.func)

    def period_key(self, now: datetime) -> str:
        """The period ``now`` falls in, as a UTC timestamp of its start (``20261122T1300``)."""
        seconds = int(self.every.total_seconds())
        start = int(now.timestamp()) // seconds * seconds
        return datetime.fromtimestamp(start, UTC).strftime("%Y%m%dT%H%M")


def periodic_jobs() -> list[PeriodicJob]:
    """The registry. Imported lazily so that reading it never builds an app."""
    from app.modules.benchmarking.jobs import compute_benchmarks
    from workers.jobs.billing import reconcile_billing
    from workers.jobs.housekeeping import purge_expired_password_resets, purge_stale_invitations
    from workers.jobs.voting import advance_ballots
    from workers.jobs.youth import announce_youth_phases

    return [
        PeriodicJob(purge_expired_password_resets, every=timedelta(hours=1)),
        PeriodicJob(purge_stale_invitations, every=timedelta(days=1)),
        PeriodicJob(advance_ballots, every=timedelta(minutes=1)),
        PeriodicJob(announce_youth_phases, every=timedelta(minutes=10)),
        PeriodicJob(compute_benchmarks, every=timedelta(days=1)),
        PeriodicJob(reconcile_billing, every=timedelta(days=1)),
    ]


def fan_out(periodic: PeriodicJob, now: datetime) -> list[str]:
    """Enqueue ``periodic``'s run for the period containing ``now``; commits. Returns the job ids.

    Already-enqueued periods are skipped by the outbox, so calling this twice
    for one period is harmless.
    """
    spec = periodic.spec
    key = periodic.period_key(now)
    if spec.needs_council:
        council_ids = db.session.scalars(select(Council.id).where(Council.is_active).order_by(Council.id)).all()
    else:
        council_ids = [None]
    job_ids = [
        enqueue_after_commit(periodic.func, council_id=council_id, job_id=f"{spec.name}:{council_id}:{key}")
        for council_id in council_ids
    ]
    db.session.commit()
    return job_ids
