"""Co-operative trust schools in a real browser without JavaScript, axe-core on every page visited.

1. A parent finds the trust on the schools pages, applies online to the
   parents and carers constituency; the trust's secretary admits them (the
   governance core's pages); the parent ranks the candidates in the
   stakeholder forum election (STV); the secretary closes, counts and
   declares, and the result shows.
2. A council officer sets the council's target, starts a school's
   consultation, ticks its checklist, moves it to "trust established" and
   sees the council-wide pipeline against the target (chart and table).

Seeded: the council and its people, the trust (through the schools
operations) and, for journey 1, a forum election with two accepted
candidates whose nominations have closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.governance import operations as governance
from app.governance.elections import operations as elections
from app.governance.models import Member, MemberClass, MemberStatus, SocietyRole
from app.schools import operations
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OFFICER = "olive.schools@example.org"
SECRETARY = "sean.secretary@example.org"
PARENT = "pam.parent@example.org"
TRUST = "Harbourside Co-operative Learning Trust"


@dataclass
class Journey:
    prefix: str  # /c/<council>
    trust_id: int
    election_id: int
    school_id: int


@pytest.fixture
def journey(browser_world: BrowserWorld, committed_db: Any) -> Journey:
    db = committed_db
    password = hash_password(BrowserWorld.password)
    people = {
        email: User(email=email, name=name, password_hash=password)
        for email, name in ((OFFICER, "Olive Ofori"), (SECRETARY, "Sean Secretary"), (PARENT, "Pam Parent"))
    }
    db.session.add_all(people.values())
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    today = timing.today()
    with council_context(council_id):
        set_module_enabled("schools", True)
        db.session.add(CouncilRole(user_id=people[OFFICER].id, role=Role.OFFICER, modules=["schools"]))
        for email in (SECRETARY, PARENT):
            db.session.add(CouncilRole(user_id=people[email].id, role=Role.RESIDENT, modules=[]))
        trust = operations.create_trust(name=TRUST, legal_model="academy", description="", by=None)
        governance.appoint_society_officer(trust, people[SECRETARY], SocietyRole.SECRETARY, by_user=None)
        school = operations.save_school(
            None, name="Quayside Primary", urn="150001", phase="primary", pupils=210, society_id=trust.id, by=None
        )
        parents = db.session.scalar(select(MemberClass).where(MemberClass.name == "Parents and carers"))
        election = elections.create_election(
            trust,
            elections.Details(
                title="Stakeholder forum election",
                body_name="Stakeholder forum",
                body_size=5,
                description="",
                method="stv",
                statement_max_words=100,
                term_years=3,
                nominations_open_on=today,
                nominations_close_on=today + timedelta(days=7),
                voting_closes_on=today + timedelta(days=21),
            ),
            by=None,
        )
        elections.set_seats(election, {parents.id: 1}, by=None)
        elections.open_nominations(election, by=None)
        admitted = today - timedelta(days=100)
        for number, name in enumerate(("Ann Able", "Bob Baker"), start=1):
            line = Member(
                society_id=trust.id, member_class_id=parents.id, membership_number=number, name=name,
                status=MemberStatus.MEMBER, applied_on=admitted, admitted_on=admitted,
            )  # fmt: skip
            db.session.add(line)
            db.session.flush()
            seat = next(s for s in elections.queries.constituencies(election)).seat
            nomination = elections.nominate(
                election, seat, nominator=line, candidate=line, statement=f"{name} will listen.", by=None
            )
            elections.accept(election, nomination, by=None)
        # Nominations have closed: the poll starts.
        election.nominations_open_on = today - timedelta(days=8)
        election.nominations_close_on = today - timedelta(days=1)
        elections.start_poll(election, by=None)
        db.session.commit()
        result = Journey(browser_world.prefix, trust.id, election.id, school.id)
    db.session.close()
    return result


def _fill_date(page: Any, day) -> None:
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def a_parent_applies(page: Any, j: Journey) -> None:
    sign_in(page, PARENT)
    page.goto(f"{j.prefix}/schools/")
    assert_accessible(page, "the schools start page")
    page.get_by_role("link", name=TRUST).click()
    page.wait_for_load_state()
    assert_accessible(page, "the trust's page")
    press_button(page, "Apply to join the trust")  # a link drawn as a button
    assert_accessible(page, "the application form")
    page.get_by_label("Parents and carers", exact=True).check()
    page.get_by_label("Full name").fill("Pam Parent")
    page.get_by_label("Address", exact=True).fill("4 Quay Street")
    page.get_by_label("Postcode").fill("ol16 1aa")
    if not page.get_by_label("Email address").input_value():
        page.get_by_label("Email address").fill(PARENT)
    press_button(page, "Send the application")
    assert page.get_by_text("Application waiting for a decision").is_visible()
    assert_accessible(page, "the applicant's own page")
    sign_out(page)


def the_secretary_admits(page: Any, j: Journey) -> None:
    sign_in(page, SECRETARY)
    page.goto(f"{j.prefix}/schools/trusts/{j.trust_id}")
    assert_accessible(page, "the trust's page for its secretary")
    page.get_by_role("link", name="Applications to join").click()
    page.wait_for_load_state()
    assert_accessible(page, "the applications")
    page.get_by_role("link", name="Decide Pam Parent").click()
    page.wait_for_load_state()
    assert_accessible(page, "the decision form")
    page.get_by_label("Admit as a member").check()
    _fill_date(page, timing.today())
    page.get_by_label("Who decided, and the minute reference").fill("Trust board, minute 5")
    press_button(page, "Record the decision")
    assert page.get_by_text("Pam Parent is admitted as member 3.").is_visible()
    assert_accessible(page, "the new member's record")
    sign_out(page)


def the_parent_votes(page: Any, j: Journey) -> None:
    sign_in(page, PARENT)
    page.goto(f"{j.prefix}/schools/trusts/{j.trust_id}")
    page.get_by_role("link", name="Stakeholder forum elections").click()
    page.wait_for_load_state()
    assert_accessible(page, "the trust's elections")
    page.get_by_role("link", name="Stakeholder forum election").click()
    page.wait_for_load_state()
    assert_accessible(page, "the election while polling")
    press_button(page, "Vote in your constituency")
    assert_accessible(page, "the ballot paper")
    page.get_by_label("Bob Baker").select_option("1")
    page.get_by_label("Ann Able").select_option("2")
    press_button(page, "Continue")
    assert_accessible(page, "checking the vote")
    press_button(page, "Cast your vote")
    assert page.get_by_role("heading", name="Your vote has been cast").is_visible()
    assert_accessible(page, "the receipt")
    sign_out(page)


def the_result_is_declared_and_shows(page: Any, j: Journey, run_jobs) -> None:
    sign_in(page, SECRETARY)
    page.goto(f"{j.prefix}/societies/{j.trust_id}/elections/{j.election_id}/manage")
    press_button(page, "Close voting now")
    press_button(page, "Count the votes")
    assert_accessible(page, "the count waiting for its job")
    run_jobs()
    page.goto(f"{j.prefix}/societies/{j.trust_id}/elections/{j.election_id}/manage")
    assert_accessible(page, "the counted election before it is declared")
    press_button(page, "Declare the result")
    assert page.get_by_text("The result is declared and published").is_visible()
    assert_accessible(page, "the declared election")
    sign_out(page)
    page.goto(f"{j.prefix}/societies/{j.trust_id}/elections/{j.election_id}/results")
    elected = page.get_by_role("table", name="People elected, with their terms")
    assert "Bob Baker" in elected.inner_text() and "Ann Able" not in elected.inner_text()
    assert_accessible(page, "the declared result")


def test_a_parent_joins_a_trust_and_votes_in_the_forum_election(page_without_js, journey, run_jobs):
    page, j = page_without_js, journey
    a_parent_applies(page, j)
    the_secretary_admits(page, j)
    the_parent_votes(page, j)
    the_result_is_declared_and_shows(page, j, run_jobs)


def test_an_officer_moves_a_school_through_the_pipeline(page_without_js, journey):
    page, j = page_without_js, journey
    sign_in(page, OFFICER)
    page.goto(f"{j.prefix}/schools/")
    assert_accessible(page, "the schools start page for an officer")
    page.get_by_role("link", name="Co-operative schools pipeline").click()
    page.wait_for_load_state()
    assert_accessible(page, "the pipeline with no target")
    page.get_by_role("link", name="Set the target").click()
    page.wait_for_load_state()
    assert_accessible(page, "the target form")
    page.get_by_label("Target number of co-operative schools").fill("lots")
    press_button(page, "Save the target")
    assert page.get_by_role("link", name="Enter the target as a whole number from 0 to 10,000").is_visible()
    assert_accessible(page, "the target form with an error")
    page.get_by_label("Target number of co-operative schools").fill("20")
    press_button(page, "Save the target")
    assert_accessible(page, "the pipeline with its target")
    page.get_by_role("link", name="Quayside Primary").click()
    page.wait_for_load_state()
    assert_accessible(page, "a school not yet in the pipeline")
    press_button(page, "Start the consultation")
    assert page.get_by_text("The school's consultation has started.").is_visible()
    assert_accessible(page, "the school's checklist")
    press_button(page, "Move to the next stage")
    assert page.get_by_text("Finish the checklist first: 3 items of this stage are not done").first.is_visible()
    assert_accessible(page, "the checklist with an error")
    for _n in range(3):
        page.get_by_role("button", name="Mark done today").first.click()
        page.wait_for_load_state()
        assert_accessible(page, "the checklist with an item done")
    assert page.get_by_text("done on").count() == 3
    press_button(page, "Move to the next stage")
    assert page.get_by_text("The school has moved to the next stage.").is_visible()
    assert_accessible(page, "the checklist of the next stage")
    page.get_by_role("link", name="Co-operative schools pipeline").click()
    page.wait_for_load_state()
    assert page.get_by_text("0 of the council's target of 20 co-operative schools are live.").is_visible()
    table = page.get_by_role("table", name="Schools at each stage").inner_text()
    assert "Trust established\t1" in table and "20" in table
    assert page.locator("svg[role=img]").count() == 1
    assert_accessible(page, "the council-wide pipeline against the target")
