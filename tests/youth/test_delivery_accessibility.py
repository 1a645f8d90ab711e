"""The youth results, public progress and officer delivery pages in a real browser pass axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.extensions import db
from app.residents import profiles
from app.residents.electorate import years_before
from app.residents.models import VerificationMethod
from app.voting import counting, timing
from app.voting import operations as ballot_ops
from app.voting.models import Ballot
from app.youth import delivery, operations, voting
from app.youth.models import Phase, ProposalStatus, VoteKind, YouthProposal
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council, Neighbourhood
from tests.fixtures.browser import BrowserWorld, assert_accessible, sign_in
from tests.youth.conftest import dates_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _voter(n: int, neighbourhood_id: int) -> User:
    person = User(email=f"young{n}@example.org", name=f"Young {n}", password_hash=None)
    db.session.add(person)
    db.session.flush()
    db.session.add(CouncilRole(user_id=person.id, role=Role.RESIDENT, modules=[]))
    profile = profiles.ensure_profile(person.id)
    profiles.verify(
        profile,
        how=VerificationMethod.IN_PERSON,
        neighbourhood_id=neighbourhood_id,
        date_of_birth=years_before(timing.today(), 17) - timedelta(days=1),
        verified_by_user_id=person.id,
    )
    return person


@pytest.fixture
def delivered_round(browser_world: BrowserWorld, committed_db: Any) -> tuple[int, int]:
    """A round whose Stockwell vote is published, one service commissioned with sessions recorded."""
    council_id = committed_db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        set_module_enabled("youth", True)
        place = Neighbourhood(name="Stockwell")
        db.session.add(place)
        db.session.flush()
        round_ = operations.create_round(
            title="Youth services 2027", dates=dates_for(Phase.PROPOSALS), min_age=11, max_age=25, by=None
        )
        operations.set_budgets(round_, {place.id: 5_000_000}, by=None)
        resident = _voter(0, place.id)
        sport = next(s for s, _p in voting.services(round_) if s.name == "Sport")
        made = []
        for title, sessions in (("Football", 100), ("Boxing", 50), ("Dance", 50)):
            proposal = operations.submit_proposal(
                round_,
                neighbourhood_id=place.id,
                service_type_id=sport.id,
                title=title,
                description="Coached sessions.",
                audience="Ages 12 to 18",
                sessions_wanted=sessions,
                by=resident,
            )
            operations.decide_proposal(
                round_, proposal, decision=ProposalStatus.ACCEPTED, reason="", estimated_sessions=sessions, by=None
            )
            made.append(proposal)
        voting.open_voting(round_, vote_kind=VoteKind.PB, by=None)
        db.session.commit()
        ballot_id = voting.round_ballots(round_)[place.id].id
        for n in range(1, 11):
            person = _voter(n, place.id)
            choice = [f"youth-{made[0].id}", f"youth-{made[1].id}"] if n <= 6 else [f"youth-{made[2].id}"]
            ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
            ballot_ops.cast_vote(ballot, person, choice)
            db.session.commit()
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        ballot_ops.close_ballot(ballot, None, early=True)
        db.session.commit()
        counting.run_count(ballot_id)
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        counting.publish(ballot, actor_user_id=None)
        provider = operations.save_provider(None, name="Stockwell Youth Trust", by=None)
        funded = voting.funded_proposals(round_)
        row = delivery.commission(round_, funded[0], provider_id=provider.id, by=None)
        delivery.record_sessions(row, held_on=timing.today(), sessions=4, attendance=52, by=None)
        db.session.commit()
        return round_.id, place.id


def test_results_progress_and_delivery_pages_are_accessible(page_without_js, browser_world, delivered_round):
    page = page_without_js
    round_id, place_id = delivered_round
    base = f"{browser_world.prefix}/youth"
    page.goto(f"{base}/{round_id}/neighbourhoods/{place_id}/progress")
    assert page.get_by_role("img", name="Sessions delivered for each funded service").is_visible()
    assert page.get_by_role("table", name="Funded services and their delivery").is_visible()
    assert_accessible(page, "the public progress page")
    page.goto(f"{base}/{round_id}/neighbourhoods/{place_id}/results")
    assert page.get_by_role("heading", name="What was funded").is_visible()
    assert_accessible(page, "a neighbourhood's results")
    page.goto(f"{base}/{round_id}")
    assert_accessible(page, "the round's page with its ballots")

    sign_in(page, browser_world.emails["admin"])
    page.goto(f"{base}/manage/{round_id}")
    assert_accessible(page, "the round's overview with its ballots")
    page.goto(f"{base}/manage/{round_id}/delivery")
    assert_accessible(page, "the delivery page")
    page.get_by_role("link", name="Update delivery").first.click()
    page.wait_for_load_state()
    assert_accessible(page, "a commission's page")
    page.get_by_role("button", name="Record sessions").click()
    page.wait_for_load_state()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "a commission's page with errors")


def test_open_voting_page_is_accessible(page_without_js, browser_world, committed_db):
    council_id = committed_db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        set_module_enabled("youth", True)
        round_ = operations.create_round(
            title="Youth services 2028", dates=dates_for(Phase.REVIEW), min_age=None, max_age=None, by=None
        )
        round_id = round_.id
        db.session.commit()
    page = page_without_js
    sign_in(page, browser_world.emails["admin"])
    page.goto(f"{browser_world.prefix}/youth/manage/{round_id}/voting")
    assert_accessible(page, "the open-voting page")
    page.get_by_role("button", name="Open voting").click()
    page.wait_for_load_state()
    assert page.get_by_text("nothing to vote on").is_visible()
    assert_accessible(page, "the open-voting page refusing")
    assert db.session.scalar(select(YouthProposal.id)) is None
