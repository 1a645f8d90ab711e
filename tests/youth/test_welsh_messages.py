"""Youth form errors written in Python are whole sentences that follow the person's language."""

from __future__ import annotations

from html import unescape

import pytest

from tests.fixtures.sessions import post
from tests.youth.conftest import build_round
from tests.youth.test_views import _count, _proposal_form


@pytest.fixture(autouse=True)
def _inside(in_council):
    yield


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _welsh(client):
    """Choose Welsh the way the footer's language switch does: it is kept in the session."""
    with client.session_transaction() as session:
        session["lang"] = "cy"
    return client


@pytest.mark.parametrize(
    ("change", "welsh", "english"),
    [
        (
            {"sessions_wanted": "lots"},
            "Rhaid i nifer y sesiynau yr hoffech eu cael fod yn rhif cyfan, fel 12",
            "How many sessions you would like must be a whole number, like 12",
        ),
        ({"audience": ""}, "Rhowch ar gyfer pwy mae'r gwasanaeth", "Enter who the service is for"),
        ({"title": ""}, "Rhowch deitl", "Enter a title"),
    ],
)
def test_a_bad_proposal_is_explained_in_welsh(world, client_for, change, welsh, english):
    from app.youth.models import YouthProposal

    round_ = build_round(world)
    client = _welsh(client_for(world.residents[0]))
    response = post(client, f"{world.prefix}/{round_.id}/propose", _proposal_form(world, round_, **change))
    body = _text(response)
    assert response.status_code == 400
    assert welsh in body and english not in body
    assert "Mae problem wedi codi" in body  # the error summary's heading, from the template
    assert _count(YouthProposal) == 0


def test_a_bad_round_is_explained_in_welsh_and_english(world, client_for):
    from tests.youth.test_views import _round_form

    form = _round_form(min_age="eleven", **{"results_on-day": "", "results_on-month": "", "results_on-year": ""})
    english = post(client_for(world.admin), f"{world.prefix}/manage/new", form)
    welsh = post(_welsh(client_for(world.admin)), f"{world.prefix}/manage/new", form)
    assert english.status_code == welsh.status_code == 400
    assert "The youngest age must be a whole number, like 12" in _text(english)
    assert "Rhaid i'r oedran ieuengaf fod yn rhif cyfan, fel 12" in _text(welsh)
    assert "The youngest age must be" not in _text(welsh)
