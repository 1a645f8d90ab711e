"""The youth pages in a real browser without JavaScript: proposing and moderating pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.extensions import db
from app.youth import operations
from app.youth.models import Phase, ProposalStatus, YouthProposal
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council, Neighbourhood
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in
from tests.youth.conftest import dates_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RESIDENT = "yara.young@example.org"


@pytest.fixture
def youth_round(browser_world: BrowserWorld, committed_db: Any) -> int:
    """A round taking proposals, with two neighbourhoods' budgets, and a resident with a password."""
    resident = User(email=RESIDENT, name="Yara Young", password_hash=hash_password(BrowserWorld.password))
    committed_db.session.add(resident)
    committed_db.session.flush()
    council_id = committed_db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        committed_db.session.add(CouncilRole(user_id=resident.id, role=Role.RESIDENT, modules=[]))
        set_module_enabled("youth", True)
        places = [Neighbourhood(name="Stockwell"), Neighbourhood(name="Vauxhall")]
        committed_db.session.add_all(places)
        committed_db.session.flush()
        round_ = operations.create_round(
            title="Youth services 2027", dates=dates_for(Phase.PROPOSALS), min_age=11, max_age=25, by=None
        )
        operations.set_budgets(round_, {places[0].id: 4_000_000, places[1].id: 2_500_000}, by=None)
        round_id = round_.id
        committed_db.session.commit()
    return round_id


def test_a_resident_proposes_and_an_officer_moderates_without_javascript(page_without_js, browser_world, youth_round):
    page = page_without_js
    base = f"{browser_world.prefix}/youth"
    sign_in(page, RESIDENT)
    page.goto(f"{base}/{youth_round}")
    assert_accessible(page, "the round's public page")
    page.get_by_role("link", name="Stockwell").click()
    assert_accessible(page, "a neighbourhood's page")
    page.get_by_role("button", name="Propose a service for Stockwell").click()
    assert_accessible(page, "the proposal form")

    page.get_by_label("Give your idea a short name").fill("Girls' boxing")
    press_button(page, "Send proposal")
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "the proposal form with errors")

    page.get_by_label("Sport").check()
    page.get_by_label("Describe the service").fill("Boxing training twice a week at the leisure centre.")
    page.get_by_label("Who is it for?").fill("Girls aged 12 to 17")
    page.get_by_label("How many sessions would you like?").fill("60")
    press_button(page, "Send proposal")
    assert page.get_by_role("heading", name="Your proposals").is_visible()
    assert_accessible(page, "your proposals")

    page.goto("/sign-out")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, browser_world.emails["admin"])
    page.goto(f"{base}/manage")
    assert_accessible(page, "manage youth rounds")
    page.get_by_role("link", name="Youth services 2027").click()
    assert_accessible(page, "a round's overview")
    for suffix in ("/edit", "/budgets", "/services/new"):
        page.goto(f"{base}/manage/{youth_round}{suffix}")
        assert_accessible(page, f"officer page {suffix}")
    page.goto(f"{base}/manage/providers/new")
    assert_accessible(page, "add a provider")
    page.goto(f"{base}/manage/{youth_round}/proposals")
    assert_accessible(page, "the proposals list")
    page.get_by_role("link", name="Girls' boxing").click()
    assert_accessible(page, "the moderation page")

    page.get_by_label("Reject").check()
    page.get_by_label("Reason for the decision").fill("")
    press_button(page, "Save decision")
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "the moderation page with errors")
    page.get_by_label("Accept").check()
    page.get_by_label("Sessions the cost is based on").fill("50")
    page.get_by_label("Reason for the decision").fill("A great idea; the leisure centre has space.")
    press_button(page, "Save decision")
    assert page.get_by_role("heading", name="Proposals").is_visible()

    with council_context(db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))):
        proposal = db.session.scalar(select(YouthProposal))
        assert proposal.status is ProposalStatus.ACCEPTED and proposal.estimated_cost_pence == 50 * 30_000
