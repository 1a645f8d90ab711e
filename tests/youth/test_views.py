"""The youth pages through the app: module switch, who may do what, resident proposals, officer pages, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.youth.models import Phase, ProposalStatus, YouthBudget, YouthProposal, YouthProvider, YouthRound
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.sessions import post
from tests.youth.conftest import build_proposal, build_round, dates_for, operations_services


@pytest.fixture(autouse=True)
def _inside(in_council):
    """Rows the app's commits expired reload in the council's context."""


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _text(response) -> str:
    return response.get_data(as_text=True)


def _proposal_form(world, round_, **change):
    data = {
        "neighbourhood_id": str(world.neighbourhoods[0].id),
        "service_type_id": str(operations_services(round_)["Arts"]),
        "title": "Street art club",
        "description": "Spray-paint murals on the underpass, with an artist.",
        "audience": "13 to 19 year olds",
        "sessions_wanted": "12",
    }
    data.update(change)
    return data


def test_every_youth_page_is_a_404_when_the_module_is_off(world, client_for):
    round_ = build_round(world)
    proposal = build_proposal(world, round_)
    with council_context(world.council.id):
        set_module_enabled("youth", False)
        db.session.commit()
    admin = client_for(world.admin)
    resident = client_for(world.residents[0])
    p = world.prefix
    for url in (
        f"{p}/",
        f"{p}/{round_.id}",
        f"{p}/{round_.id}/propose",
        f"{p}/mine",
        f"{p}/manage",
        f"{p}/manage/new",
        f"{p}/manage/{round_.id}",
        f"{p}/manage/{round_.id}/proposals/{proposal.id}",
        f"{p}/{round_.id}/neighbourhoods/{world.neighbourhoods[0].id}",
    ):
        assert admin.get(url).status_code == 404, url
        assert resident.get(url).status_code == 404, url
    assert post(resident, f"{p}/{round_.id}/propose", _proposal_form(world, round_)).status_code == 404
    assert _count(YouthProposal) == 1


def test_the_public_pages_show_budgets_catalogue_and_accepted_proposals(world, client_for):
    round_ = build_round(world)
    accepted = build_proposal(world, round_, title="Night football")
    waiting = build_proposal(world, round_, title="Secret idea")
    with council_context(world.council.id):
        from app.youth import operations

        round_ = db.session.scalar(select(YouthRound))
        operations.decide_proposal(
            round_,
            db.session.scalar(select(YouthProposal).where(YouthProposal.id == accepted.id)),
            decision=ProposalStatus.ACCEPTED,
            reason="",
            estimated_sessions=20,
            by=world.officer,
        )
        db.session.commit()
    anonymous = client_for(None)
    page = _text(anonymous.get(f"{world.prefix}/{round_.id}"))
    assert "Brixton Hill" in page and "£50,000" in page and "Youth club sessions" in page
    assert "Residents aged 11 to 25" in page
    hood = anonymous.get(f"{world.prefix}/{round_.id}/neighbourhoods/{world.neighbourhoods[0].id}")
    body = _text(hood)
    assert hood.status_code == 200 and "Night football" in body and "£6,000" in body
    assert waiting.title not in body and "2 proposals have been made" in body


def test_a_neighbourhood_without_a_budget_has_no_page_in_the_round(world, client_for):
    round_ = build_round(world)
    with council_context(world.council.id):
        db.session.execute(
            YouthBudget.__table__.delete().where(YouthBudget.neighbourhood_id == world.neighbourhoods[1].id)
        )
        db.session.commit()
    url = f"{world.prefix}/{round_.id}/neighbourhoods/{world.neighbourhoods[1].id}"
    assert client_for(None).get(url).status_code == 404


def test_a_resident_proposes_a_service_and_sees_the_decision_with_the_reason(world, client_for):
    round_ = build_round(world)
    client = client_for(world.residents[0])
    form = client.get(f"{world.prefix}/{round_.id}/propose?neighbourhood={world.neighbourhoods[1].id}")
    assert form.status_code == 200
    assert f'<option value="{world.neighbourhoods[1].id}" selected>' in _text(form)
    sent = post(client, f"{world.prefix}/{round_.id}/propose", _proposal_form(world, round_))
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/youth/mine")
    mine = _text(client.get(f"{world.prefix}/mine"))
    assert "Street art club" in mine and "Waiting for a decision" in mine

    proposal = db.session.scalar(select(YouthProposal))
    assert proposal.proposer_id == world.residents[0].id and proposal.sessions_wanted == 12
    officer = client_for(world.officer)
    review_url = f"{world.prefix}/manage/{round_.id}/proposals/{proposal.id}"
    page = officer.get(review_url)
    assert page.status_code == 200 and "£4,200" in _text(page)  # 12 sessions at £350 asked for
    decided = post(
        officer,
        review_url,
        {"decision": "rejected", "reason": "The underpass is being rebuilt", "estimated_sessions": ""},
    )
    assert decided.status_code == 302
    mine = _text(client.get(f"{world.prefix}/mine"))
    assert "Not accepted" in mine and "The underpass is being rebuilt" in mine
    # Another resident does not see it among their proposals.
    assert "Street art club" not in _text(client_for(world.residents[1]).get(f"{world.prefix}/mine"))
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"youth.proposal_submitted", "youth.proposal_decided"} <= actions


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"sessions_wanted": "lots"}, "How many sessions you would like must be a whole number, like 12"),
        ({"sessions_wanted": "0"}, "Enter a number of sessions between 1 and 10,000"),
        ({"neighbourhood_id": ""}, "Choose a neighbourhood taking part in this round"),
        ({"neighbourhood_id": "9000001"}, "Choose a neighbourhood taking part in this round"),
        ({"service_type_id": "abc"}, "Choose a type of service"),
        ({"audience": ""}, "Enter who the service is for"),
    ],
)
def test_bad_proposals_get_a_message_and_a_400_and_nothing_is_written(world, client_for, change, message):
    round_ = build_round(world)
    response = post(
        client_for(world.residents[0]), f"{world.prefix}/{round_.id}/propose", _proposal_form(world, round_, **change)
    )
    assert response.status_code == 400
    assert message in _text(response) and "There is a problem" in _text(response)
    assert _count(YouthProposal) == 0


def test_proposals_outside_the_proposals_phase_are_refused_with_409(world, client_for):
    round_ = build_round(world, Phase.REVIEW)
    client = client_for(world.residents[0])
    page = client.get(f"{world.prefix}/{round_.id}/propose")
    assert page.status_code == 409 and "This round is not taking proposals" in _text(page)
    assert post(client, f"{world.prefix}/{round_.id}/propose", _proposal_form(world, round_)).status_code == 409
    assert _count(YouthProposal) == 0


def test_proposing_needs_sign_in_and_a_role_in_the_council(world, client_for):
    round_ = build_round(world)
    url = f"{world.prefix}/{round_.id}/propose"
    assert client_for(None).get(url).status_code in (302, 401)
    assert post(client_for(world.stranger), url, _proposal_form(world, round_)).status_code == 403
    assert client_for(None).get(f"{world.prefix}/mine").status_code in (302, 401)
    assert _count(YouthProposal) == 0


@pytest.mark.parametrize("who", ["resident", "housing_officer", "stranger"])
def test_officer_pages_are_for_youth_officers_and_administrators_only(world, client_for, who):
    round_ = build_round(world)
    proposal = build_proposal(world, round_)
    person = {"resident": world.residents[0], "housing_officer": world.housing_officer, "stranger": world.stranger}[who]
    client = client_for(person)
    p = f"{world.prefix}/manage"
    for url in (
        p,
        f"{p}/new",
        f"{p}/providers",
        f"{p}/{round_.id}",
        f"{p}/{round_.id}/budgets",
        f"{p}/{round_.id}/proposals/{proposal.id}",
    ):
        assert client.get(url).status_code == 403, url
    refused = post(
        client, f"{p}/{round_.id}/proposals/{proposal.id}", {"decision": "accepted", "estimated_sessions": "5"}
    )
    assert refused.status_code == 403
    assert db.session.scalar(select(YouthProposal.status)) is ProposalStatus.SUBMITTED
    for allowed in (world.officer, world.admin):
        assert client_for(allowed).get(f"{p}/{round_.id}").status_code == 200


def _round_form(phase: Phase = Phase.PROPOSALS, **change) -> dict[str, str]:
    data = {"title": "Youth services 2028", "description": "", "who_votes": "ages", "min_age": "11", "max_age": "25"}
    for column, day in dates_for(phase).items():
        data.update({f"{column}-day": str(day.day), f"{column}-month": str(day.month), f"{column}-year": str(day.year)})
    data.update(change)
    return data


def test_an_officer_creates_a_round_sets_budgets_and_edits_the_catalogue(world, client_for):
    officer = client_for(world.officer)
    created = post(officer, f"{world.prefix}/manage/new", _round_form())
    assert created.status_code == 302
    round_ = db.session.scalar(select(YouthRound))
    assert (round_.min_age, round_.max_age) == (11, 25)
    a, b = (str(n.id) for n in world.neighbourhoods)
    saved = post(officer, f"{world.prefix}/manage/{round_.id}/budgets", {f"budget-{a}": "25,000.50", f"budget-{b}": ""})
    assert saved.status_code == 302
    assert dict(db.session.execute(select(YouthBudget.neighbourhood_id, YouthBudget.amount_pence)).all()) == {
        world.neighbourhoods[0].id: 2_500_050
    }
    provider = post(
        officer, f"{world.prefix}/manage/providers/new", {"name": "Arts Collective", "contact": "", "notes": ""}
    )
    assert provider.status_code == 302
    provider_id = db.session.scalar(select(YouthProvider.id))
    service_id = operations_services(round_)["Arts"]
    changed = post(
        officer,
        f"{world.prefix}/manage/{round_.id}/services/{service_id}/edit",
        {"name": "Arts and music", "description": "", "provider_id": str(provider_id), "unit_cost": "380"},
    )
    assert changed.status_code == 302
    overview = _text(officer.get(f"{world.prefix}/manage/{round_.id}"))
    assert "Arts and music" in overview and "Arts Collective" in overview and "£380" in overview
    edited = post(
        officer,
        f"{world.prefix}/manage/{round_.id}/edit",
        _round_form(who_votes="all", phase_override="review"),
    )
    assert edited.status_code == 302
    db.session.refresh(round_)
    assert round_.min_age is None and round_.phase_override is Phase.REVIEW
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "youth.round_created",
        "youth.budgets_set",
        "youth.provider_added",
        "youth.service_updated",
        "youth.round_updated",
    } <= actions


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"voting_opens_on-day": "31", "voting_opens_on-month": "2"}, "Enter a real date, like 27 3 2027"),
        (
            {"results_on-day": "", "results_on-month": "", "results_on-year": ""},
            "Enter the date the results phase starts",
        ),
        ({"min_age": "eleven"}, "The youngest age must be a whole number, like 12"),
        ({"min_age": "30"}, "The youngest age must not be more than the oldest age"),
        ({"who_votes": ""}, "Choose who may vote"),
    ],
)
def test_bad_rounds_get_a_message_and_nothing_is_written(world, client_for, change, message):
    response = post(client_for(world.admin), f"{world.prefix}/manage/new", _round_form(**change))
    assert response.status_code == 400
    assert message in _text(response)
    assert _count(YouthRound) == 0


def test_bad_budgets_are_refused_and_nothing_is_written(world, client_for):
    round_ = build_round(world)
    before = dict(db.session.execute(select(YouthBudget.neighbourhood_id, YouthBudget.amount_pence)).all())
    a, b = (str(n.id) for n in world.neighbourhoods)
    response = post(
        client_for(world.officer),
        f"{world.prefix}/manage/{round_.id}/budgets",
        {f"budget-{a}": "100", f"budget-{b}": "lots"},
    )
    assert response.status_code == 400 and "The budget for Clapham Town must be an amount of money" in _text(response)
    assert dict(db.session.execute(select(YouthBudget.neighbourhood_id, YouthBudget.amount_pence)).all()) == before


def test_moderation_after_voting_opens_is_refused_with_409(world, client_for):
    round_ = build_round(world)
    proposal = build_proposal(world, round_)
    with council_context(world.council.id):
        db.session.scalar(select(YouthRound)).phase_override = Phase.VOTING
        db.session.commit()
    officer = client_for(world.officer)
    url = f"{world.prefix}/manage/{round_.id}/proposals/{proposal.id}"
    page = officer.get(url)
    assert page.status_code == 200 and "can no longer be changed" in _text(page) and "Save decision" not in _text(page)
    refused = post(officer, url, {"decision": "accepted", "estimated_sessions": "10", "reason": ""})
    assert refused.status_code == 409 and "Voting has opened in this round" in _text(refused)
    budgets = post(officer, f"{world.prefix}/manage/{round_.id}/budgets", {f"budget-{world.neighbourhoods[0].id}": "1"})
    assert budgets.status_code == 409
    assert db.session.scalar(select(YouthProposal.status)) is ProposalStatus.SUBMITTED


def test_rejecting_without_a_reason_is_a_400_with_the_message(world, client_for):
    round_ = build_round(world)
    proposal = build_proposal(world, round_)
    url = f"{world.prefix}/manage/{round_.id}/proposals/{proposal.id}"
    response = post(client_for(world.officer), url, {"decision": "rejected", "reason": " ", "estimated_sessions": ""})
    assert response.status_code == 400 and "Enter a reason" in _text(response)
    none_chosen = post(client_for(world.officer), url, {"reason": "x", "estimated_sessions": "4"})
    assert none_chosen.status_code == 400 and "Choose accept or reject" in _text(none_chosen)
    assert db.session.scalar(select(YouthProposal.status)) is ProposalStatus.SUBMITTED


def test_a_proposal_of_another_round_is_a_404(world, client_for):
    first = build_round(world)
    second = build_round(world, title="Second round")
    proposal = build_proposal(world, first)
    response = client_for(world.officer).get(f"{world.prefix}/manage/{second.id}/proposals/{proposal.id}")
    assert response.status_code == 404


def test_links_from_the_council_home_and_administration(world, client_for):
    home = _text(client_for(None).get(f"/c/{world.council.slug}/"))
    assert f'href="{world.prefix}/"' in home
    admin = _text(client_for(world.admin).get(f"/c/{world.council.slug}/admin/"))
    assert f'href="{world.prefix}/manage"' in admin
