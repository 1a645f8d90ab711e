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


def test_budget_division_funds_proposals_within_each_types_share_cheapest_first():
    # Sport has £300: cheapest first, £100 and £150 fit (£50 left), the second £150 and the £200 do not.
    # Arts has no share, so funds nothing.
    sport, arts = 1, 2
    proposals = [(10, sport, 20_000), (11, sport, 15_000), (12, sport, 15_000), (13, sport, 10_000), (14, arts, 5_000)]
    assert voting.fund_within_shares({sport: 30_000, arts: 0}, proposals) == [11, 13]
    # With £450, the two £150s fit after the £100 (£50 left); the £200 does not.
    assert voting.fund_within_shares({sport: 45_000}, proposals) == [11, 12, 13]
    # No reviewed cost: never funded; a type without a share: nothing.
    assert voting.fund_within_shares({sport: 10_000}, [(20, sport, 0), (21, arts, 1)]) == []


def test_a_published_budget_division_funds_what_fits_in_each_share(world, in_council):
    from app.youth.queries import services

    round_, proposals = reviewed_round(world)
    football, boxing, dance = proposals[:3]  # Sport: £30,000, £15,000 and £15,000
    voting.open_voting(round_, vote_kind=VoteKind.DIVISION, by=world.officer)
    db.session.commit()
    ballot_id = voting.round_ballots(round_)[world.neighbourhoods[0].id].id
    keys = [f"service-{s.id}" for s, _p in services(round_)]
    sport_key = next(f"service-{s.id}" for s, _p in services(round_) if s.name == "Sport")
    others = [k for k in keys if k != sport_key]
    # Every voter gives Sport £30,000 of the £50,000 and shares the rest equally.
    rest = 5_000_000 - 3_000_000
    paper = {sport_key: 3_000_000} | {k: rest // len(others) for k in others}
    paper[others[0]] += rest - sum(paper[k] for k in others)
    finish_ballot(world, ballot_id, [(make_voter(world), paper) for _ in range(3)])
    outcome = voting.outcomes(round_)[world.neighbourhoods[0].id]
    assert outcome.published and outcome.allocation
    funded = {p.id for p in voting.funded_proposals(round_)}
    # Sport's £30,000 funds boxing and dance (£15,000 each, the cheapest); football no longer fits.
    assert {boxing.id, dance.id} <= funded and football.id not in funded
