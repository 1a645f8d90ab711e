"""Feedback stories: telling one (anonymous allowed), the automatic screen, moderation, replies, the public page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.care import operations
from app.care.models import CareEnterprise, CareStory, StoryStatus
from app.care.screen import is_nhs_number, screen
from app.extensions import db
from tenants.context import council_context
from tests.fixtures.sessions import post


def _story(world, story_id):
    with council_context(world.council.id):
        return db.session.scalar(select(CareStory).where(CareStory.id == story_id))


def _tell(client, world, **fields):
    data = {"title": "Lovely carers", "body": "Sam always has time for a chat.", "author_name": "", **fields}
    return post(client, f"{world.prefix}/enterprises/{world.enterprise}/stories/new", data)


def _only_story(world):
    with council_context(world.council.id):
        return db.session.scalars(select(CareStory)).one()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("write to me at pat@example.org", ["email"]),
        ("ring 07700 900123 any time", ["phone"]),
        ("ring +44 (0)161 496 0000", ["phone"]),
        ("I live at OL11 2AB near the park", ["postcode"]),
        ("my NHS number is 943 476 5919", ["nhs_number"]),
        ("my NHS number is 9434765919", ["nhs_number"]),
        ("Ten out of 10, thank you to the whole team in 2025!", []),
        ("reference 1234567890 is not an NHS number", []),
    ],
)
def test_the_screen_finds_personal_data(text, found):
    assert screen(text) == found


def test_nhs_number_check_digit():
    assert is_nhs_number("9434765919")
    assert not is_nhs_number("9434765918")


def test_anyone_can_tell_a_story_anonymously(world, client_for):
    response = _tell(client_for(None), world)
    assert response.status_code == 200 and "Thank you for your story" in response.get_data(as_text=True)
    story = _only_story(world)
    assert story.status is StoryStatus.PENDING and story.author_name == "" and story.user_id is None


def test_a_story_needs_a_title_and_a_body(world, client_for):
    response = _tell(client_for(None), world, title="", body="")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in body and "#title" in body
    with council_context(world.council.id):
        assert db.session.scalars(select(CareStory)).all() == []


def test_a_story_with_personal_data_is_held_and_never_on_the_public_page(world, client_for):
    response = _tell(client_for(world.person), world, body="Call my son on 07700 900123, he will tell you.")
    assert response.status_code == 200 and "held" in response.get_data(as_text=True)
    story = _only_story(world)
    assert story.status is StoryStatus.HELD and story.screen_flags == ["phone"]
    moderator = client_for(world.moderator)
    refused = post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "publish"})
    assert refused.status_code == 409 and "cannot be published" in refused.get_data(as_text=True)
    assert _story(world, story.id).status is StoryStatus.HELD
    public = client_for(None).get(f"{world.prefix}/enterprises/{world.enterprise}/stories").get_data(as_text=True)
    assert "07700" not in public and "Lovely carers" not in public


def test_the_moderator_holds_a_story_the_screen_missed_and_it_comes_off_the_public_page(world, client_for):
    _tell(client_for(None), world, body="Mrs Jones at number 4 Acacia Avenue was rude.")
    story = _only_story(world)
    moderator = client_for(world.moderator)
    assert post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "publish"}).status_code == 302
    public_url = f"{world.prefix}/enterprises/{world.enterprise}/stories"
    assert "Acacia Avenue" in client_for(None).get(public_url).get_data(as_text=True)
    assert post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "hold", "note": ""}).status_code == 422
    held = post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "hold", "note": "Names a neighbour"})
    assert held.status_code == 302
    assert _story(world, story.id).status is StoryStatus.HELD
    assert "Acacia Avenue" not in client_for(None).get(public_url).get_data(as_text=True)
    refused = post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "publish"})
    assert refused.status_code == 409


def test_a_held_story_redacted_by_the_moderator_can_then_be_published(world, client_for):
    _tell(client_for(None), world, body="Ring 0161 496 0000. The staff were kind.")
    story = _only_story(world)
    moderator = client_for(world.moderator)
    still = post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "redact", "body": "Ring 0161 496 0000."})
    assert still.status_code == 422
    assert (
        post(
            moderator, f"{world.prefix}/stories/{story.id}", {"action": "redact", "body": "The staff were kind."}
        ).status_code
        == 302
    )
    assert _story(world, story.id).status is StoryStatus.PENDING
    assert post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "publish"}).status_code == 302


def test_published_and_answered_stories_appear_on_the_public_page(world, client_for):
    _tell(client_for(world.carer), world, author_name="Cara")
    story = _only_story(world)
    moderator = client_for(world.moderator)
    early = post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "reply", "reply": "Thanks"})
    assert early.status_code == 409
    post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "publish"})
    reply = "Thank you, Cara. We have passed this on to Sam."
    assert post(moderator, f"{world.prefix}/stories/{story.id}", {"action": "reply", "reply": reply}).status_code == 302
    page = client_for(None).get(f"{world.prefix}/enterprises/{world.enterprise}/stories").get_data(as_text=True)
    assert "Lovely carers" in page and "Told by Cara" in page and "passed this on to Sam" in page


def test_only_named_moderators_moderate(world, client_for):
    _tell(client_for(None), world)
    story = _only_story(world)
    for someone in (world.officer, world.admin, world.staff, world.person):
        client = client_for(someone)
        assert client.get(f"{world.prefix}/stories/{story.id}").status_code == 404
        assert post(client, f"{world.prefix}/stories/{story.id}", {"action": "publish"}).status_code == 404
        assert client.get(f"{world.prefix}/enterprises/{world.enterprise}/moderation").status_code == 404
    assert _story(world, story.id).status is StoryStatus.PENDING
    queue = client_for(world.moderator).get(f"{world.prefix}/enterprises/{world.enterprise}/moderation")
    assert queue.status_code == 200 and "Lovely carers" in queue.get_data(as_text=True)


def test_an_unknown_moderation_action_is_a_400(world, client_for):
    _tell(client_for(None), world)
    story = _only_story(world)
    assert post(client_for(world.moderator), f"{world.prefix}/stories/{story.id}", {"action": "x"}).status_code == 400


def test_a_story_about_another_enterprises_service_is_refused(in_council):
    world = in_council
    enterprise = db.session.scalar(select(CareEnterprise).where(CareEnterprise.id == world.enterprise))
    with pytest.raises(operations.CareError) as refused:
        operations.submit_story(enterprise, title="T", body="B", service_id=world.home_care + 1000)
    assert refused.value.field == "service_id"


def test_the_policy_page_is_public(world, client_for):
    page = client_for(None).get(f"{world.prefix}/enterprises/{world.enterprise}/moderation-policy")
    assert page.status_code == 200 and "NHS numbers" in page.get_data(as_text=True)
