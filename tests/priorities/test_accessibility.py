"""The priorities pages in a real browser without JavaScript pass axe-core: the form, its errors and results."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.priorities import operations
from app.residents import profiles
from app.residents.models import VerificationMethod
from app.voting import counting, timing
from app.voting import operations as voting
from app.voting.models import BallotKind
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council, Neighbourhood
from tests.fixtures.browser import BrowserWorld, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def published(browser_world: BrowserWorld, committed_db: Any) -> int:
    """Two neighbourhoods with verified residents and a published points exercise; returns its id."""
    council_id = committed_db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        set_module_enabled("priorities", True)
        places = [Neighbourhood(name="Castleton"), Neighbourhood(name="Milnrow")]
        committed_db.session.add_all(places)
        committed_db.session.flush()
        voters = []
        for number, place in enumerate(places * 2):
            person = User(email=f"pri{number}@example.org", name=f"P {number}", password_hash=None)
            committed_db.session.add(person)
            committed_db.session.flush()
            committed_db.session.add(CouncilRole(user_id=person.id, role=Role.RESIDENT, modules=[]))
            profile = profiles.ensure_profile(person.id)
            profiles.verify(profile, how=VerificationMethod.LETTER_CODE, neighbourhood_id=place.id)
            voters.append((place.name, person))
        exercise = operations.create_exercise(
            operations.ExerciseRequest(
                template="top-3",
                kind=BallotKind.POINTS,
                title="Top 3 priorities",
                neighbourhood_ids=[p.id for p in places],
                areas=["Parks", "Street cleaning", "Community safety", "Local shops"],
                winners=2,
                points=10,
                closes_at=timing.now() + timedelta(days=3),
                open_now=True,
            ),
            by=None,
        )
        ballots = {n.name: b for n, b in operations.exercise_ballots(exercise)}
        voting.cast_vote(ballots["Castleton"], voters[0][1], {"parks": 7, "local-shops": 3})
        voting.cast_vote(ballots["Milnrow"], voters[1][1], {"community-safety": 10})
        for ballot in ballots.values():
            voting.close_ballot(ballot, None)
            counting.run_count(ballot.id)
            counting.publish(ballot, actor_user_id=None)
        committed_db.session.commit()
        return exercise.id


def test_an_officer_starts_an_exercise_and_anyone_reads_results_without_javascript(
    page_without_js, browser_world, published
):
    page = page_without_js
    base = f"{browser_world.prefix}/priorities"
    page.goto(f"{base}/{published}")
    assert page.get_by_role("heading", name="Council-wide").is_visible()
    assert_accessible(page, "the priorities results")
    page.goto(f"{base}/")
    assert_accessible(page, "the list of priorities ballots")

    sign_in(page, browser_world.emails["admin"])
    page.goto(f"{base}/new")
    assert_accessible(page, "the form to start a priorities ballot")
    page.get_by_role("button", name="Make the ballots").click()
    page.wait_for_load_state()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "the form with errors")
    page.get_by_label("Castleton").check()
    page.get_by_role("button", name="Make the ballots").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Turnout").is_visible()
    assert_accessible(page, "a new exercise's page")
