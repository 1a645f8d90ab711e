"""A whole election: two contested constituencies voted, counted by the engine and declared with round tables.

The winners are checked against the engine's own Scottish STV (and Meek) on
the same papers, counted directly from the method functions.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.governance.elections import operations, queries
from app.governance.elections.models import BodyMember, CandidateResult, ElectionStatus, SeatOutcome
from app.voting import counting
from app.voting import operations as ballot_ops
from app.voting.methods.ranked import RankedBallots, count_meek, count_stv_scottish
from app.voting.models import Ballot, BallotKind, BallotStatus
from tests.governance.elections.conftest import add_member, close_nominations, make_election, stand, user_of

# Papers by candidate name, best first: Parents elect 3 of 5, Staff 2 of 3.
PARENT_PAPERS = (
    [("Ava", "Ben")] * 5
    + [("Ben", "Ava", "Cal")] * 4
    + [("Cal", "Dee")] * 3
    + [("Dee", "Cal")] * 3
    + [("Eli", "Cal", "Dee")] * 2
)
STAFF_PAPERS = [("Fay", "Gus")] * 3 + [("Gus",)] * 2 + [("Hal", "Gus")] * 2


def _ballot_for(world, election, class_name) -> Ballot:
    seat = next(c.seat for c in queries.constituencies(election) if c.name == class_name)
    return queries.ballots(election)[seat.id]


def _run(world, method: str):
    election = make_election(world, {"Parents": 3, "Staff": 2, "Learners": 1, "Community": 1}, method=method)
    candidates = {}
    for name in ("Ava", "Ben", "Cal", "Dee", "Eli"):
        candidates[name] = stand(world, election, add_member(world, "Parents", name), f"{name} for parents.")
    for name in ("Fay", "Gus", "Hal"):
        candidates[name] = stand(world, election, add_member(world, "Staff", name), f"{name} for staff.")
    candidates["Lou"] = stand(world, election, add_member(world, "Learners", "Lou"), "Lou for learners.")
    parent_voters = [add_member(world, "Parents", f"Parent voter {i}") for i in range(len(PARENT_PAPERS))]
    staff_voters = [add_member(world, "Staff", f"Staff voter {i}") for i in range(len(STAFF_PAPERS))]
    ceased = add_member(world, "Parents", "Ceased Cath", ceased=True)
    db.session.commit()
    close_nominations(world, election)

    outcomes = operations.start_poll(election, by=world.secretary)
    db.session.commit()
    by_class = {c.name: c.seat for c in queries.constituencies(election)}
    assert outcomes == {
        by_class["Parents"].id: SeatOutcome.CONTESTED,
        by_class["Staff"].id: SeatOutcome.CONTESTED,
        by_class["Learners"].id: SeatOutcome.UNOPPOSED,
        by_class["Community"].id: SeatOutcome.UNFILLED,
    }
    assert election.status is ElectionStatus.VOTING
    parents, staff = _ballot_for(world, election, "Parents"), _ballot_for(world, election, "Staff")
    for ballot, seats in ((parents, 3), (staff, 2)):
        assert ballot.kind is BallotKind.RANKED and ballot.method == method and ballot.status is BallotStatus.OPEN
        assert ballot.parameters == {"seats": seats} and ballot.module == "schools"
    assert parents.electorate == {
        "type": "society_members",
        "society_id": world.society.id,
        "member_class_ids": [world.classes["Parents"].id],
    }

    key = {name: operations.option_key(n) for name, n in candidates.items()}
    for voter, paper in zip(parent_voters, PARENT_PAPERS, strict=True):
        ballot_ops.cast_vote(parents, user_of(world, voter), [key[n] for n in paper])
        db.session.commit()
    for voter, paper in zip(staff_voters, STAFF_PAPERS, strict=True):
        ballot_ops.cast_vote(staff, user_of(world, voter), [key[n] for n in paper])
        db.session.commit()
    # A ceased member, and a staff member in the parents' ballot, are refused with the reason.
    with pytest.raises(ballot_ops.NotEligibleError) as refused:
        ballot_ops.cast_vote(parents, user_of(world, ceased), [key["Ava"]])
    assert "Your membership ended on" in refused.value.message
    db.session.rollback()
    with pytest.raises(ballot_ops.NotEligibleError) as refused:
        ballot_ops.cast_vote(parents, user_of(world, staff_voters[0]), [key["Ava"]])
    assert "You are a member of another class" in refused.value.message
    db.session.rollback()

    with pytest.raises(operations.WrongMomentError):  # counting waits for the close
        operations.request_counts(election, by=world.secretary)
    with pytest.raises(operations.WrongMomentError):  # declaring waits for the counts
        operations.declare(election, by=world.secretary)
    operations.close_voting(election, by=world.secretary)
    db.session.commit()
    jobs = operations.request_counts(election, by=world.secretary)
    assert len(jobs) == 2
    db.session.commit()
    for ballot in (parents, staff):  # what the queued count jobs run
        counting.run_count(ballot.id)
        db.session.commit()
    operations.declare(election, by=world.secretary)
    db.session.commit()
    return election, candidates, key, parents, staff


def _engine_winners(method, ballot, key, papers, seats):
    """The engine's method functions, counted directly on the same papers and the ballot's candidates."""
    keys = [o.key for o in counting.ballot_options(ballot)]
    ballots = RankedBallots.from_rankings(keys, [tuple(key[n] for n in paper) for paper in papers])
    counter = count_stv_scottish if method == "stv" else count_meek
    return list(counter(ballots, seats).winners)


@pytest.mark.parametrize("method", ["stv", "meek"])
def test_two_constituencies_counted_and_published_with_round_tables(world, in_council, method):
    election, candidates, key, parents, staff = _run(world, method)
    assert election.status is ElectionStatus.DECLARED
    all_keys = {name: key[name] for name in key}
    for ballot, papers, seats in ((parents, PARENT_PAPERS, 3), (staff, STAFF_PAPERS, 2)):
        assert ballot.status is BallotStatus.PUBLISHED
        stored = json.loads(counting.current_result(ballot).document)
        expected = _engine_winners(method, ballot, all_keys, papers, seats)
        assert stored["winners"] == expected
        assert len(stored["rounds"]) > 1  # a round-by-round table, not a single line
    by_key = {operations.option_key(n): name for name, n in candidates.items()}
    elected = {by_key[k] for b in (parents, staff) for k in operations.winners(b)}
    for name, nomination in candidates.items():
        db.session.refresh(nomination)
        if name == "Lou":
            assert nomination.result is CandidateResult.ELECTED_UNOPPOSED
        elif name in elected:
            assert nomination.result is CandidateResult.ELECTED
        else:
            assert nomination.result is CandidateResult.NOT_ELECTED
    body = {m.name: b for b, m in queries.body_members(election)}
    assert set(body) == elected | {"Lou"}
    assert len(body) == 3 + 2 + 1
    assert body["Lou"].unopposed and not any(b.unopposed for n, b in body.items() if n != "Lou")
    declared = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "election.declared", AuditEvent.subject_id == str(election.id))
    )
    assert declared is not None and sorted(declared.payload["elected"]) == sorted(b.member_id for b in body.values())
    assert db.session.scalar(select(BodyMember.election_id).limit(1)) == election.id


def test_the_scottish_count_elects_the_expected_parents(world, in_council):
    """A worked check of the parents' 17 papers: quota 5 (17 / 4, plus 1). Ava has 5 and is elected; Eli (2) is
    excluded and both papers take Cal from 3 to 5, elected; Dee (3) is excluded, her papers find nobody continuing,
    and Ben, the last continuing candidate for the last seat, is deemed elected."""
    _election, candidates, _key, parents, staff = _run(world, "stv")
    names = {operations.option_key(n): name for name, n in candidates.items()}
    assert sorted(names[k] for k in operations.winners(parents)) == ["Ava", "Ben", "Cal"]
    assert sorted(names[k] for k in operations.winners(staff)) == ["Fay", "Gus"]
