"""Youth operations: phases from dates and overrides, validation, phase rules, moderation, audit, and the vote hook."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.voting import operations as voting_operations
from app.voting.models import BallotKind
from app.youth import operations
from app.youth.models import Phase, ProposalStatus, YouthBudget, YouthProposal, YouthRound, YouthServiceType
from app.youth.phases import current_phase, phase_from_dates
from tests.youth.conftest import build_proposal, build_round, dates_for, operations_services


@pytest.fixture(autouse=True)
def _inside(in_council):
    """Operations run in the council's context."""


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


@pytest.mark.parametrize("phase", list(Phase))
def test_the_dates_put_a_round_in_each_phase(world, phase):
    round_ = YouthRound(**dates_for(phase, date(2027, 3, 1)))
    assert phase_from_dates(round_, date(2027, 3, 1)) is phase


def test_a_phase_starts_on_its_day_and_the_override_wins():
    round_ = YouthRound(**dates_for(Phase.UPCOMING, date(2027, 3, 1)))
    assert phase_from_dates(round_, round_.proposals_open_on - timedelta(days=1)) is Phase.UPCOMING
    assert phase_from_dates(round_, round_.proposals_open_on) is Phase.PROPOSALS
    assert phase_from_dates(round_, round_.delivery_on + timedelta(days=400)) is Phase.DELIVERY
    round_.phase_override = Phase.REVIEW
    assert current_phase(round_, date(2027, 3, 1)) is Phase.REVIEW


def test_a_new_round_gets_the_default_catalogue_and_is_audited(world):
    round_ = operations.create_round(title="  Round one ", dates=dates_for(Phase.PROPOSALS), by=world.officer)
    assert round_.title == "Round one" and round_.min_age is None and round_.max_age is None
    names = set(db.session.scalars(select(YouthServiceType.name).where(YouthServiceType.round_id == round_.id)))
    assert {"Youth club sessions", "Sport", "Arts", "Mentoring", "Detached youth work", "Careers advice"} == names
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "youth.round_created")).one()
    assert event.actor_user_id == world.officer.id and event.subject_id == str(round_.id)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": " "}, "title", "Enter a title"),
        ({"min_age": 30, "max_age": 11}, "max_age", "The youngest age must not be more than the oldest age"),
        ({"min_age": 200}, "min_age", "Ages must be between 0 and 120"),
        ({"swap": True}, "voting_opens_on", "The voting phase must start on or after the officer review phase"),
        ({"missing": "results_on"}, "results_on", "Enter the date the results phase starts"),
    ],
)
def test_bad_rounds_are_refused_with_the_field_and_nothing_is_written(world, change, field, message):
    dates = dates_for(Phase.PROPOSALS)
    if change.pop("swap", False):
        dates["voting_opens_on"] = dates["review_opens_on"] - timedelta(days=1)
    if "missing" in change:
        dates[change.pop("missing")] = None
    values = {"title": "Round", "min_age": None, "max_age": None, **change}
    with pytest.raises(operations.YouthError) as caught:
        operations.create_round(dates=dates, by=world.admin, **values)
    assert caught.value.field == field and caught.value.message == message
    assert _count(YouthRound) == 0 and _count(YouthServiceType) == 0


def test_budgets_are_set_changed_and_removed_and_foreign_neighbourhoods_refused(world):
    round_ = build_round(world)
    a, b = (n.id for n in world.neighbourhoods)
    changed = operations.set_budgets(round_, {a: 6_000_000, b: None}, by=world.officer)
    assert changed == {a: 6_000_000, b: 0}
    amounts = dict(db.session.execute(select(YouthBudget.neighbourhood_id, YouthBudget.amount_pence)).all())
    assert amounts == {a: 6_000_000}
    with pytest.raises(operations.YouthError):
        operations.set_budgets(round_, {a: 1, 9_000_001: 100}, by=world.officer)
    with pytest.raises(operations.YouthError):
        operations.set_budgets(round_, {a: -5}, by=world.officer)
    assert dict(db.session.execute(select(YouthBudget.neighbourhood_id, YouthBudget.amount_pence)).all()) == amounts


