"""The whole youth services journey in a real browser without JavaScript, axe-core on every page it visits.

An officer imports the register and makes the voting-code letters; a resident
registers, enters the code from their letter, proposes a service, votes and
keeps the receipt; the officer closes, counts and publishes, and the resident
finds their paper in the published count; the officer commissions the funded
service and records sessions, which the public progress page shows.

Only the council, its neighbourhoods, the round with its budgets, a provider
and one other resident's proposal are seeded: everything else goes through the
pages, and the jobs (import, letters, count) run in an RQ worker in process.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.residents.electorate import years_before
from app.voting import timing
from app.youth import operations, voting
from app.youth.models import Phase
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council, Neighbourhood
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in, sign_out
from tests.youth.conftest import dates_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OFFICER = "yusuf.youth@example.org"
RESIDENT_NAME = "Yara Young"
RESIDENT_EMAIL = "yara.young@example.org"
PROPOSAL = "Girls' boxing"
OTHER_PROPOSAL = "Friday night football"


@dataclass
class Journey:
    prefix: str
    round_id: int
    stockwell: int


@pytest.fixture
def journey(browser_world: BrowserWorld, committed_db: Any) -> Journey:
    """A council running youth services: a round taking proposals, budgets, a provider, a youth officer.

    Stockwell (£40,000) and Vauxhall (£25,000) take part; a neighbour has
    already proposed football in Stockwell.
    """
    db = committed_db
    officer = User(email=OFFICER, name="Yusuf Youth", password_hash=hash_password(BrowserWorld.password))
    neighbour = User(email="neighbour@example.org", name="Nia Neighbour", password_hash=None)
    db.session.add_all([officer, neighbour])
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        db.session.add(CouncilRole(user_id=officer.id, role=Role.OFFICER, modules=["youth"]))
        db.session.add(CouncilRole(user_id=neighbour.id, role=Role.RESIDENT, modules=[]))
        set_module_enabled("youth", True)
        places = [Neighbourhood(name="Stockwell"), Neighbourhood(name="Vauxhall")]
        db.session.add_all(places)
        db.session.flush()
        round_ = operations.create_round(
            title="Youth services 2027", dates=dates_for(Phase.PROPOSALS), min_age=11, max_age=25, by=None
        )
        operations.set_budgets(round_, {places[0].id: 4_000_000, places[1].id: 2_500_000}, by=None)
        operations.save_provider(None, name="Stockwell Youth Trust", by=None)
        sport = next(s for s, _provider in voting.services(round_) if s.name == "Sport")
        operations.submit_proposal(
            round_,
            neighbourhood_id=places[0].id,
            service_type_id=sport.id,
            title=OTHER_PROPOSAL,
            description="Five-a-side on the estate pitch, with a coach.",
            audience="Anyone aged 12 to 18",
            sessions_wanted=60,
            by=neighbour,
        )
        found = Journey(browser_world.prefix, round_.id, places[0].id)
        db.session.commit()
    db.session.close()
    return found


def _register_file() -> bytes:
    """Three people in Stockwell and Vauxhall; the resident is 17, so inside the round's 11-25."""
    born = (years_before(timing.today(), 17) - timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [
        "reference,name,address,postcode,date_of_birth,neighbourhood",
        f"S1,{RESIDENT_NAME},1 Stockwell Road,SW9 9AB,{born},Stockwell",
        "S2,Sam Senior,2 Stockwell Road,SW9 9AB,01/02/1950,Stockwell",
        "V1,Vic Vauxhall,3 Bridge Street,SE11 5AA,03/04/1985,Vauxhall",
    ]
    return ("\n".join(rows) + "\n").encode()


# --- the officer's steps ------------------------------------------------------------------------


def officer_imports_the_register(page: Any, j: Journey, run_jobs) -> None:
    sign_in(page, OFFICER)
    page.goto(f"{j.prefix}/admin/register/import")
    assert_accessible(page, "the register upload page")
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": "register.csv", "mimeType": "text/csv", "buffer": _register_file()}
    )
    page.get_by_label("Replace the register", exact=False).check()
    press_button(page, "Check and import")
    assert page.get_by_text("Waiting to start").is_visible()
    assert_accessible(page, "the import waiting for its job")
    run_jobs()
    page.reload()
    assert page.get_by_text("Nothing was imported").count() == 0
    assert_accessible(page, "the finished import")
    page.goto(f"{j.prefix}/admin/register/")
    assert page.get_by_text(RESIDENT_NAME).first.is_visible()
    assert_accessible(page, "the register")


