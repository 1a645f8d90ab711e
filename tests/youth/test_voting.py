"""Opening youth voting per neighbourhood, and reading back what each published ballot funded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.voting.models import Ballot, BallotKind, BallotStatus
from app.youth import voting
from app.youth.models import Phase, VoteKind, YouthBallot
from app.youth.operations import PhaseError, YouthError, phase_of
from tests.youth.conftest import build_round, finish_ballot, make_voter, reviewed_round


def test_pb_voting_opens_one_equal_shares_ballot_per_neighbourhood(world, in_council):
    round_, proposals = reviewed_round(world)
    links = voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)
    db.session.commit()
    assert len(links) == 2
    ballots = voting.round_ballots(round_)
    first = ballots[world.neighbourhoods[0].id]
    assert first.kind is BallotKind.PB and first.method == "mes-add1" and first.module == "youth"
    assert first.status is BallotStatus.OPEN
    assert first.parameters["budget_pence"] == 5_000_000
    assert first.electorate == {
        "type": "verified_residents",
        "neighbourhood_ids": [world.neighbourhoods[0].id],
        "min_age": 11,
        "max_age": 25,
    }
    from app.voting.counting import ballot_options

    assert {(o.key, o.cost_pence) for o in ballot_options(first)} == {
        (f"youth-{p.id}", p.estimated_cost_pence) for p in proposals[:3]
    }
    assert phase_of(round_) is Phase.VOTING
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "youth.voting_opened")) is not None


def test_voting_is_refused_without_accepted_proposals_or_budget(world, in_council):
    round_ = build_round(world, Phase.REVIEW)
    with pytest.raises(PhaseError) as refused:
        voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)
    assert refused.value.status == 409 and "accepted proposals" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(YouthBallot.id)) is None
    assert db.session.scalar(select(Ballot.id)) is None

    round_.phase_override = Phase.PROPOSALS
    from app.youth.operations import set_budgets

    set_budgets(round_, {n.id: None for n in world.neighbourhoods}, by=world.officer)
    with pytest.raises(PhaseError) as refused:
        voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)
    assert "budget" in refused.value.message


def test_voting_opens_once_and_needs_k_for_pick_up_to_k(world, in_council):
    round_, _proposals = reviewed_round(world)
    with pytest.raises(YouthError) as bad:
        voting.open_voting(round_, vote_kind=VoteKind.APPROVAL, max_picks=None, by=world.officer)
    assert bad.value.field == "max_picks"
    voting.open_voting(round_, vote_kind=VoteKind.APPROVAL, max_picks=2, by=world.officer)
    db.session.commit()
    ballots = voting.round_ballots(round_)
    # The second neighbourhood has one proposal only: too few to pick from, so no ballot.
    assert list(ballots) == [world.neighbourhoods[0].id]
    assert ballots[world.neighbourhoods[0].id].parameters == {"seats": 2, "max_approvals": 2}
    with pytest.raises(PhaseError):
        voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)


def test_division_ballot_uses_the_officers_floors_and_ceilings(world, in_council):
    round_, _proposals = reviewed_round(world)
    services = {s.name: s for s, _p in __import__("app.youth.queries", fromlist=["services"]).services(round_)}
    with pytest.raises(YouthError):
        voting.open_voting(
            round_,
            vote_kind=VoteKind.DIVISION,
            bounds={services["Sport"].id: (500_000, 100_000)},
            by=world.officer,
        )
    db.session.rollback()
    voting.open_voting(
        round_,
        vote_kind=VoteKind.DIVISION,
        bounds={services["Sport"].id: (500_000, None), services["Arts"].id: (None, 1_000_000)},
        by=world.officer,
    )
    db.session.commit()
    ballot = voting.round_ballots(round_)[world.neighbourhoods[0].id]
    assert ballot.kind is BallotKind.DIVISION and ballot.method == "markets"
    sport, arts = f"service-{services['Sport'].id}", f"service-{services['Arts'].id}"
    assert ballot.parameters["floors"] == {sport: 500_000}
    assert ballot.parameters["ceilings"] == {arts: 1_000_000}


def test_floors_above_the_budget_refuse_and_write_nothing(world, in_council):
    round_, _proposals = reviewed_round(world)
    from app.youth.queries import services

    sport = next(s for s, _p in services(round_) if s.name == "Sport")
    with pytest.raises(PhaseError) as refused:
        voting.open_voting(round_, vote_kind=VoteKind.DIVISION, bounds={sport.id: (4_000_000, None)}, by=world.officer)
    assert "could not open" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(Ballot.id)) is None


def test_published_equal_shares_result_funds_proposals(world, in_council):
    round_, proposals = reviewed_round(world)
    football, boxing, dance = proposals[:3]
    voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)
    db.session.commit()
    ballot_id = voting.round_ballots(round_)[world.neighbourhoods[0].id].id
    # Six like football and boxing; four like dance only. Greedy funds football and boxing;
    # Equal Shares gives the dance group its share.
    papers = [(make_voter(world), [f"youth-{football.id}", f"youth-{boxing.id}"]) for _ in range(6)]
    papers += [(make_voter(world), [f"youth-{dance.id}"]) for _ in range(4)]
    finish_ballot(world, ballot_id, papers)
    outcome = voting.outcomes(round_)[world.neighbourhoods[0].id]
    assert outcome.published
    assert dance.id in outcome.funded_proposal_ids
    assert {p.id for p in voting.funded_proposals(round_)} == set(outcome.funded_proposal_ids)
    assert not voting.all_published(round_)  # the second neighbourhood's ballot is still open


def test_young_voter_outside_the_age_range_is_refused(world, in_council):
    from app.voting import operations as ballot_ops

    round_, proposals = reviewed_round(world)
    voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)
    db.session.commit()
    ballot = voting.round_ballots(round_)[world.neighbourhoods[0].id]
    too_old = make_voter(world, age=40)
    elsewhere = make_voter(world, neighbourhood=1)
    for person in (too_old, elsewhere):
        with pytest.raises(ballot_ops.NotEligibleError):
            ballot_ops.cast_vote(ballot, person, [f"youth-{proposals[0].id}"])
        db.session.rollback()
