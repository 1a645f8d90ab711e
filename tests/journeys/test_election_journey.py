"""A stakeholder forum election in a real browser without JavaScript, axe-core on every page it visits.

A parent stands with a statement; the secretary checks the nomination and
starts the poll once nominations have closed; a parent and a member of staff
vote in their own constituencies (ranking with numbered lists, no dragging);
the secretary closes voting, the engine's count runs in an RQ worker in
process, and the secretary declares the result, whose page shows each
constituency's round-by-round table.

Seeded: the council, the school trust with its classes and members, and an
election taking nominations with two candidates already standing in each
constituency. Everything else goes through the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.auth.passwords import hash_password
from app.governance.elections import operations
from app.governance.elections.models import Election
from app.governance.models import Member, MemberClass, MemberStatus, Society, SocietyKind, SocietyOfficer, SocietyRole
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SECRETARY = "sue.secretary@example.org"
CANDIDATE = "priya.parent@example.org"
PARENT_VOTER = "vic.voter@example.org"
STAFF_VOTER = "sid.staff@example.org"
STATEMENT = "I have two children at Trustham Primary and I want parents to hear about decisions before they are made."


@dataclass
class Journey:
    prefix: str
    council_id: int
    election_id: int


@pytest.fixture
def journey(browser_world: BrowserWorld, committed_db: Any) -> Journey:
    db = committed_db
    password = hash_password(BrowserWorld.password)
    people = {
        email: User(email=email, name=name, password_hash=password)
        for email, name in (
            (SECRETARY, "Sue Secretary"),
            (CANDIDATE, "Priya Parent"),
            (PARENT_VOTER, "Vic Voter"),
            (STAFF_VOTER, "Sid Staff"),
        )
    }
    db.session.add_all(people.values())
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    admitted = timing.today() - timedelta(days=200)
    with council_context(council_id):
        set_module_enabled("schools", True)
        society = Society(name="Trustham Co-operative Schools Trust", kind=SocietyKind.SCHOOL_TRUST)
        db.session.add(society)
        db.session.flush()
        classes = {
            name: MemberClass(society_id=society.id, name=name, position=i)
            for i, name in enumerate(("Parents", "Staff"))
        }
        db.session.add_all(classes.values())
        db.session.flush()
        db.session.add(SocietyOfficer(society_id=society.id, user_id=people[SECRETARY].id, role=SocietyRole.SECRETARY))
        numbers = iter(range(1, 100))

        def member(name: str, class_name: str, user: User | None = None) -> Member:
            line = Member(
                society_id=society.id,
                member_class_id=classes[class_name].id,
                user_id=user.id if user else None,
                membership_number=next(numbers),
                name=name,
                status=MemberStatus.MEMBER,
                applied_on=admitted,
                admitted_on=admitted,
            )
            db.session.add(line)
            db.session.flush()
            return line

        member("Priya Parent", "Parents", people[CANDIDATE])
        member("Vic Voter", "Parents", people[PARENT_VOTER])
        member("Sid Staff", "Staff", people[STAFF_VOTER])
        today = timing.today()
        election = operations.create_election(
            society,
            operations.Details(
                title="Stakeholder forum election 2027",
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
        operations.set_seats(election, {classes["Parents"].id: 2, classes["Staff"].id: 1}, by=None)
        operations.open_nominations(election, by=None)
        for name, class_name in (
            ("Ann Able", "Parents"),
            ("Bob Baker", "Parents"),
            ("Sol Smith", "Staff"),
            ("Tia Teach", "Staff"),
        ):
            line = member(name, class_name)
            seat = next(s for s in operations.queries.constituencies(election) if s.name == class_name).seat
            nomination = operations.nominate(
                election, seat, nominator=line, candidate=line, statement=f"{name} will listen.", by=None
            )
            operations.accept(election, nomination, by=None)
        db.session.commit()
        result = Journey(f"/c/{browser_world.slug}/societies/{society.id}/elections", council_id, election.id)
    db.session.close()
    return result


def a_parent_stands(page: Any, j: Journey) -> None:
    sign_in(page, CANDIDATE)
    page.goto(j.prefix + "/")
    assert_accessible(page, "the society's elections")
    page.get_by_role("link", name="Stakeholder forum election 2027").click()
    page.wait_for_load_state()
    assert_accessible(page, "the election taking nominations")
    press_button(page, "Stand or nominate a member")  # a link drawn as a button
    assert_accessible(page, "the nomination form")
    page.get_by_label("Statement").fill("word " * 101)
    press_button(page, "Make the nomination")
    assert page.get_by_text("The statement must be 100 words or fewer; it has 101").first.is_visible()
    assert_accessible(page, "the nomination form with an error")
    page.get_by_label("Statement").fill(STATEMENT)
    press_button(page, "Make the nomination")
    assert page.get_by_text("Waiting for the society's officers to check it.").is_visible()
    assert_accessible(page, "the election with the nomination made")
    sign_out(page)


def the_secretary_checks_and_starts_the_poll(page: Any, j: Journey, committed_db: Any) -> None:
    sign_in(page, SECRETARY)
    page.goto(f"{j.prefix}/new")
    assert_accessible(page, "setting up an election")
    page.goto(f"{j.prefix}/{j.election_id}/manage")
    assert_accessible(page, "running the election, nominations open")
    page.get_by_role("link", name="Check the nomination of Priya Parent").click()
    page.wait_for_load_state()
    assert page.get_by_text(STATEMENT).is_visible()
    assert_accessible(page, "checking a nomination")
    page.get_by_label("Accept the nomination").check()
    press_button(page, "Save the decision")
    assert page.get_by_text("Priya Parent's nomination is accepted.").is_visible()
    # The nomination period ends (a week passes).
    with council_context(j.council_id):
        election = committed_db.session.scalar(select(Election).where(Election.id == j.election_id))
        election.nominations_open_on = timing.today() - timedelta(days=8)
        election.nominations_close_on = timing.today() - timedelta(days=1)
        committed_db.session.commit()
    committed_db.session.close()
    page.reload()
    press_button(page, "Start the poll")
    assert page.get_by_text("The poll has started.").is_visible()
    assert_accessible(page, "running the election, polling")
    sign_out(page)


def a_member_votes(page: Any, j: Journey, email: str, ranking: list[str]) -> None:
    sign_in(page, email)
    page.goto(f"{j.prefix}/{j.election_id}")
    assert_accessible(page, "the election while polling")
    press_button(page, "Vote in your constituency")  # a link drawn as a button
    assert_accessible(page, "the constituency's ballot paper")
    for position, name in enumerate(ranking, start=1):
        page.get_by_label(name).select_option(str(position))
    press_button(page, "Continue")
    assert page.get_by_role("heading", name="Check your vote").is_visible()
    press_button(page, "Cast your vote")
    assert page.get_by_role("heading", name="Your vote has been cast").is_visible()
    assert_accessible(page, "the receipt")
    sign_out(page)


def the_secretary_counts_and_declares(page: Any, j: Journey, run_jobs) -> None:
    sign_in(page, SECRETARY)
    page.goto(f"{j.prefix}/{j.election_id}/manage")
    press_button(page, "Close voting now")
    assert page.get_by_text("Voting is closed in every constituency.").is_visible()
    press_button(page, "Count the votes")
    assert_accessible(page, "the count waiting for its jobs")
    run_jobs()
    page.reload()
    page.get_by_role("link", name="Check the result before declaring it").click()
    page.wait_for_load_state()
    assert_accessible(page, "the result before it is declared")
    page.goto(f"{j.prefix}/{j.election_id}/manage")
    press_button(page, "Declare the result")
    assert page.get_by_text("The result is declared and published").is_visible()
    sign_out(page)


def anyone_reads_the_result(page: Any, j: Journey) -> None:
    page.goto(f"{j.prefix}/{j.election_id}/results")
    assert page.get_by_role("heading", name="Parents constituency").is_visible()
    assert page.get_by_role("heading", name="Staff constituency").is_visible()
    assert page.get_by_role("region", name="Votes at each stage of the count").count() == 2
    elected = page.get_by_role("table", name="People elected, with their terms")
    assert "Priya Parent" in elected.inner_text()
    assert_accessible(page, "the declared result")


def test_stand_check_poll_vote_count_and_declare(page_without_js, journey, committed_db, run_jobs):
    page, j = page_without_js, journey
    a_parent_stands(page, j)
    the_secretary_checks_and_starts_the_poll(page, j, committed_db)
    a_member_votes(page, j, PARENT_VOTER, ["Priya Parent", "Ann Able"])
    a_member_votes(page, j, STAFF_VOTER, ["Sol Smith"])
    the_secretary_counts_and_declares(page, j, run_jobs)
    anyone_reads_the_result(page, j)