def officer_makes_letters_and_reads_the_code(page: Any, j: Journey, run_jobs) -> str:
    """Make letters for everyone and read the resident's code from the mail-merge file."""
    page.goto(f"{j.prefix}/admin/register/letters")
    assert_accessible(page, "the letters page")
    page.get_by_label("Only people without a code that still works").check()
    press_button(page, "Make letters")
    assert_accessible(page, "the letter run waiting for its job")
    run_jobs()
    page.reload()
    assert page.get_by_text("Letters ready").is_visible()
    assert_accessible(page, "the letters ready")
    href = page.get_by_role("link", name="Download the mail-merge file (CSV)").get_attribute("href")
    response = page.request.get(href)
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.body().decode("utf-8-sig"))))  # with a BOM, for Excel
    assert sorted(row["reference"] for row in rows) == ["S1", "S2", "V1"]
    sign_out(page)
    return next(row["code"] for row in rows if row["reference"] == "S1")


def officer_accepts_proposals(page: Any, j: Journey) -> None:
    sign_in(page, OFFICER)
    page.goto(f"{j.prefix}/youth/manage/{j.round_id}/proposals")
    assert_accessible(page, "the proposals to review")
    for title, sessions in ((PROPOSAL, "50"), (OTHER_PROPOSAL, "60")):
        page.get_by_role("link", name=title).click()
        page.wait_for_load_state()
        assert_accessible(page, f"reviewing {title}")
        page.get_by_label("Accept").check()
        page.get_by_label("Sessions the cost is based on").fill(sessions)
        page.get_by_label("Reason for the decision").fill("The leisure centre has space for it.")
        press_button(page, "Save decision")
        assert page.get_by_role("heading", name="Proposals").is_visible()
        assert_accessible(page, f"the proposals after accepting {title}")


def officer_opens_voting(page: Any, j: Journey) -> None:
    page.goto(f"{j.prefix}/youth/manage/{j.round_id}/voting")
    assert_accessible(page, "the open-voting page")
    page.get_by_label("Choose proposals within the neighbourhood's budget (Equal Shares)").check()
    press_button(page, "Open voting")
    assert page.get_by_text("Voting is open in every neighbourhood").is_visible()
    assert_accessible(page, "the round's overview with voting open")
    sign_out(page)


def officer_closes_counts_and_publishes(page: Any, j: Journey, ballot_id: int, run_jobs) -> None:
    sign_in(page, OFFICER)
    page.goto(f"{j.prefix}/ballots/manage/{ballot_id}")
    assert_accessible(page, "the Stockwell ballot, open")
    page.goto(f"{j.prefix}/ballots/manage/{ballot_id}/close")
    assert_accessible(page, "closing the ballot early")
    press_button(page, "Close it now")
    page.goto(f"{j.prefix}/ballots/manage/{ballot_id}/count")
    assert_accessible(page, "the count page of a closed ballot")
    press_button(page, "Run the count")
    assert_accessible(page, "the count waiting for its job")
    run_jobs()
    page.reload()
    assert_accessible(page, "the counted ballot")
    page.get_by_role("link", name="See the result").click()
    page.wait_for_load_state()
    assert_accessible(page, "the unpublished result")
    page.goto(f"{j.prefix}/ballots/manage/{ballot_id}/count")
    press_button(page, "Publish the result")  # a link drawn as a button
    assert_accessible(page, "publishing the result")
    press_button(page, "Publish the result")
    assert_accessible(page, "after publishing")
    page.goto(f"{j.prefix}/youth/{j.round_id}/neighbourhoods/{j.stockwell}/results")
    assert page.get_by_role("heading", name="What was funded").is_visible()
    assert_accessible(page, "Stockwell's results")
    sign_out(page)


