"""In a real browser without JavaScript: registering, entering the letter's code, being verified; axe on every page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.extensions import db
from app.letters import codes
from app.letters.models import LetterRun, RunScope, RunStatus, VotingCode
from app.residents.models import RegisterEntry
from tenants.context import council_context
from tenants.models import Council, Neighbourhood
from tests.fixtures.browser import BrowserWorld, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CODE = "7K3M-Q9PX-2HDN"


@pytest.fixture
def letter(browser_world: BrowserWorld, committed_db: Any, app) -> str:
    """A register entry in Castleton with a live code from a letter run."""
    council_id = db.session.scalar(db.select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        castleton = Neighbourhood(name="Castleton")
        committed_db.session.add(castleton)
        committed_db.session.flush()
        entry = RegisterEntry(
            reference="R1",
            name="Rae Resident",
            address="1 Smith St",
            postcode="OL16 1AB",
            date_of_birth=date(1990, 1, 2),
            neighbourhood_id=castleton.id,
        )
        run = LetterRun(scope=RunScope.ALL, status=RunStatus.FINISHED, job_id="test", valid_days=42, language="en")
        committed_db.session.add_all([entry, run])
        committed_db.session.flush()
        committed_db.session.add(
            VotingCode(
                register_entry_id=entry.id,
                run_id=run.id,
                code_hash=codes.hash_code(CODE, codes.pepper_from_config(app.config)),
                expires_on=date(2099, 1, 1),
            )
        )
        committed_db.session.commit()
    return CODE


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_register_then_enter_the_code_then_verified(page_without_js, browser_world, letter):
    page = page_without_js
    # The letter's QR code opens the verification page with the code; the address loses it at once.
    page.goto(f"{browser_world.prefix}/verify?code={letter}")
    assert "code=" not in page.url
    assert_accessible(page, "the verification page, signed out")
    page.get_by_role("button", name="Create an account").click()
    page.wait_for_load_state()
    assert_accessible(page, "registration")

    _click(page, "Create account")
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "registration with errors")

    page.get_by_label("Full name").fill("Rae Resident")
    page.get_by_label("Email address").fill("rae@example.org")
    page.get_by_label("Create a password").fill(BrowserWorld.password)
    page.get_by_label("Confirm your password").fill(BrowserWorld.password)
    _click(page, "Create account")
    assert page.get_by_role("heading", name="Enter your voting code").is_visible()
    assert page.get_by_label("Voting code").input_value() == letter  # remembered from the QR code
    assert_accessible(page, "entering the code")

    page.get_by_label("Voting code").fill("ABCD-EFGH-JKMN")
    _click(page, "Continue")
    assert page.get_by_text("The code is not correct").first.is_visible()
    assert_accessible(page, "a wrong code")

    page.get_by_label("Voting code").fill(letter.lower())
    _click(page, "Continue")
    assert page.get_by_text("You are a resident of Castleton").is_visible()
    assert_accessible(page, "verified")

    page.goto(f"{browser_world.prefix}/consent")
    assert_accessible(page, "parental consent (an adult)")


def test_officer_letters_and_assisted_verification_pages(page_without_js, browser_world, letter):
    page = page_without_js
    sign_in(page, "officer@example.org")
    page.goto(f"{browser_world.prefix}/admin/register/letters")
    assert_accessible(page, "letters")
    page.goto(f"{browser_world.prefix}/admin/register/residents?q=admin")
    assert_accessible(page, "finding a resident")
    page.get_by_role("link", name="Verify in person Ada Admin").click()
    page.wait_for_load_state()
    _click(page, "Verify resident")
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "assisted verification with errors")
    page.goto(f"{browser_world.prefix}/admin/register/residents?q=admin")
    page.get_by_role("link", name="Record consent Ada Admin").click()
    page.wait_for_load_state()
    assert_accessible(page, "consent on paper")
