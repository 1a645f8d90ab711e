"""The care journeys in a real browser without JavaScript, axe-core on every page they visit.

1. A person supported signs in, opens their support plan and sees the log of
   who read it; a member of staff of their team updates the plan; a member of
   staff of another team is refused (404) and the refusal is audited.
2. Someone tells a story without signing in; the enterprise's moderator
   publishes it and replies; the story and the reply are on the public page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.care import operations, queries
from app.care.models import CareEnterprise, CareStory, StoryStatus
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PERSON = "pat.person@example.org"
STAFF = "sam.staff@example.org"
OTHER_STAFF = "olive.other@example.org"
MODERATOR = "mo.moderator@example.org"


@pytest.fixture
def care(browser_world: BrowserWorld, committed_db: Any) -> dict[str, Any]:
    db = committed_db
    password = hash_password(BrowserWorld.password)
    people = {
        email: User(email=email, name=name, password_hash=password)
        for email, name in (
            (PERSON, "Pat Person"),
            (STAFF, "Sam Staff"),
            (OTHER_STAFF, "Olive Other-Team"),
            (MODERATOR, "Mo Moderator"),
        )
    }
    db.session.add_all(people.values())
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        for user in people.values():
            db.session.add(CouncilRole(user_id=user.id, role=Role.RESIDENT, modules=[]))
        set_module_enabled("care", True)
        enterprise = operations.create_enterprise(name="Rochdale Care Co-operative", model="staff_mutual", by=None)
        home_care = operations.add_service(enterprise, name="Home care North", kind="home_care", by=None)
        day = operations.add_service(enterprise, name="Day centre", kind="day_services", by=None)
        north = operations.add_team(home_care, name="North team", by=None)
        centre = operations.add_team(day, name="Centre team", by=None)
        operations.add_team_member(north, people[STAFF], by=None)
        operations.add_team_member(centre, people[OTHER_STAFF], by=None)
        operations.name_person(enterprise, people[MODERATOR], "moderator", by=None)
        record = operations.add_person(north, name="Pat Person", user=people[PERSON], by=None)
        operations.update_plan(
            record,
            outcomes="I want to get to the allotment on Tuesdays.",
            who_helps="Sam helps with the shopping.",
            review_on=timing.today() + timedelta(days=90),
            by=people[STAFF],
        )
        ids = {"enterprise": enterprise.id, "record": record.id}
        db.session.commit()
    db.session.close()
    return {"prefix": f"{browser_world.prefix}/care", "council_id": council_id, **ids}


def test_a_person_reads_their_plan_their_team_updates_it_another_team_is_refused(page_without_js, care, committed_db):
    page, prefix = page_without_js, care["prefix"]
    person_url = f"{prefix}/people/{care['record']}"

    # The person signs in, finds their plan and opens it; the read log shows their own read.
    sign_in(page, PERSON)
    page.goto(f"{prefix}/")
    assert_accessible(page, "the care start page of a person supported")
    page.get_by_role("link", name="Support plan of Pat Person").click()
    page.wait_for_load_state()
    assert_accessible(page, "the plan's front page")
    press_button(page, "Open the support plan")
    assert page.get_by_text("I want to get to the allotment on Tuesdays.").is_visible()
    log = page.get_by_role("table", name="Every time the plan was opened, newest first")
    assert log.get_by_text("Pat Person").is_visible()
    assert_accessible(page, "the support plan with its read log")
    page.get_by_label("Add a comment on the plan").fill("Could visits be after 9am?")
    press_button(page, "Add the comment")
    assert page.get_by_text("Could visits be after 9am?").is_visible()
    sign_out(page)

    # A member of staff of the team opens the plan and updates it.
    sign_in(page, STAFF)
    page.goto(person_url)
    press_button(page, "Open the support plan")
    page.get_by_role("link", name="Update the plan").click()
    page.wait_for_load_state()
    assert_accessible(page, "the plan update form")
    page.get_by_label("What matters to the person, in their own words").fill(
        "I want to get to the allotment on Tuesdays and Fridays."
    )
    press_button(page, "Save the plan")
    assert page.get_by_text("The support plan is updated").is_visible()
    assert page.get_by_text("I want to get to the allotment on Tuesdays and Fridays.").is_visible()
    assert_accessible(page, "the updated plan")
    sign_out(page)

    # A member of staff of another team is refused, and the refusal is audited.
    sign_in(page, OTHER_STAFF)
    response = page.goto(person_url)
    assert response.status == 404
    assert_accessible(page, "the refusal")
    # Sending the "open" form anyway (a copied form, with this session's own CSRF token) is refused and audited.
    page.goto("/sign-out")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = page.request.post(
        f"{person_url}/open", form={"csrf_token": token}, headers={"Referer": page.url}, max_redirects=0
    )
    assert refused.status == 404
    press_button(page, "Sign out")

    # The person sees that the member of staff read their plan.
    sign_in(page, PERSON)
    page.goto(person_url)
    press_button(page, "Open the support plan")
    log = page.get_by_role("table", name="Every time the plan was opened, newest first")
    assert log.get_by_text("Sam Staff").is_visible()
    assert page.get_by_text("and Fridays").is_visible()

    db = committed_db
    with council_context(care["council_id"]):
        assert [v.version for v in queries.plan_versions(care["record"])] == [2, 1]
        readers = [r.user_id for r in queries.reads(care["record"])]
        refusals = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "care.plan_read_refused")).all()
        other = db.session.scalar(select(User.id).where(User.email == OTHER_STAFF))
        assert other not in readers and len(readers) == 3
        assert [(e.actor_user_id, e.subject_id) for e in refusals] == [(other, str(care["record"]))]
        db.session.rollback()


def test_a_story_is_told_moderated_answered_and_published(page_without_js, care, committed_db):
    page, prefix = page_without_js, care["prefix"]
    enterprise_url = f"{prefix}/enterprises/{care['enterprise']}"

    # Someone who is not signed in tells a story, anonymously.
    page.goto(enterprise_url)
    assert_accessible(page, "the enterprise's public page")
    page.get_by_role("link", name="Tell us about the care you received").click()
    page.wait_for_load_state()
    assert_accessible(page, "the story form")
    page.get_by_label("Your name as it should appear (optional)").fill("Pat")
    press_button(page, "Send your story")
    # Every problem at once, each linked to its field, and what was typed is kept.
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter a title for your story").is_visible()
    assert summary.get_by_role("link", name="Tell us your story").is_visible()
    assert page.get_by_label("Your name as it should appear (optional)").input_value() == "Pat"
    assert_accessible(page, "the story form with errors")
    page.get_by_label("Your name as it should appear (optional)").fill("")
    page.get_by_label("Give your story a title").fill("They listen")
    page.get_by_label("Your story", exact=True).fill("The North team always ask how I want things done.")
    page.get_by_label("Which service is it about? (optional)").select_option(label="Home care North")
    press_button(page, "Send your story")
    assert page.get_by_text("Thank you for your story").is_visible()
    assert_accessible(page, "the story sent page")
    page.goto(f"{enterprise_url}/moderation-policy")
    assert_accessible(page, "the moderation policy")

    # The moderator publishes it and replies.
    sign_in(page, MODERATOR)
    page.goto(f"{enterprise_url}/moderation")
    assert_accessible(page, "the moderation queue")
    page.get_by_role("link", name="They listen").click()
    page.wait_for_load_state()
    assert_accessible(page, "a story waiting for moderation")
    press_button(page, "Publish the story")
    assert page.get_by_text("The story is published.").is_visible()
    page.get_by_label("The enterprise's reply").fill("Thank you. We have shared this with the North team.")
    press_button(page, "Publish the reply")
    assert page.get_by_text("Your reply is published with the story.").is_visible()
    assert_accessible(page, "the answered story")
    sign_out(page)

    # The story and the reply are on the public page.
    page.goto(f"{enterprise_url}/stories")
    assert page.get_by_role("heading", name="They listen").is_visible()
    assert page.get_by_text("Told anonymously").is_visible()
    assert page.get_by_text("We have shared this with the North team.").is_visible()
    assert_accessible(page, "the public stories page")

    db = committed_db
    with council_context(care["council_id"]):
        story = db.session.scalar(select(CareStory))
        assert story.status is StoryStatus.PUBLISHED and story.user_id is None and story.reply
        db.session.rollback()


OFFICER = "olu.officer@example.org"


def test_the_other_care_pages_are_accessible(page_without_js, care, committed_db):
    """Officers' pages, the survey and its results chart, a team's page and a held story, checked with axe-core."""
    page, prefix = page_without_js, care["prefix"]
    db = committed_db
    officer = User(email=OFFICER, name="Olu Officer", password_hash=hash_password(BrowserWorld.password))
    db.session.add(officer)
    db.session.flush()
    with council_context(care["council_id"]):
        db.session.add(CouncilRole(user_id=officer.id, role=Role.OFFICER, modules=["care"]))
        enterprise = db.session.scalar(select(CareEnterprise).where(CareEnterprise.id == care["enterprise"]))
        operations.submit_story(enterprise, title="Cold lunch", body="Ring me on 07700 900456 about it.")
        db.session.commit()
    db.session.close()

    sign_in(page, PERSON)
    page.goto(f"{prefix}/survey")
    assert_accessible(page, "the survey")
    press_button(page, "Send your answers")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Choose how satisfied you are with your care and support").is_visible()
    assert summary.get_by_role("link", name="Choose how much control you have over your daily life").is_visible()
    assert_accessible(page, "the survey with errors")
    page.get_by_label("I am very satisfied").check()
    page.get_by_label("I have adequate control over my daily life").check()
    press_button(page, "Send your answers")
    assert page.get_by_text("Your answers have been saved").is_visible()
    sign_out(page)

    sign_in(page, STAFF)
    page.goto(f"{prefix}/")
    page.get_by_role("link", name="The people your team supports").click()
    page.wait_for_load_state()
    assert_accessible(page, "the team's page")
    sign_out(page)

    sign_in(page, MODERATOR)
    page.goto(f"{prefix}/enterprises/{care['enterprise']}/moderation")
    page.get_by_role("link", name="Cold lunch").click()
    page.wait_for_load_state()
    assert page.get_by_text("the automatic screen found a phone number").is_visible()
    assert_accessible(page, "a held story")
    sign_out(page)

    sign_in(page, OFFICER)
    page.goto(f"{prefix}/manage")
    assert_accessible(page, "the officers' list of enterprises")
    press_button(page, "Set up the enterprise")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter the society's name").is_visible()
    assert summary.get_by_role("link", name="Choose how the enterprise is owned").is_visible()
    assert_accessible(page, "the set-up form with errors")
    page.goto(f"{prefix}/manage/enterprises/{care['enterprise']}")
    assert_accessible(page, "an enterprise's management page")
    page.get_by_label("Email address of their account (optional)").fill("nobody@example.org")
    press_button(page, "Add the person")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter the person's name").is_visible()
    assert summary.get_by_role("link", name="Choose a team from the list").is_visible()
    account = "Enter the email address of someone with an account in this council"
    assert summary.get_by_role("link", name=account).is_visible()
    assert page.get_by_label("Email address of their account (optional)").input_value() == "nobody@example.org"
    assert_accessible(page, "the management page with errors")
    page.goto(f"{prefix}/manage/enterprises/{care['enterprise']}/results")
    assert page.get_by_role("img", name="Overall satisfaction with care and support, by service").is_visible()
    assert_accessible(page, "the survey results")
