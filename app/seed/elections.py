"""Demo data for elections: Kingsmere's school trust electing its stakeholder forum, nominations open.

A school trust with four constituencies (parents, staff, learners, the
community), a dozen of the council's demo residents on its register, the
schools officer as its secretary, and an election to a nine-seat forum
taking nominations: two parents have stood and been accepted, and a member
of staff waits for the secretary's check. Idempotent: nothing is added when
the election is already there.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.governance.elections import operations
from app.governance.elections.models import Election
from app.governance.models import (
    Member,
    MemberClass,
    MemberStatus,
    Society,
    SocietyKind,
    SocietyOfficer,
    SocietyRole,
)
from app.seed.data import COUNCILS, residents
from app.voting import timing
from tenants.context import council_context
from tenants.models import Council

COUNCIL_SLUG = "kingsmere"
SOCIETY = "Kingsmere Learning Co-operative Trust"
ELECTION = "Stakeholder forum election"
SEATS = {"Parents and carers": 3, "Staff": 2, "Learners": 2, "Community": 2}
STATEMENTS = {
    0: "I have two children at Orchard Vale Primary. I want parents to hear about decisions before they are made, "
    "and I will hold a drop-in at the school gate every month.",
    1: "As a parent governor for four years I have seen how much the trust can do when families are asked. "
    "I would push for a clear say on the school day and on uniforms.",
    4: "I teach year 6 at Fennick Hill. Staff should be able to raise problems without fear, and the forum is "
    "where that should happen.",
}


def ensure_forum_election(created: Counter[str]) -> None:
    """Create the trust, its register and the forum election if they are missing (flushes, never commits)."""
    council = db.session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))
    if council is None:
        return
    demo = next(c for c in COUNCILS if c.slug == COUNCIL_SLUG)
    with council_context(council.id):
        society = db.session.scalar(select(Society).where(Society.name == SOCIETY))
        if society is None:
            society = Society(
                name=SOCIETY,
                kind=SocietyKind.SCHOOL_TRUST,
                description="A co-operative trust of six Kingsmere schools, run by its families, staff and learners.",
            )
            db.session.add(society)
            db.session.flush()
            created["societies"] += 1
        if db.session.scalar(select(Election.id).where(Election.society_id == society.id, Election.title == ELECTION)):
            return
        classes = _classes(society)
        lines = _register(society, classes, demo)
        secretary = db.session.scalar(select(User).where(User.email == demo.officers[0].email))
        if secretary is not None and not db.session.scalar(
            select(SocietyOfficer.id).where(
                SocietyOfficer.society_id == society.id, SocietyOfficer.user_id == secretary.id
            )
        ):
            db.session.add(SocietyOfficer(society_id=society.id, user_id=secretary.id, role=SocietyRole.SECRETARY))
        today = timing.today()
        election = operations.create_election(
            society,
            operations.Details(
                title=ELECTION,
                body_name="Stakeholder forum",
                body_size=9,
                description="The forum speaks for the trust's members to its board. Each constituency elects its own "
                "members by single transferable vote.",
                method="stv",
                statement_max_words=150,
                term_years=3,
                nominations_open_on=today - timedelta(days=3),
                nominations_close_on=today + timedelta(days=11),
                voting_closes_on=today + timedelta(days=25),
            ),
            by=None,
        )
        operations.set_seats(election, {classes[name].id: seats for name, seats in SEATS.items()}, by=None)
        operations.open_nominations(election, by=None)
        seats = {c.member_class.id: c.seat for c in operations.queries.constituencies(election)}
        for index, statement in STATEMENTS.items():
            line = lines[index]
            nomination = operations.nominate(
                election, seats[line.member_class_id], nominator=line, candidate=line, statement=statement, by=None
            )
            if line.member_class_id == classes["Parents and carers"].id:
                operations.accept(election, nomination, by=secretary)
        created["elections"] += 1


def _classes(society: Society) -> dict[str, MemberClass]:
    found = {c.name: c for c in db.session.scalars(select(MemberClass).where(MemberClass.society_id == society.id))}
    for position, name in enumerate(SEATS):
        if name not in found:
            found[name] = MemberClass(
                society_id=society.id, name=name, position=position, min_age=16 if name == "Learners" else None
            )
            db.session.add(found[name])
    db.session.flush()
    return found


def _register(society: Society, classes: dict[str, MemberClass], demo) -> list[Member]:
    """Twelve demo residents on the register: four parents, four staff, two learners, two from the community."""
    order = ["Parents and carers"] * 4 + ["Staff"] * 4 + ["Learners"] * 2 + ["Community"] * 2
    admitted = timing.today() - timedelta(days=400)
    lines = []
    for number, (person, class_name) in enumerate(zip(residents(demo), order, strict=False), start=1):
        user = db.session.scalar(select(User).where(User.email == person.email))
        line = db.session.scalar(
            select(Member).where(Member.society_id == society.id, Member.membership_number == number)
        )
        if line is None:
            line = Member(
                society_id=society.id,
                member_class_id=classes[class_name].id,
                user_id=user.id if user else None,
                membership_number=number,
                name=person.name,
                status=MemberStatus.MEMBER,
                applied_on=admitted,
                admitted_on=admitted,
                postcode="KM1 1AA",
            )
            db.session.add(line)
        lines.append(line)
    db.session.flush()
    return lines
