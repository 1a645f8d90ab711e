"""Every care form checks all its fields at once: one error summary lists each problem, linked to its field,
what was typed is shown again, and nothing is written."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from app.care.models import (
    CareEnterprise,
    CareNamedPerson,
    CarePerson,
    CarePlanReview,
    CarePlanVersion,
    CareService,
    CareStory,
    CareSurveyResponse,
    CareTeam,
    CareTeamMember,
)
from app.extensions import db
from app.governance.models import Society
from tenants.context import council_context
from tests.fixtures.sessions import post

TABLES = (
    Society,
    CareEnterprise,
    CareService,
    CareTeam,
    CareTeamMember,
    CarePerson,
    CareNamedPerson,
    CarePlanVersion,
    CarePlanReview,
    CareStory,
    CareSurveyResponse,
)


def _counts(world) -> dict[str, int]:
    with council_context(world.council.id):
        return {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def summary_links(response) -> list[tuple[str, str]]:
    """The error summary's (link, message) pairs, in order."""
    body = response.get_data(as_text=True)
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert found is not None, "no error summary on the page"
    return [(href, unescape(text).strip()) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', found[0])]


def _field_has_error(response, field_id: str) -> bool:
    """The field's own GOV.UK error message is shown (the error summary apart)."""
    return f'id="{field_id}-error"' in response.get_data(as_text=True)


def _refused_with(response, expected: list[tuple[str, str]]) -> None:
    assert response.status_code == 422
    assert summary_links(response) == expected
    for href, _message in expected:
        assert _field_has_error(response, href.removeprefix("#").removesuffix("-day"))


def test_setting_up_an_enterprise_shows_every_problem(world, client_for):
    officer = client_for(world.officer)
    before = _counts(world)
    blank = post(officer, f"{world.prefix}/manage", {"name": "", "model": "nonsense"})
    _refused_with(blank, [("#name", "Enter the society's name"), ("#model", "Choose how the enterprise is owned")])
    taken = post(officer, f"{world.prefix}/manage", {"name": "Rochdale Care Co-operative", "model": ""})
    _refused_with(
        taken,
        [
            ("#name", "The council already has a society called Rochdale Care Co-operative"),
            ("#model", "Choose how the enterprise is owned"),
        ],
    )
    assert 'value="Rochdale Care Co-operative"' in taken.get_data(as_text=True)
    kept = post(officer, f"{world.prefix}/manage", {"name": "", "model": "staff_mutual"})
    assert re.search(r'value="staff_mutual"\s+checked', kept.get_data(as_text=True))
    assert _counts(world) == before


def test_each_form_of_the_enterprise_page_shows_every_problem_and_keeps_what_was_typed(world, client_for):
    officer = client_for(world.officer)
    base = f"{world.prefix}/manage/enterprises/{world.enterprise}"
    before = _counts(world)
    account = "Enter the email address of someone with an account in this council"

    service = post(officer, f"{base}/services", {"name": "Home care North", "kind": "bad"})
    _refused_with(
        service,
        [
            ("#name", "The enterprise already has a service called Home care North"),
            ("#kind", "Choose what kind of service this is"),
        ],
    )
    assert 'value="Home care North"' in service.get_data(as_text=True)

    team = post(officer, f"{base}/teams", {"service_id": "999999", "team_name": ""})
    _refused_with(team, [("#service_id", "Choose a service from the list"), ("#team_name", "Enter the team's name")])
    clash = post(officer, f"{base}/teams", {"service_id": str(world.home_care), "team_name": "north TEAM"})
    _refused_with(clash, [("#team_name", "The service already has a team called north TEAM")])
    assert re.search(rf'value="{world.home_care}"\s+selected', clash.get_data(as_text=True))

    staff = post(officer, f"{base}/staff", {"team_id": "", "email": "nobody@example.org"})
    _refused_with(staff, [("#team_id", "Choose a team from the list"), ("#email", account)])
    assert 'value="nobody@example.org"' in staff.get_data(as_text=True)

    person = post(
        officer,
        f"{base}/people",
        {"person_name": "", "team_id": "x", "person_email": "ghost@example.org", "carer_email": world.stranger.email},
    )
    _refused_with(
        person,
        [
            ("#person_name", "Enter the person's name"),
            ("#person_team_id", "Choose a team from the list"),
            ("#person_email", account),
            ("#carer_email", account),
        ],
    )
    page = person.get_data(as_text=True)
    assert 'value="ghost@example.org"' in page and f'value="{world.stranger.email}"' in page
    # The staff form also posts a team and an email: it does not show what was typed in the person's form.
    assert page.count('value="ghost@example.org"') == 1
    own_carer = post(
        officer,
        f"{base}/people",
        {
            "person_name": "Al",
            "team_id": str(world.north),
            "person_email": world.person.email,
            "carer_email": world.person.email,
        },
    )
    _refused_with(own_carer, [("#carer_email", "A person cannot be their own carer")])

    named = post(officer, f"{base}/named", {"named_email": "", "role": "king"})
    _refused_with(named, [("#named_email", account), ("#role", "Choose what the person is named for")])
    assert _counts(world) == before


def _opened(client, world):
    assert post(client, f"{world.prefix}/people/{world.record}/open").status_code == 302
    return client


def test_the_plan_form_shows_every_problem_and_keeps_what_was_typed(world, client_for):
    staff = _opened(client_for(world.staff), world)
    before = _counts(world)
    response = post(
        staff,
        f"{world.prefix}/people/{world.record}/plan/edit",
        {
            "outcomes": "",
            "who_helps": "x" * 5001,
            "review_on-day": "31",
            "review_on-month": "2",
            "review_on-year": "2027",
        },
    )
    _refused_with(
        response,
        [
            ("#outcomes", "Enter the outcomes the person wants, in their own words"),
            ("#who_helps", "Use 5000 characters or fewer"),
            ("#review_on-day", "Enter the date the plan will be reviewed as a real date, like 27 3 2027"),
        ],
    )
    page = response.get_data(as_text=True)
    assert 'value="31"' in page and 'value="2027"' in page
    assert "x" * 5001 in page
    assert _counts(world) == before


def test_the_review_form_shows_every_problem(world, client_for):
    staff = _opened(client_for(world.staff), world)
    before = _counts(world)
    response = post(
        staff,
        f"{world.prefix}/people/{world.record}/reviews",
        {"reviewed_on-day": "", "reviewed_on-month": "", "reviewed_on-year": "", "notes": " "},
    )
    _refused_with(
        response, [("#reviewed_on-day", "Enter the date of the review"), ("#notes", "Enter what the review agreed")]
    )
    assert _counts(world) == before


def test_telling_a_story_shows_every_problem_and_keeps_what_was_typed(world, client_for):
    before = _counts(world)
    response = post(
        client_for(None),
        f"{world.prefix}/enterprises/{world.enterprise}/stories/new",
        {"title": "", "body": "", "service_id": str(world.home_care + 1000), "author_name": "A" * 201},
    )
    _refused_with(
        response,
        [
            ("#title", "Enter a title for your story"),
            ("#body", "Tell us your story"),
            ("#service_id", "Choose a service from the list"),
            ("#author_name", "Use 200 characters or fewer"),
        ],
    )
    assert f'value="{"A" * 201}"' in response.get_data(as_text=True)
    assert _counts(world) == before


def test_the_survey_shows_every_unanswered_question(world, client_for):
    person = client_for(world.person)
    before = _counts(world)
    response = post(person, f"{world.prefix}/survey", {"service_id": str(world.day_services), "overall": "9"})
    _refused_with(
        response,
        [
            ("#service_id", "Choose the service you are answering about"),
            ("#overall", "Choose how satisfied you are with your care and support"),
            ("#control", "Choose how much control you have over your daily life"),
        ],
    )
    kept = post(person, f"{world.prefix}/survey", {"service_id": str(world.home_care), "control": "2"})
    assert summary_links(kept) == [("#overall", "Choose how satisfied you are with your care and support")]
    assert re.search(r'value="2"\s+checked', kept.get_data(as_text=True))
    assert _counts(world) == before
