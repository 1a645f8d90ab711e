"""Reads for the ballot pages: lists, counts, permissions and receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_login import current_user
from sqlalchemy import func, select

from app.auth.models import Role
from app.auth.roles import current_council_role
from app.extensions import db
from app.voting import receipts
from app.voting.models import Ballot, BallotPaper, BallotStatus, Participation
from tenants.features import enabled_modules

# What residents can see: ballots taking votes, and ballots whose results are out.
RESIDENT_STATUSES = (BallotStatus.OPEN, BallotStatus.CLOSED, BallotStatus.COUNTED, BallotStatus.PUBLISHED)


def can_manage(ballot: Ballot | None = None, module: str | None = None) -> bool:
    """Whether the signed-in person may manage ``ballot`` (or ballots of ``module``).

    Council administrators and platform administrators manage every ballot; an
    officer manages the ballots of the modules they are allowed; a ballot with
    no module is for council administrators only.
    """
    if not current_user.is_authenticated:
        return False
    if current_user.is_platform_admin:
        return True
    role = current_council_role()
    if role is None:
        return False
    if role.role is Role.COUNCIL_ADMIN:
        return True
    key = ballot.module if ballot is not None else module
    return role.role is Role.OFFICER and key is not None and key in (role.modules or [])


def is_staff() -> bool:
    """Council administrators, officers and platform administrators (who may open the officer pages)."""
    if not current_user.is_authenticated:
        return False
    if current_user.is_platform_admin:
        return True
    role = current_council_role()
    return role is not None and role.role in (Role.COUNCIL_ADMIN, Role.OFFICER)


def visible_to_residents(ballot: Ballot) -> bool:
    """Open, closed or with results, and (when it belongs to a module) the module is switched on."""
    if ballot.status not in RESIDENT_STATUSES:
        return False
    return ballot.module is None or ballot.module in enabled_modules()


@dataclass(frozen=True)
class ResidentBallots:
    open: list[Ballot]
    voted: set[int]
    closed: list[Ballot]
    published: list[Ballot]


def resident_ballots(user_id: int | None) -> ResidentBallots:
    """Ballots for the residents' list, with the ids of those ``user_id`` has voted in."""
    modules = enabled_modules()
    rows = db.session.scalars(
        select(Ballot).where(Ballot.status.in_(RESIDENT_STATUSES)).order_by(Ballot.closes_at.desc(), Ballot.id.desc())
    ).all()
    rows = [b for b in rows if b.module is None or b.module in modules]
    voted: set[int] = set()
    if user_id is not None:
        voted = set(db.session.scalars(select(Participation.ballot_id).where(Participation.user_id == user_id)))
    return ResidentBallots(
        open=sorted(
            (b for b in rows if b.status is BallotStatus.OPEN), key=lambda b: (b.closes_at is None, b.closes_at)
        ),
        voted=voted,
        closed=[b for b in rows if b.status in (BallotStatus.CLOSED, BallotStatus.COUNTED)],
        published=[b for b in rows if b.status is BallotStatus.PUBLISHED],
    )


def manageable_ballots() -> list[Ballot]:
    """Every ballot the signed-in person may manage, newest first."""
    rows = db.session.scalars(select(Ballot).order_by(Ballot.created_at.desc(), Ballot.id.desc())).all()
    return [b for b in rows if can_manage(b)]


def participation_count(ballot: Ballot) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Participation).where(Participation.ballot_id == ballot.id)
    )


def paper_count(ballot: Ballot) -> int:
    return db.session.scalar(select(func.count()).select_from(BallotPaper).where(BallotPaper.ballot_id == ballot.id))


def published_receipt_hashes(ballot: Ballot) -> list[str]:
    """The receipt hashes of every paper, sorted (so the order says nothing); empty until published."""
    if ballot.status is not BallotStatus.PUBLISHED:
        return []
    return list(
        db.session.scalars(
            select(BallotPaper.receipt_hash)
            .where(BallotPaper.ballot_id == ballot.id)
            .order_by(BallotPaper.receipt_hash)
        )
    )


def receipt_included(ballot: Ballot, code: str) -> bool:
    """Whether the paper with receipt ``code`` is in ``ballot``'s published list."""
    if ballot.status is not BallotStatus.PUBLISHED or receipts.normalise(code) is None:
        return False
    digest = receipts.receipt_hash(code)
    return (
        db.session.scalar(
            select(BallotPaper.id).where(BallotPaper.ballot_id == ballot.id, BallotPaper.receipt_hash == digest)
        )
        is not None
    )


@dataclass(frozen=True)
class Turnout:
    """Votes cast in some ballots, and how many people could have voted in them."""

    votes: int
    eligible: int


def turnout(module: str, since: datetime, until: datetime, ballot_ids: list[int] | None = None) -> Turnout:
    """Turnout over ``module``'s ballots that closed in [since, until) (or just ``ballot_ids`` of them).

    Two aggregate queries, whatever the number of votes: the benchmarking
    figures of a large council are computed in well under a second.
    """
    ballots = select(Ballot.id, Ballot.electorate_size).where(
        Ballot.module == module,
        Ballot.closed_at >= since,
        Ballot.closed_at < until,
        Ballot.electorate_size.is_not(None),
    )
    if ballot_ids is not None:
        ballots = ballots.where(Ballot.id.in_(ballot_ids))
    ballots = ballots.subquery()
    eligible = db.session.scalar(select(func.coalesce(func.sum(ballots.c.electorate_size), 0)))
    votes = db.session.scalar(
        select(func.count()).select_from(Participation).where(Participation.ballot_id.in_(select(ballots.c.id)))
    )
    return Turnout(int(votes or 0), int(eligible or 0))