@pytest.mark.parametrize("phase", [Phase.VOTING, Phase.RESULTS, Phase.DELIVERY])
def test_budgets_catalogue_and_decisions_are_fixed_once_voting_opens(world, phase):
    round_ = build_round(world, Phase.PROPOSALS)
    proposal = build_proposal(world, round_)
    round_.phase_override = phase
    db.session.flush()
    with pytest.raises(operations.PhaseError, match="Voting has opened"):
        operations.set_budgets(round_, {world.neighbourhoods[0].id: 1}, by=world.officer)
    with pytest.raises(operations.PhaseError):
        operations.save_service_type(
            round_, None, name="Chess", provider_id=None, unit_cost_pence=100, by=world.officer
        )
    with pytest.raises(operations.PhaseError):
        operations.decide_proposal(
            round_, proposal, decision=ProposalStatus.ACCEPTED, reason="", estimated_sessions=10, by=world.officer
        )
    assert operations.PhaseError.status == 409
    assert db.session.scalar(select(YouthProposal.status)) is ProposalStatus.SUBMITTED


@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.REVIEW, Phase.VOTING, Phase.DELIVERY])
def test_proposals_are_taken_only_in_the_proposals_phase(world, phase):
    round_ = build_round(world, phase)
    with pytest.raises(operations.PhaseError, match="not taking proposals"):
        build_proposal(world, round_)
    assert _count(YouthProposal) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"description": "   "}, "description"),
        ({"audience": ""}, "audience"),
        ({"sessions_wanted": 0}, "sessions_wanted"),
        ({"sessions_wanted": None}, "sessions_wanted"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_proposals_are_refused_on_their_field(world, change, field):
    round_ = build_round(world)
    with pytest.raises(operations.YouthError) as caught:
        build_proposal(world, round_, **change)
    assert caught.value.field == field
    assert _count(YouthProposal) == 0


def test_a_proposal_must_name_a_neighbourhood_and_service_of_the_round(world):
    round_ = build_round(world)
    other = build_round(world, title="Another round")
    foreign_service = operations_services(other)["Arts"]
    with pytest.raises(operations.YouthError) as caught:
        build_proposal(world, round_, service_type_id=foreign_service)
    assert caught.value.field == "service_type_id"
    operations.set_budgets(round_, {world.neighbourhoods[1].id: None}, by=world.admin)
    with pytest.raises(operations.YouthError) as caught:
        build_proposal(world, round_, neighbourhood=1)
    assert caught.value.field == "neighbourhood_id"


def test_moderation_accepts_with_a_cost_and_rejects_only_with_a_reason(world):
    round_ = build_round(world)
    proposal = build_proposal(world, round_)
    with pytest.raises(operations.YouthError) as caught:
        operations.decide_proposal(
            round_, proposal, decision=ProposalStatus.REJECTED, reason="  ", estimated_sessions=None, by=world.officer
        )
    assert caught.value.field == "reason"
    with pytest.raises(operations.YouthError) as caught:
        operations.decide_proposal(
            round_, proposal, decision=ProposalStatus.ACCEPTED, reason="", estimated_sessions=None, by=world.officer
        )
    assert caught.value.field == "estimated_sessions"
    db.session.refresh(proposal)
    assert proposal.status is ProposalStatus.SUBMITTED

    round_.phase_override = Phase.REVIEW
    operations.decide_proposal(
        round_,
        proposal,
        decision=ProposalStatus.ACCEPTED,
        reason="Popular and doable",
        feasibility="Pitch free Fridays",
        estimated_sessions=30,
        by=world.officer,
    )
    assert proposal.unit_cost_pence == 30_000 and proposal.estimated_cost_pence == 900_000
    assert proposal.decided_by_id == world.officer.id and proposal.decided_at is not None
    operations.decide_proposal(
        round_,
        proposal,
        decision=ProposalStatus.REJECTED,
        reason="No coach available",
        estimated_sessions=None,
        by=world.admin,
    )
    assert proposal.status is ProposalStatus.REJECTED and proposal.decision_reason == "No coach available"
    assert _actions().count("youth.proposal_decided") == 2


def test_accepted_proposals_are_ready_to_become_pb_ballot_options(world):
    round_ = build_round(world)
    football = build_proposal(world, round_)
    mentoring = build_proposal(
        world, round_, title="Mentors", service_type_id=operations_services(round_)["Mentoring"], sessions_wanted=100
    )
    elsewhere = build_proposal(world, round_, title="Clapham arts", neighbourhood=1)
    rejected = build_proposal(world, round_, title="Not this one")
    for proposal, sessions in ((football, 40), (mentoring, 100), (elsewhere, 20)):
        operations.decide_proposal(
            round_, proposal, decision=ProposalStatus.ACCEPTED, reason="", estimated_sessions=sessions, by=world.officer
        )
    operations.decide_proposal(
        round_,
        rejected,
        decision=ProposalStatus.REJECTED,
        reason="Duplicate",
        estimated_sessions=None,
        by=world.officer,
    )
    grouped = operations.accepted_proposals(round_)
    brixton, clapham = (n.id for n in world.neighbourhoods)
    assert [(p.title, p.cost_pence) for p in grouped[brixton]] == [
        ("Friday night football", 1_200_000),
        ("Mentors", 600_000),
    ]
    assert [p.key for p in grouped[clapham]] == [f"youth-{elsewhere.id}"]

    # The hook's output goes straight into a PB ballot through the voting operations.
    ballot = voting_operations.create_ballot(
        title="Brixton Hill youth services", description="", kind=BallotKind.PB, module="youth", by=world.officer
    )
    for spec in operations.ballot_option_specs(round_, brixton):
        voting_operations.add_option(ballot, by=world.officer, **spec)
    options = voting_operations.ballot_options(ballot)
    assert [(o.key, o.cost_pence) for o in options] == [
        (f"youth-{football.id}", 1_200_000),
        (f"youth-{mentoring.id}", 600_000),
    ]


def test_providers_and_services_are_validated_and_audited(world):
    round_ = build_round(world)
    provider = operations.save_provider(
        None, name="Lambeth Sports Trust", contact="hello@example.org", by=world.officer
    )
    with pytest.raises(operations.YouthError, match="already a provider"):
        operations.save_provider(None, name="Lambeth Sports Trust", by=world.officer)
    service = operations.save_service_type(
        round_, None, name="Boxing", description="", provider_id=provider.id, unit_cost_pence=27_500, by=world.officer
    )
    assert service.provider_id == provider.id
    with pytest.raises(operations.YouthError) as caught:
        operations.save_service_type(round_, None, name="Sport", provider_id=None, unit_cost_pence=1, by=world.officer)
    assert caught.value.field == "name"
    with pytest.raises(operations.YouthError) as caught:
        operations.save_service_type(
            round_, service, name="Boxing", provider_id=9_000_001, unit_cost_pence=1, by=world.officer
        )
    assert caught.value.field == "provider_id"
    with pytest.raises(operations.YouthError) as caught:
        operations.save_service_type(
            round_, service, name="Boxing", provider_id=None, unit_cost_pence=None, by=world.officer
        )
    assert caught.value.field == "unit_cost"
    assert {"youth.provider_added", "youth.service_added"} <= set(_actions())


def test_who_may_vote_is_fixed_once_voting_opens(world):
    round_ = build_round(world, Phase.VOTING)
    values = {"title": round_.title, "dates": dates_for(Phase.VOTING), "by": world.admin}
    with pytest.raises(operations.PhaseError):
        operations.update_round(round_, min_age=None, max_age=None, **values)
    operations.update_round(round_, min_age=11, max_age=25, phase_override=Phase.RESULTS, **values)
    assert round_.phase_override is Phase.RESULTS
