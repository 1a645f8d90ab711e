"""The ballot lifecycle: legal and illegal moves, the freeze at opening, the scheduler's job."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.operations import verify_chain
from app.extensions import db
from app.voting import operations, rules, timing
from app.voting.models import Ballot, BallotKind, BallotOption, BallotStatus
from tenants.context import council_context
from tests.voting.app.conftest import build_ballot

S = BallotStatus


def _events(ballot_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == str(ballot_id)).order_by(AuditEvent.seq))
    )


LEGAL = [
    (S.DRAFT, S.SCHEDULED),
    (S.DRAFT, S.OPEN),
    (S.SCHEDULED, S.DRAFT),
    (S.SCHEDULED, S.OPEN),
    (S.OPEN, S.CLOSED),
    (S.CLOSED, S.COUNTED),
    (S.COUNTED, S.PUBLISHED),
]


@pytest.mark.parametrize("start", list(S))
@pytest.mark.parametrize("to", list(S))
def test_transition_allows_exactly_the_lifecycle_moves(db, world, start, to):
    with council_context(world.council.id):
        ballot = Ballot(
            title="T", kind=BallotKind.APPROVAL, method="approval", parameters={}, electorate={}, status=start
        )
        db.session.add(ballot)
        db.session.flush()
        if (start, to) in LEGAL:
            operations.transition(ballot, to)
            assert ballot.status is to
        else:
            with pytest.raises(operations.IllegalTransitionError) as refused:
                operations.transition(ballot, to)
            assert ballot.status is start
            assert "cannot become" in refused.value.message


def test_transition_stamps_the_first_time_each_state_is_reached(db, world):
    with council_context(world.council.id):
        ballot = Ballot(title="T", kind=BallotKind.APPROVAL, method="approval", parameters={}, electorate={})
        db.session.add(ballot)
        db.session.flush()
        for to in (S.OPEN, S.CLOSED, S.COUNTED, S.PUBLISHED):
            operations.transition(ballot, to)
        assert ballot.opened_at and ballot.closed_at and ballot.published_at
        assert ballot.opened_at <= ballot.closed_at <= ballot.published_at


def test_every_state_change_is_in_the_audit_chain(db, world, make_ballot):
    ballot = make_ballot(BallotKind.APPROVAL)
    with council_context(world.council.id):
        operations.close_ballot(ballot, world.admin)
        actions = [e.action for e in _events(ballot.id)]
        assert actions[0] == "ballot.created"
        assert "ballot.rules_updated" in actions and "ballot.option_added" in actions
        assert actions[-2:] == ["ballot.opened", "ballot.closed"]
        assert all(e.actor_user_id == world.admin.id for e in _events(ballot.id))
        assert verify_chain().ok


def test_opening_freezes_the_rules_and_hashes_them(db, world, make_ballot):
    ballot = make_ballot(BallotKind.PB)
    with council_context(world.council.id):
        options = operations.ballot_options(ballot)
        assert ballot.status is S.OPEN
        assert ballot.rules_version == rules.rules_version(ballot, options)
        document = rules.rules_document(ballot, options)
        assert document["options"] == [
            {"key": "p1", "cost": 600_000},
            {"key": "p2", "cost": 300_000},
            {"key": "p3", "cost": 200_000},
        ]
        assert document["parameters"] == {"budget_pence": 1_000_000, "utility": "cost"}
        assert ballot.electorate_size == 3  # the three residents
        assert ballot.tie_break_seed is None
        opened = _events(ballot.id)[-1]
        assert opened.action == "ballot.opened"
        assert opened.payload["rules_version"] == ballot.rules_version
        assert opened.payload["electorate_size"] == 3


def test_a_lot_draws_a_seed_and_the_audit_chain_commits_to_it_without_revealing_it(db, world, make_ballot):
    ballot = make_ballot(BallotKind.APPROVAL, tie_break_rule="lot")
    with council_context(world.council.id):
        assert ballot.tie_break_seed and len(ballot.tie_break_seed) == 32
        opened = _events(ballot.id)[-1]
        assert opened.payload["seed_sha256"] == hashlib.sha256(ballot.tie_break_seed.encode()).hexdigest()
        assert ballot.tie_break_seed not in str(opened.payload)
        other = make_ballot(BallotKind.APPROVAL, tie_break_rule="lot")
        assert other.tie_break_seed != ballot.tie_break_seed


CHANGES = {
    "options": lambda b, by: operations.add_option(b, title="Late entry", by=by),
    "option edit": lambda b, by: operations.update_option(operations.ballot_options(b)[0], b, title="Renamed", by=by),
    "option removal": lambda b, by: operations.remove_option(operations.ballot_options(b)[0], b, by=by),
    "option order": lambda b, by: operations.move_option(operations.ballot_options(b)[0], b, "down", by=by),
    "seats": lambda b, by: operations.update_rules(
        b, method="approval", parameters={"seats": 3, "max_approvals": 2}, tie_break_rule="lexicographic", by=by
    ),
    "maximum choices": lambda b, by: operations.update_rules(
        b, method="approval", parameters={"seats": 2, "max_approvals": 4}, tie_break_rule="lexicographic", by=by
    ),
    "tie-break": lambda b, by: operations.update_rules(
        b, method="approval", parameters={"seats": 2, "max_approvals": 2}, tie_break_rule="lot", by=by
    ),
    "eligibility": lambda b, by: operations.update_electorate(b, {"type": "everyone_with_role_in_council"}, by=by),
    "details": lambda b, by: operations.update_details(
        b, title="New title", description="", kind=BallotKind.APPROVAL, module="priorities", by=by
    ),
    "window": lambda b, by: operations.update_window(
        b, opens_at=None, closes_at=timing.now() + timedelta(days=30), by=by
    ),
}


@pytest.mark.parametrize("status", [S.OPEN, S.CLOSED, S.COUNTED, S.PUBLISHED])
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_after_opening_is_refused_recorded_and_leaves_the_rules_version(
    db, world, make_ballot, status, change
):
    ballot = make_ballot(BallotKind.APPROVAL)
    with council_context(world.council.id):
        for step in (S.CLOSED, S.COUNTED, S.PUBLISHED):
            if ballot.status is not status:
                operations.transition(ballot, step)
        frozen = (ballot.rules_version, dict(ballot.parameters), dict(ballot.electorate), ballot.title)
        keys = [(o.key, o.title, o.position) for o in operations.ballot_options(ballot)]
        before = len(_events(ballot.id))
        with pytest.raises(operations.BallotFrozenError) as refused:
            CHANGES[change](ballot, world.officer)
        assert "fixed" in refused.value.message or "no longer change" in refused.value.message
        db.session.expire_all()
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot.id))
        assert (ballot.rules_version, ballot.parameters, ballot.electorate, ballot.title) == frozen
        assert [(o.key, o.title, o.position) for o in operations.ballot_options(ballot)] == keys
        assert ballot.rules_version == rules.rules_version(ballot, operations.ballot_options(ballot))
        events = _events(ballot.id)
        assert len(events) == before + 1
        assert events[-1].action == "ballot.change_refused"
        assert events[-1].actor_user_id == world.officer.id
        assert events[-1].payload["status"] == status.value


def test_drafts_and_scheduled_ballots_can_still_change(db, world, make_ballot):
    ballot = make_ballot(BallotKind.APPROVAL, open_it=False)
    with council_context(world.council.id):
        operations.update_window(
            ballot, opens_at=timing.now() + timedelta(hours=1), closes_at=timing.now() + timedelta(days=2), by=None
        )
        operations.schedule_ballot(ballot, by=world.admin)
        assert ballot.status is S.SCHEDULED
        operations.add_option(ballot, title="Extra option", by=world.admin)
        assert [o.key for o in operations.ballot_options(ballot)][-1] == "extra-option"


def test_scheduling_needs_a_ready_ballot_and_a_window_in_the_future(db, world):
    with council_context(world.council.id):
        ballot = operations.create_ballot(
            title="Empty", description="", kind=BallotKind.APPROVAL, module=None, by=world.admin
        )
        with pytest.raises(operations.BallotNotReadyError) as refused:
            operations.schedule_ballot(ballot, by=world.admin)
        problems = refused.value.problems
        assert "Add at least 2 options; it has 0" in problems
        assert "Set when voting opens" in problems
        assert "Set when voting closes" in problems
        assert ballot.status is S.DRAFT

        for title in ("One", "Two"):
            operations.add_option(ballot, title=title, by=world.admin)
        past = timing.now() - timedelta(hours=1)
        operations.update_window(ballot, opens_at=past, closes_at=timing.now() + timedelta(days=1), by=None)
        with pytest.raises(operations.BallotNotReadyError) as refused:
            operations.schedule_ballot(ballot, by=world.admin)
        assert refused.value.problems == ["The opening time must be in the future"]


def test_opening_now_needs_a_closing_time_in_the_future(db, world, make_ballot):
    ballot = make_ballot(BallotKind.RANKED, open_it=False)
    with council_context(world.council.id):
        operations.update_window(ballot, opens_at=None, closes_at=None, by=None)
        with pytest.raises(operations.BallotNotReadyError) as refused:
            operations.open_ballot(ballot, by=world.admin)
        assert refused.value.problems == ["Set when voting closes"]
        assert ballot.status is S.DRAFT and ballot.rules_version is None


@pytest.mark.parametrize(
    ("kind", "parameters", "problem"),
    [
        (BallotKind.APPROVAL, {"seats": 5, "max_approvals": None}, "There are 5 seats or winners but only 4 options"),
        (BallotKind.PB, {"budget_pence": 0, "utility": "cost"}, "Set the budget"),
        (BallotKind.DIVISION, {"budget_pence": 50_000}, "The floors add up to more than the budget"),
    ],
)
def test_rules_that_do_not_fit_the_options_stop_it_opening(db, world, make_ballot, kind, parameters, problem):
    ballot = make_ballot(kind, open_it=False)
    with council_context(world.council.id):
        method = rules.default_method(kind)
        operations.update_rules(ballot, method=method, parameters=parameters, tie_break_rule="lexicographic", by=None)
        with pytest.raises(operations.BallotNotReadyError) as refused:
            operations.open_ballot(ballot)
        assert problem in refused.value.problems


@pytest.mark.parametrize(
    ("kind", "method", "parameters", "message"),
    [
        (BallotKind.APPROVAL, "stv", {"seats": 1}, "cannot count this kind of ballot"),
        (BallotKind.RANKED, "irv", {"seats": 2}, "Instant runoff elects one person"),
        (BallotKind.PB, "mes", {"budget_pence": 100, "utility": "happiness"}, "satisfaction"),
        (BallotKind.APPROVAL, "approval", {"seats": 0}, "must be a whole number from 1 to 1,000"),
        (BallotKind.RESOLUTION, "resolution", {"threshold": "most", "base": "votes_cast"}, "majority"),
    ],
)
def test_parameters_must_fit_the_kind(kind, method, parameters, message):
    with pytest.raises(rules.RulesError) as refused:
        rules.check_parameters(kind, method, parameters)
    assert message in refused.value.message


def test_methods_per_kind():
    assert rules.methods_for(BallotKind.APPROVAL) == ("approval",)
    assert rules.methods_for(BallotKind.RANKED) == ("irv", "stv", "meek")
    assert rules.methods_for(BallotKind.PB) == ("greedy", "mes", "mes-add1")
    assert rules.methods_for(BallotKind.DIVISION) == ("mean", "markets")
    assert rules.methods_for(BallotKind.RESOLUTION) == ("resolution",)


def test_closing_is_idempotent_and_refuses_a_draft(db, world, make_ballot):
    ballot = make_ballot(BallotKind.RESOLUTION)
    with council_context(world.council.id):
        assert operations.close_ballot(ballot, world.admin) is True
        assert operations.close_ballot(ballot, world.admin) is False
        assert [e.action for e in _events(ballot.id)].count("ballot.closed") == 1
        closed = _events(ballot.id)[-1]
        assert closed.payload == {"early": True, "participation": 0, "papers": 0}
        draft = make_ballot(BallotKind.RESOLUTION, open_it=False)
        with pytest.raises(operations.IllegalTransitionError):
            operations.close_ballot(draft)


def test_the_scheduler_opens_and_closes_ballots_on_time(db, world, make_ballot):
    with council_context(world.council.id):
        due = make_ballot(BallotKind.APPROVAL, open_it=False, title="Due")
        later = make_ballot(BallotKind.APPROVAL, open_it=False, title="Later")
        for ballot, opens_in in ((due, timedelta(minutes=1)), (later, timedelta(hours=2))):
            operations.update_window(
                ballot, opens_at=timing.now() + opens_in, closes_at=timing.now() + timedelta(hours=3), by=None
            )
            operations.schedule_ballot(ballot, by=world.admin)
        ending = make_ballot(BallotKind.RANKED, title="Ending", closes_in=timedelta(minutes=1))

        assert operations.advance_due_ballots() == {"opened": [], "closed": [], "not_ready": []}
        soon = timing.now() + timedelta(minutes=2)
        done = operations.advance_due_ballots(now=soon)
        assert done == {"opened": [due.id], "closed": [ending.id], "not_ready": []}
        assert due.status is S.OPEN and due.rules_version and later.status is S.SCHEDULED
        assert ending.status is S.CLOSED
        assert operations.advance_due_ballots(now=soon) == {"opened": [], "closed": [], "not_ready": []}
        opened = [e for e in _events(due.id) if e.action == "ballot.opened"]
        assert opened[0].payload["trigger"] == "schedule" and opened[0].actor_user_id is None
        closed = next(e for e in _events(ending.id) if e.action == "ballot.closed")
        assert closed.payload["early"] is False


def test_a_scheduled_ballot_that_is_no_longer_ready_goes_back_to_draft(db, world, make_ballot):
    with council_context(world.council.id):
        ballot = make_ballot(BallotKind.APPROVAL, open_it=False)
        operations.update_window(
            ballot, opens_at=timing.now() + timedelta(minutes=1), closes_at=timing.now() + timedelta(hours=3), by=None
        )
        operations.schedule_ballot(ballot, by=world.admin)
        for option in operations.ballot_options(ballot)[1:]:
            operations.remove_option(option, ballot, by=world.admin)
        done = operations.advance_due_ballots(now=timing.now() + timedelta(minutes=2))
        assert done["not_ready"] == [ballot.id]
        assert ballot.status is S.DRAFT
        assert _events(ballot.id)[-1].action == "ballot.open_failed"


def test_another_councils_ballots_are_not_advanced(db, world, create_user):
    other = build_ballot(world.other_council.id, BallotKind.APPROVAL, module=None, closes_in=timedelta(minutes=1))
    with council_context(world.council.id):
        assert operations.advance_due_ballots(now=timing.now() + timedelta(minutes=5))["closed"] == []
    with council_context(world.other_council.id):
        assert operations.advance_due_ballots(now=timing.now() + timedelta(minutes=5))["closed"] == [other.id]


def test_option_keys_are_made_from_titles_and_must_be_unique(db, world, make_ballot):
    ballot = make_ballot(BallotKind.APPROVAL, open_it=False)
    with council_context(world.council.id):
        made = operations.add_option(ballot, title="Allotments!", by=None)
        assert made.key == "allotments"
        again = operations.add_option(ballot, title="Allotments", by=None)
        assert again.key == "allotments-2"
        with pytest.raises(operations.OptionError) as refused:
            operations.add_option(ballot, title="Clash", key="a", by=None)
        assert refused.value.field == "key"
        with pytest.raises(operations.OptionError) as refused:
            operations.add_option(ballot, title="Bad", key="has space", by=None)
        assert refused.value.field == "key"


def test_options_move_and_keep_their_order_on_removal(db, world, make_ballot):
    ballot = make_ballot(BallotKind.RANKED, open_it=False)
    with council_context(world.council.id):
        ada, _ben, cy = operations.ballot_options(ballot)
        operations.move_option(cy, ballot, "up", by=None)
        assert [o.key for o in operations.ballot_options(ballot)] == ["ada", "cy", "ben"]
        operations.move_option(ada, ballot, "up", by=None)  # already first: nothing happens
        operations.remove_option(cy, ballot, by=None)
        assert [(o.key, o.position) for o in operations.ballot_options(ballot)] == [("ada", 1), ("ben", 2)]
        assert db.session.scalar(select(BallotOption).where(BallotOption.key == "cy")) is None


def test_division_floors_and_ceilings_follow_their_lines(db, world, make_ballot):
    ballot = make_ballot(BallotKind.DIVISION, open_it=False)
    with council_context(world.council.id):
        assert ballot.parameters["floors"] == {"clubs": 100_000}
        assert ballot.parameters["ceilings"] == {"arts": 500_000}
        clubs = operations.ballot_options(ballot)[0]
        operations.update_option(clubs, ballot, title="Youth clubs", key="youth", floor_pence=200_000, by=None)
        assert ballot.parameters["floors"] == {"youth": 200_000}
        arts = operations.ballot_options(ballot)[2]
        operations.remove_option(arts, ballot, by=None)
        assert ballot.parameters["ceilings"] == {}


def test_the_minute_job_is_registered_for_every_council():
    from workers.jobs.voting import advance_ballots
    from workers.periodic import periodic_jobs

    (entry,) = [p for p in periodic_jobs() if p.func is advance_ballots]
    assert entry.every == timedelta(minutes=1)
    assert entry.spec.needs_council and entry.spec.queue == "periodic"