def officer_commissions_and_records_delivery(page: Any, j: Journey) -> None:
    sign_in(page, OFFICER)
    page.goto(f"{j.prefix}/youth/manage/{j.round_id}/delivery")
    assert_accessible(page, "the delivery page")
    page.get_by_label(f"Provider for {PROPOSAL}").select_option(label="Stockwell Youth Trust")
    page.locator("form", has=page.get_by_label(f"Provider for {PROPOSAL}")).get_by_role(
        "button", name="Commission"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{PROPOSAL} is commissioned").is_visible()
    assert_accessible(page, "the delivery page after commissioning")
    page.get_by_role("link", name=f"Update delivery {PROPOSAL}").click()
    page.wait_for_load_state()
    assert_accessible(page, "the commission's page")
    held = timing.today()
    page.get_by_label("Day").fill(str(held.day))
    page.get_by_label("Month").fill(str(held.month))
    page.get_by_label("Year").fill(str(held.year))
    page.get_by_label("Sessions held").fill("4")
    page.get_by_label("Total attendance").fill("52")
    press_button(page, "Record sessions")
    assert page.get_by_text("Sessions recorded.", exact=True).is_visible()
    assert_accessible(page, "the commission's page after recording sessions")
    sign_out(page)


# --- the resident's steps -----------------------------------------------------------------------


def resident_registers_and_enters_the_code(page: Any, j: Journey, code: str) -> None:
    """The letter's QR code opens the verification page with the code filled in."""
    page.goto(f"{j.prefix}/verify?code={code}")
    assert_accessible(page, "the verification page, signed out")
    press_button(page, "Create an account")
    assert_accessible(page, "registration")
    page.get_by_label("Full name").fill(RESIDENT_NAME)
    page.get_by_label("Email address").fill(RESIDENT_EMAIL)
    page.get_by_label("Create a password").fill(BrowserWorld.password)
    page.get_by_label("Confirm your password").fill(BrowserWorld.password)
    press_button(page, "Create account")
    assert page.get_by_role("heading", name="Enter your voting code").is_visible()
    assert page.get_by_label("Voting code").input_value() == code
    assert_accessible(page, "entering the code")
    press_button(page, "Continue")
    assert page.get_by_text("You are a resident of Stockwell").is_visible()
    assert_accessible(page, "verified")


def resident_proposes_a_service(page: Any, j: Journey) -> None:
    page.goto(f"{j.prefix}/youth/{j.round_id}")
    assert_accessible(page, "the round's page")
    page.get_by_role("link", name="Stockwell").click()
    page.wait_for_load_state()
    assert_accessible(page, "Stockwell's page")
    page.get_by_role("button", name="Propose a service for Stockwell").click()
    page.wait_for_load_state()
    assert_accessible(page, "the proposal form")
    page.get_by_label("Give your idea a short name").fill(PROPOSAL)
    page.get_by_label("Sport").check()
    page.get_by_label("Describe the service").fill("Boxing training twice a week at the leisure centre.")
    page.get_by_label("Who is it for?").fill("Girls aged 12 to 17")
    page.get_by_label("How many sessions would you like?").fill("50")
    press_button(page, "Send proposal")
    assert page.get_by_role("heading", name="Your proposals").is_visible()
    assert_accessible(page, "your proposals")
    sign_out(page)


def resident_votes(page: Any, j: Journey) -> tuple[int, str]:
    """Vote for the boxing in Stockwell's ballot; returns the ballot's id and the receipt code."""
    sign_in(page, RESIDENT_EMAIL)
    page.goto(f"{j.prefix}/youth/mine")
    assert page.get_by_text("The leisure centre has space for it.").first.is_visible()  # the officer's reason
    assert_accessible(page, "your proposals, accepted")
    page.goto(f"{j.prefix}/youth/{j.round_id}")
    assert_accessible(page, "the round's page with voting open")
    page.get_by_role("link", name="Vote in Stockwell").click()
    page.wait_for_load_state()
    ballot_id = int(page.url.rstrip("/").split("/")[-1])
    assert_accessible(page, "Stockwell's ballot paper")
    page.get_by_label(PROPOSAL, exact=False).check()
    press_button(page, "Continue")
    assert page.get_by_role("heading", name="Check your vote").is_visible()
    assert_accessible(page, "checking the vote")
    press_button(page, "Cast your vote")
    assert page.get_by_role("heading", name="Your vote has been cast").is_visible()
    receipt = page.locator("#receipt-code").inner_text()
    assert_accessible(page, "the receipt")
    sign_out(page)
    return ballot_id, receipt


def resident_checks_the_receipt(page: Any, j: Journey, ballot_id: int, receipt: str) -> None:
    sign_in(page, RESIDENT_EMAIL)
    page.goto(f"{j.prefix}/ballots/{ballot_id}/receipt")
    assert_accessible(page, "checking a receipt")
    page.get_by_label("Receipt code").fill(receipt)
    press_button(page, "Check receipt")
    assert page.get_by_role("heading", name="Your paper is included").is_visible()
    assert_accessible(page, "the receipt found in the count")
    sign_out(page)


def anyone_sees_progress(page: Any, j: Journey) -> None:
    page.goto(f"{j.prefix}/youth/{j.round_id}/neighbourhoods/{j.stockwell}/progress")
    table = page.get_by_role("table", name="Funded services and their delivery")
    row = table.get_by_role("row").filter(has_text=PROPOSAL)
    assert "Stockwell Youth Trust" in row.inner_text()
    assert [cell.inner_text() for cell in row.get_by_role("cell").all()][1:] == ["4 of 50", "52"]
    assert_accessible(page, "the public progress page")


def test_register_letters_verify_propose_vote_publish_check_and_deliver(page_without_js, journey, run_jobs):
    page, j = page_without_js, journey
    officer_imports_the_register(page, j, run_jobs)
    code = officer_makes_letters_and_reads_the_code(page, j, run_jobs)
    resident_registers_and_enters_the_code(page, j, code)
    resident_proposes_a_service(page, j)
    officer_accepts_proposals(page, j)
    officer_opens_voting(page, j)
    ballot_id, receipt = resident_votes(page, j)
    officer_closes_counts_and_publishes(page, j, ballot_id, run_jobs)
    resident_checks_the_receipt(page, j, ballot_id, receipt)
    officer_commissions_and_records_delivery(page, j)
    anyone_sees_progress(page, j)
