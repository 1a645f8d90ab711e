"""Election operations: seats within the body, nominations and their refusals, unopposed returns, the poll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.governance.elections import operations, queries
from app.governance.elections.models import (
    BodyMember,
    CandidateResult,
    ElectionSeat,
    ElectionStatus,
    Nomination,
    NominationStatus,
    SeatOutcome,
)
from app.voting import timing
from app.voting.models import Ballot
from tests.governance.elections.conftest import add_member, close_nominations, details, make_election, seat_of, stand


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seats_more_than_the_body_allows_are_refused_and_nothing_changes(world, in_council):
    election = make_election(world, open_nominations=False)
    before = {s.member_class_id: s.seats for s in db.session.scalars(select(ElectionSeat))}
    with pytest.raises(operations.ElectionError) as refused:
        operations.set_seats(
            election,
            {
                world.classes["Parents"].id: 4,
                world.classes["Staff"].id: 3,
                world.classes["Learners"].id: 2,
                world.classes["Community"].id: 2,
            },
            by=world.secretary,
        )
    assert refused.value.status == 422 and refused.value.field == "seats"
    assert "11 seats between them" in refused.value.message and "only 9" in refused.value.message
    db.session.rollback()
    assert {s.member_class_id: s.seats for s in db.session.scalars(select(ElectionSeat))} == before


def test_a_class_with_no_seats_is_not_part_of_the_election(world, in_council):
    election = make_election(world, {"Parents": 3, "Staff": 2, "Learners": 0, "Community": 2})
    assert [c.name for c in queries.constituencies(election)] == ["Parents", "Staff", "Community"]
    with pytest.raises(operations.WrongMomentError):  # seats are fixed once nominations open
        operations.set_seats(election, {world.classes["Parents"].id: 1}, by=world.secretary)


def test_election_details_are_checked(world, in_council):
    today = timing.today()
    with pytest.raises(operations.ElectionError) as refused:
        operations.create_election(world.society, details(body_size=0), by=None)
    assert refused.value.field == "body_size"
    with pytest.raises(operations.ElectionError) as refused:
        operations.create_election(world.society, details(voting_closes_on=today + timedelta(days=14)), by=None)
    assert refused.value.field == "voting_closes_on"
    with pytest.raises(operations.ElectionError) as refused:
        operations.create_election(world.society, details(method="borda"), by=None)
    assert refused.value.field == "method"


def test_a_member_stands_with_a_statement_and_the_secretary_accepts_it(world, in_council):
    election = make_election(world)
    parent = add_member(world, "Parents", "Priya Parent")
    nomination = stand(world, election, parent, "I have two children at Trustham Primary.", accept=False)
    assert nomination.status is NominationStatus.SUBMITTED and nomination.nominator_member_id is None
    operations.accept(election, nomination, by=world.secretary)
    assert nomination.status is NominationStatus.VALID and nomination.checked_by_user_id == world.secretary.id
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(election.id))))
    assert {"election.created", "election.nominated", "election.nomination_accepted"} <= actions


def test_nominating_in_the_wrong_constituency_is_refused(world, in_council):
    election = make_election(world)
    staff = add_member(world, "Staff", "Stella Staff")
    with pytest.raises(operations.ElectionError) as refused:
        operations.nominate(
            election, seat_of(world, election, "Parents"), nominator=staff, candidate=staff, statement="Hello", by=None
        )
    assert refused.value.status == 422 and refused.value.field == "seat_id"
    assert refused.value.message == (
        "You are a member of the Staff class, so you can stand only in the Staff constituency, not Parents."
    )
    db.session.rollback()
    assert _count(Nomination) == 0


def test_a_ceased_member_cannot_stand(world, in_council):
    election = make_election(world)
    gone = add_member(world, "Parents", "Gina Gone", ceased=True)
    with pytest.raises(operations.NotAllowedError) as refused:
        operations.nominate(
            election, seat_of(world, election, "Parents"), nominator=gone, candidate=gone, statement="Hi", by=None
        )
    assert refused.value.status == 403
    assert "not a member today" in refused.value.message


def test_nominations_after_the_close_are_refused(world, in_council):
    election = make_election(world)
    parent = add_member(world, "Parents", "Late Larry")
    close_nominations(world, election)
    with pytest.raises(operations.WrongMomentError) as refused:
        operations.nominate(
            election, seat_of(world, election, "Parents"), nominator=parent, candidate=parent, statement="Hi", by=None
        )
    assert refused.value.status == 409
    assert refused.value.message.startswith("Nominations closed on ")
    db.session.rollback()
    assert _count(Nomination) == 0


def test_statements_have_a_word_limit_and_are_needed(world, in_council):
    election = make_election(world)  # 50 words
    parent = add_member(world, "Parents", "Wordy Wendy")
    seat = seat_of(world, election, "Parents")
    with pytest.raises(operations.ElectionError) as refused:
        operations.nominate(election, seat, nominator=parent, candidate=parent, statement="word " * 51, by=None)
    assert refused.value.message == "The statement must be 50 words or fewer; it has 51"
    with pytest.raises(operations.ElectionError) as refused:
        operations.nominate(election, seat, nominator=parent, candidate=parent, statement="   ", by=None)
    assert refused.value.field == "statement"


def test_nominated_by_another_member_who_then_agrees(world, in_council):
    election = make_election(world)
    nominator = add_member(world, "Parents", "Nora Nominator")
    candidate = add_member(world, "Parents", "Carl Candidate")
    staff = add_member(world, "Staff", "Stella Staff")
    seat = seat_of(world, election, "Parents")
    with pytest.raises(operations.ElectionError) as refused:  # only within one's own constituency
        operations.nominate(election, seat, nominator=staff, candidate=candidate, statement="", by=None)
    assert "your own constituency, Staff" in refused.value.message
    nomination = operations.nominate(election, seat, nominator=nominator, candidate=candidate, statement="", by=None)
    assert nomination.status is NominationStatus.AWAITING_CONSENT
    with pytest.raises(operations.WrongMomentError):  # one live nomination per person
        operations.nominate(election, seat, nominator=candidate, candidate=candidate, statement="Me", by=None)
    with pytest.raises(operations.NotAllowedError):  # only the candidate agrees
        operations.consent(election, nomination, nominator, statement="I agree", by=None)
    operations.consent(election, nomination, candidate, statement="I am happy to stand.", by=None)
    assert nomination.status is NominationStatus.SUBMITTED and nomination.statement == "I am happy to stand."


def test_the_poll_waits_for_the_close_and_for_every_check(world, in_council):
    election = make_election(world)
    stand(world, election, add_member(world, "Parents", "Una Unchecked"), accept=False)
    with pytest.raises(operations.WrongMomentError) as refused:
        operations.start_poll(election, by=world.secretary)
    assert "The poll can start after that" in refused.value.message
    close_nominations(world, election)
    with pytest.raises(operations.WrongMomentError) as refused:
        operations.start_poll(election, by=world.secretary)
    assert refused.value.message == ("1 nomination has not been checked. Accept or withdraw it before the poll starts.")
    db.session.rollback()
    assert _count(Ballot) == 0


def test_when_nominations_do_not_exceed_seats_everyone_is_elected_unopposed(world, in_council):
    election = make_election(world, {"Parents": 3, "Staff": 2}, term_years=4)
    parents = [stand(world, election, add_member(world, "Parents", f"Parent {i}")) for i in range(2)]
    staff = [stand(world, election, add_member(world, "Staff", f"Staff {i}")) for i in range(2)]
    lapsed = operations.nominate(
        election,
        seat_of(world, election, "Parents"),
        nominator=add_member(world, "Parents", "Nominator"),
        candidate=add_member(world, "Parents", "Never Agreed"),
        statement="",
        by=None,
    )
    db.session.commit()
    close_nominations(world, election)
    outcomes = operations.start_poll(election, by=world.secretary)
    db.session.commit()
    assert set(outcomes.values()) == {SeatOutcome.UNOPPOSED}
    assert _count(Ballot) == 0  # no ballot for anyone
    assert election.status is ElectionStatus.DECLARED and election.declared_at is not None
    assert lapsed.status is NominationStatus.WITHDRAWN
    assert all(n.result is CandidateResult.ELECTED_UNOPPOSED for n in parents + staff)
    body = db.session.scalars(select(BodyMember)).all()
    assert sorted(b.member_id for b in body) == sorted(n.member_id for n in parents + staff)
    assert all(b.unopposed and b.body_name == "Stakeholder forum" for b in body)
    assert all(b.term_ends_on == b.term_starts_on.replace(year=b.term_starts_on.year + 4) for b in body)


def test_a_constituency_nobody_stands_in_stays_empty(world, in_council):
    election = make_election(world, {"Parents": 1, "Community": 2})
    stand(world, election, add_member(world, "Parents", "Solo Parent"))
    close_nominations(world, election)
    operations.start_poll(election, by=world.secretary)
    assert seat_of(world, election, "Community").outcome is SeatOutcome.UNFILLED
    assert seat_of(world, election, "Parents").outcome is SeatOutcome.UNOPPOSED


def test_officers_withdraw_with_a_reason(world, in_council):
    election = make_election(world)
    nomination = stand(world, election, add_member(world, "Parents", "Rude Rob"), accept=False)
    with pytest.raises(operations.ElectionError) as refused:
        operations.withdraw(election, nomination, reason="", by=world.secretary, by_officer=True)
    assert refused.value.field == "reason"
    operations.withdraw(
        election, nomination, reason="The statement names a child.", by=world.secretary, by_officer=True
    )
    assert nomination.status is NominationStatus.WITHDRAWN
    assert nomination.withdrawn_reason == "The statement names a child."
    with pytest.raises(operations.WrongMomentError):
        operations.accept(election, nomination, by=world.secretary)
