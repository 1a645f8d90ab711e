"""Reads for elections: an election and its constituencies, nominations, ballots and the body's members.

Everything runs inside the current council (the ORM filter and RLS); ids from
a URL are looked up here, always within their society or election.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.governance import queries as registers
from app.governance.elections.models import (
    BodyMember,
    Election,
    ElectionSeat,
    ElectionStatus,
    Nomination,
    NominationStatus,
)
from app.governance.models import Member, MemberClass
from app.voting.models import Ballot

LIVE = (NominationStatus.AWAITING_CONSENT, NominationStatus.SUBMITTED, NominationStatus.VALID)


def elections(society_id: int, *, include_drafts: bool) -> list[Election]:
    """A society's elections, newest first (drafts only for the people who run them)."""
    query = select(Election).where(Election.society_id == society_id)
    if not include_drafts:
        query = query.where(Election.status != ElectionStatus.DRAFT)
    return list(db.session.scalars(query.order_by(Election.nominations_open_on.desc(), Election.id.desc())))


def election(society_id: int, election_id: int) -> Election | None:
    return db.session.scalar(select(Election).where(Election.society_id == society_id, Election.id == election_id))


@dataclass(frozen=True)
class Constituency:
    """A constituency of an election: its seat row and its member class."""

    seat: ElectionSeat
    member_class: MemberClass

    @property
    def name(self) -> str:
        return self.member_class.name


def constituencies(election: Election) -> list[Constituency]:
    """The election's constituencies (classes with seats), in the society's class order."""
    rows = db.session.execute(
        select(ElectionSeat, MemberClass)
        .join(
            MemberClass,
            (MemberClass.council_id == ElectionSeat.council_id) & (MemberClass.id == ElectionSeat.member_class_id),
        )
        .where(ElectionSeat.election_id == election.id)
        .order_by(MemberClass.position, MemberClass.name)
    ).all()
    return [Constituency(seat, member_class) for seat, member_class in rows]


def seat(election: Election, seat_id: int) -> ElectionSeat | None:
    return db.session.scalar(
        select(ElectionSeat).where(ElectionSeat.election_id == election.id, ElectionSeat.id == seat_id)
    )


def seat_for_class(election: Election, member_class_id: int) -> ElectionSeat | None:
    return db.session.scalar(
        select(ElectionSeat).where(
            ElectionSeat.election_id == election.id, ElectionSeat.member_class_id == member_class_id
        )
    )


@dataclass(frozen=True)
class Candidacy:
    """A nomination with the candidate's and (if any) the nominator's register lines."""

    nomination: Nomination
    candidate: Member
    nominator: Member | None

    @property
    def name(self) -> str:
        return self.candidate.name


def nominations(election: Election, statuses: Iterable[NominationStatus] | None = None) -> list[Candidacy]:
    """The election's nominations (of some statuses), by constituency then candidate name."""
    query = (
        select(Nomination, Member)
        .join(Member, (Member.council_id == Nomination.council_id) & (Member.id == Nomination.member_id))
        .where(Nomination.election_id == election.id)
        .order_by(Nomination.seat_id, Member.name, Nomination.id)
    )
    wanted = list(statuses or [])
    if wanted:
        query = query.where(Nomination.status.in_(wanted))
    rows = db.session.execute(query).all()
    nominator_ids = {n.nominator_member_id for n, _m in rows if n.nominator_member_id is not None}
    nominators = {}
    if nominator_ids:
        nominators = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(nominator_ids)))}
    return [Candidacy(n, m, nominators.get(n.nominator_member_id)) for n, m in rows]


def nomination(election: Election, nomination_id: int) -> Nomination | None:
    return db.session.scalar(
        select(Nomination).where(Nomination.election_id == election.id, Nomination.id == nomination_id)
    )


def live_nomination_of(election: Election, member_id: int) -> Nomination | None:
    """The member's nomination in this election that is not withdrawn, if any."""
    return db.session.scalar(
        select(Nomination).where(
            Nomination.election_id == election.id, Nomination.member_id == member_id, Nomination.status.in_(LIVE)
        )
    )


def nominations_for_user(election: Election, user_id: int) -> list[Candidacy]:
    """Nominations in which the person is the candidate or the nominator (their own page)."""
    line = registers.member_for_user(election.society_id, user_id)
    if line is None:
        return []
    return [
        c
        for c in nominations(election)
        if c.nomination.member_id == line.id or c.nomination.nominator_member_id == line.id
    ]


def member_by_number(society_id: int, number: int) -> Member | None:
    """A line of the register by membership number."""
    return db.session.scalar(select(Member).where(Member.society_id == society_id, Member.membership_number == number))


def ballots(election: Election) -> dict[int, Ballot]:
    """The contested constituencies' ballots, by seat id (empty before the poll starts)."""
    rows = db.session.execute(
        select(ElectionSeat.id, Ballot)
        .join(Ballot, (Ballot.council_id == ElectionSeat.council_id) & (Ballot.id == ElectionSeat.ballot_id))
        .where(ElectionSeat.election_id == election.id)
    ).all()
    return dict(rows)


def body_members(election: Election) -> list[tuple[BodyMember, Member]]:
    """The people this election put on the body, by constituency order then name."""
    rows = db.session.execute(
        select(BodyMember, Member)
        .join(Member, (Member.council_id == BodyMember.council_id) & (Member.id == BodyMember.member_id))
        .where(BodyMember.election_id == election.id)
        .order_by(BodyMember.member_class_id, Member.name)
    ).all()
    return [(b, m) for b, m in rows]
