"""Periodic fan-out: one job per active council per period, run once; the housekeeping purges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.auth.models import Invitation, PasswordResetToken, Role, User
from app.auth.tokens import new_token
from tenants.context import council_context
from tenants.models import Council
from tests.workers.conftest import outbox_rows
from workers.periodic import PeriodicJob, periodic_jobs
from workers.runner import scheduler_tick

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _housekeeping(rows):
    """The housekeeping jobs' rows (other periodic jobs, such as the ballots' minute job, run alongside)."""
    return [row for row in rows if "housekeeping" in row[0]]


def _user(db, email: str) -> int:
    user = User(email=email, name=email.split("@")[0])
    db.session.add(user)
    db.session.flush()
    return user.id


def _token(db, user_id: int, expires_in: timedelta, used: bool = False) -> None:
    now = datetime.now(UTC)
    db.session.add(
        PasswordResetToken(
            user_id=user_id, token_hash=new_token()[1], expires_at=now + expires_in, used_at=now if used else None
        )
    )


def _invitation(db, council_id: int, email: str, age: timedelta, accepted: bool = False) -> None:
    now = datetime.now(UTC)
    with council_context(council_id):
        db.session.add(
            Invitation(
                email=email,
                role=Role.OFFICER,
                token_hash=new_token()[1],
                created_at=now - age,
                expires_at=now - age + timedelta(days=7),
                accepted_at=now - age + timedelta(days=1) if accepted else None,
            )
        )
        db.session.flush()


def _invitation_emails(db, council_id: int) -> list[str]:
    with council_context(council_id):
        return sorted(db.session.scalars(select(Invitation.email)))


def test_period_keys_are_the_start_of_the_period():
    hourly = PeriodicJob(periodic_jobs()[0].func, every=timedelta(hours=1))
    assert hourly.period_key(NOON + timedelta(minutes=59)) == "20261122T1200"
    assert hourly.period_key(NOON + timedelta(hours=1)) == "20261122T1300"


def test_fan_out_enqueues_one_job_per_active_council_once_per_period(
    committed_db, make_council, run_jobs, superuser_sql
):
    db = committed_db
    council_a, council_b, retired = make_council(), make_council(), make_council()
    db.session.get(Council, retired).is_active = False
    user_id = _user(db, "reset@example.org")
    _token(db, user_id, timedelta(hours=-1))  # expired
    _token(db, user_id, timedelta(hours=1), used=True)  # used
    _token(db, user_id, timedelta(hours=1))  # still valid
    _invitation(db, council_a, "stale-a@example.org", age=timedelta(days=40))
    _invitation(db, council_a, "recent-a@example.org", age=timedelta(days=10))
    _invitation(db, council_a, "accepted-a@example.org", age=timedelta(days=40), accepted=True)
    _invitation(db, council_b, "stale-b@example.org", age=timedelta(days=45))
    _invitation(db, retired, "stale-retired@example.org", age=timedelta(days=45))
    db.session.commit()

    scheduler_tick({}, now=NOON)
    scheduler_tick({}, now=NOON + timedelta(minutes=30))  # another scheduler, same periods: nothing new
    names = sorted(row[0].split("-")[0] for row in _housekeeping(outbox_rows(superuser_sql)))
    assert names == [
        "workers_jobs_housekeeping_purge_expired_password_resets_None_20261122T1200",
        f"workers_jobs_housekeeping_purge_stale_invitations_{council_a}_20261122T0000",
        f"workers_jobs_housekeeping_purge_stale_invitations_{council_b}_20261122T0000",
    ]
    run_jobs()

    assert {row[1] for row in outbox_rows(superuser_sql)} == {"done"}
    assert db.session.scalar(select(func.count()).select_from(PasswordResetToken)) == 1
    assert _invitation_emails(db, council_a) == ["accepted-a@example.org", "recent-a@example.org"]
    assert _invitation_emails(db, council_b) == []
    assert _invitation_emails(db, retired) == ["stale-retired@example.org"]

    # The next hour brings the next hourly run, and only that.
    last_periods: dict[str, str] = {}
    scheduler_tick(last_periods, now=NOON + timedelta(hours=1))
    assert len(_housekeeping(outbox_rows(superuser_sql))) == 4
    scheduler_tick(last_periods, now=NOON + timedelta(hours=1, minutes=5))
    assert len(_housekeeping(outbox_rows(superuser_sql))) == 4
