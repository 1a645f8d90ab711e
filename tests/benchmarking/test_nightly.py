"""The nightly job: fanned out one job per council with a deterministic id, computing from the council's own data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.modules.benchmarking.disclosure import Visibility
from app.modules.benchmarking.jobs import compute_benchmarks
from app.modules.benchmarking.models import BenchmarkFigure, BenchmarkSharing, PublishedFigure
from app.modules.benchmarking.periods import add_months, month_start
from app.residents.models import ResidentProfile
from app.voting import timing
from app.voting.models import Ballot, BallotKind, BallotStatus, Participation
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.workers.conftest import redis_conn, run_jobs
from workers.periodic import PeriodicJob, fan_out, periodic_jobs
from workers.queues import PERIODIC

__all__ = ["redis_conn", "run_jobs"]


def _seed(db, create_council, verified: int, eligible: int, votes: int):
    council = create_council(population=2_000)
    people = [User(email=f"n{council.id}-{i}@example.org", name=f"N {i}") for i in range(max(verified, votes))]
    db.session.add_all(people)
    db.session.flush()
    today = timing.today()
    last_month = add_months(month_start(today), -1)
    closed = datetime(last_month.year, last_month.month, 10, 12, tzinfo=UTC)
    with council_context(council.id):
        set_module_enabled("priorities", True)
        db.session.add_all(
            ResidentProfile(user_id=p.id, verified_at=closed - timedelta(days=5)) for p in people[:verified]
        )
        ballot = Ballot(
            title="Priorities",
            kind=BallotKind.APPROVAL,
            method="approval",
            module="priorities",
            status=BallotStatus.CLOSED,
            opens_at=closed - timedelta(days=7),
            closes_at=closed,
            closed_at=closed,
            electorate_size=eligible,
        )
        db.session.add(ballot)
        db.session.flush()
        db.session.add_all(
            Participation(ballot_id=ballot.id, user_id=p.id, cast_on=closed.date()) for p in people[:votes]
        )
        for code in ("priorities_turnout", "residents_verified_per_1000"):
            db.session.add(BenchmarkSharing(metric_code=code, visibility=Visibility.PUBLIC))
        db.session.commit()
    return council.id, last_month


def test_the_nightly_job_computes_stores_and_publishes_once_per_day(committed_db, create_council, run_jobs):
    db = committed_db
    council_id, last_month = _seed(db, create_council, verified=30, eligible=40, votes=20)
    small_id, _ = _seed(db, create_council, verified=3, eligible=8, votes=4)
    nightly = next(p for p in periodic_jobs() if p.func is compute_benchmarks)
    assert nightly.every == timedelta(days=1)

    now = datetime.now(UTC)
    first = fan_out(nightly, now)
    again = fan_out(PeriodicJob(compute_benchmarks, every=timedelta(days=1)), now + timedelta(minutes=1))
    assert first == again  # the same ids: the outbox takes each once
    day = nightly.period_key(now)
    assert any(j.startswith(f"app_modules_benchmarking_jobs_compute_benchmarks_{council_id}_{day}-") for j in first)
    run_jobs((PERIODIC,))
    db.session.remove()

    with council_context(council_id):
        figures = {
            f.metric_code: f
            for f in db.session.scalars(select(BenchmarkFigure).where(BenchmarkFigure.period_start == last_month))
        }
    assert figures["priorities_turnout"].value == 50.0 and figures["priorities_turnout"].denominator == 40
    assert figures["residents_verified_per_1000"].value == 15.0
    published = db.session.scalars(
        select(PublishedFigure).where(
            PublishedFigure.publisher_id == small_id, PublishedFigure.period_start == last_month
        )
    ).all()
    # The small council's turnout is out of 8 eligible: suppressed, and its raw 50% is nowhere.
    assert {(p.metric_code, p.value) for p in published} >= {("priorities_turnout", None)}

    # Running the job again changes nothing.
    count = db.session.scalar(select(func.count()).select_from(PublishedFigure))
    compute_benchmarks(council_id)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(PublishedFigure)) == count
