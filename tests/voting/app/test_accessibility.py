"""The ballot pages in a real browser without JavaScript: every step of voting and of setting up passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.extensions import db
from app.voting import operations
from app.voting.models import Ballot, BallotKind, BallotStatus
from tenants.context import council_context
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, sign_in
from tests.voting.app.conftest import build_ballot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RESIDENT = "rae.resident@example.org"


@pytest.fixture
def ballots(browser_world: BrowserWorld, committed_db: Any) -> dict[BallotKind, int]:
    """An open ballot of every kind in the browser's council, and a resident with a password."""
    resident = User(email=RESIDENT, name="Rae Resident", password_hash=hash_password(BrowserWorld.password))
    committed_db.session.add(resident)
    committed_db.session.flush()
    council_id = _council_id(browser_world)
    with council_context(council_id):
        committed_db.session.add(CouncilRole(user_id=resident.id, role=Role.RESIDENT, modules=[]))
        committed_db.session.commit()
    return {kind: build_ballot(council_id, kind, module=None, title=f"The {kind.value} vote").id for kind in BallotKind}


def _council_id(world: BrowserWorld) -> int:
    return db.session.scalar(db.select(Council.id).where(Council.slug == world.slug))


def _fill(page: Any, kind: BallotKind) -> None:
    if kind is BallotKind.APPROVAL:
        page.get_by_label("Allotments").check()
        page.get_by_label("Cycle lane").check()
    elif kind is BallotKind.RANKED:
        page.get_by_label("Cy").select_option("1")
        page.get_by_label("Ada").select_option("2")
    elif kind is BallotKind.PB:
        page.get_by_label("Benches", exact=False).check()
        page.get_by_label("Lights", exact=False).check()
    elif kind is BallotKind.DIVISION:
        page.get_by_label("Youth clubs").fill("6000")
        page.get_by_label("Sport").fill("4000")
    elif kind is BallotKind.POINTS:
        page.get_by_label("Parks").fill("6")
        page.get_by_label("Local shops").fill("4")
    else:
        page.get_by_label("Against").check()


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("kind", list(BallotKind))
def test_a_resident_votes_without_javascript(page_without_js, browser_world, ballots, kind):
    page = page_without_js
    sign_in(page, RESIDENT)
    page.goto(f"{browser_world.prefix}/ballots/")
    assert_accessible(page, "the list of ballots")
    page.goto(f"{browser_world.prefix}/ballots/{ballots[kind]}")
    assert_accessible(page, f"the {kind.value} ballot paper")

    _click(page, "Continue")  # nothing chosen (division: nothing shared out)
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, f"the {kind.value} paper with an error")

    _fill(page, kind)
    _click(page, "Continue")
    assert page.get_by_role("heading", name="Check your vote").is_visible()
    assert_accessible(page, f"checking a {kind.value} vote")

    _click(page, "Cast your vote")
    assert page.get_by_role("heading", name="Your vote has been cast").is_visible()
    code = page.locator("#receipt-code").inner_text()
    assert len(code) == 19
    assert_accessible(page, "the receipt")

    with council_context(_council_id(browser_world)):
        ballot = db.session.scalar(db.select(Ballot).where(Ballot.id == ballots[kind]))
        operations.close_ballot(ballot)
        operations.transition(ballot, BallotStatus.COUNTED)
        operations.transition(ballot, BallotStatus.PUBLISHED)
        db.session.commit()
    page.goto(f"{browser_world.prefix}/ballots/{ballots[kind]}/receipt")
    assert_accessible(page, "checking a receipt")
    page.get_by_label("Receipt code").fill(code)
    _click(page, "Check receipt")
    assert page.get_by_role("heading", name="Your paper is included").is_visible()
    assert_accessible(page, "a receipt found")


def test_officer_pages_pass_axe(page_without_js, browser_world, ballots):
    page = page_without_js
    sign_in(page, browser_world.emails["admin"])
    base = f"{browser_world.prefix}/ballots/manage"
    page.goto(base)
    assert_accessible(page, "manage ballots")
    page.goto(f"{base}/new")
    assert_accessible(page, "create a ballot")
    _click(page, "Save and continue")
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "create a ballot, with errors")
    page.get_by_label("Title").fill("Which park first?")
    page.get_by_label("Participatory budget", exact=False).check()
    _click(page, "Save and continue")
    draft = page.url
    assert_accessible(page, "a draft ballot")
    for suffix, button in (
        ("/rules", "Save rules"),
        ("/electorate", "Save"),
        ("/window", "Save voting times"),
        ("/options/new", "Save project"),
        ("/schedule", None),
        ("/open", None),
    ):
        page.goto(draft + suffix)
        assert_accessible(page, f"draft {suffix}")
        if button:
            _click(page, button)
            assert_accessible(page, f"draft {suffix} after saving as it was")
    page.goto(draft + "/open")
    _click(page, "Open it now")
    assert page.get_by_text("It cannot be opened yet").is_visible()
    assert_accessible(page, "opening a ballot that is not ready")
    for kind, ballot_id in ballots.items():
        page.goto(f"{base}/{ballot_id}")
        assert_accessible(page, f"an open {kind.value} ballot")
    page.goto(f"{base}/{ballots[BallotKind.RANKED]}/rules")
    assert_accessible(page, "a frozen ballot")
    page.goto(f"{base}/{ballots[BallotKind.RANKED]}/close")
    assert_accessible(page, "closing early")
