"""The schools pages for each role, and bad input: a clear message and a 4xx, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.schools import operations, queries
from app.schools.models import ChecklistItem, Pairing, School, SchoolsTarget, Stage, TrustPartner, ValuesReview
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.sessions import post
from tests.schools.conftest import forum_resolution

TODAY = timing.today()


def _count(world, model) -> int:
    with council_context(world.council.id):
        return db.session.scalar(select(func.count()).select_from(model))


def _date(prefix: str, day) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_anyone_sees_the_trusts_and_the_way_to_apply(world, client_for):
    body = client_for(None).get(f"{world.prefix}/").get_data(as_text=True)
    assert "Mereside Co-operative Learning Trust" in body and "Charitable foundation trust" in body
    page = client_for(world.parent).get(f"{world.prefix}/trusts/{world.trust}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"/societies/{world.trust}/apply" in text and "Partner organisations" in text
    assert "Register of members" not in text  # for the trust's officers only


def test_the_module_switched_off_hides_every_page(world, client_for):
    with council_context(world.council.id):
        set_module_enabled("schools", False)
    db.session.commit()
    assert client_for(world.officer).get(f"{world.prefix}/").status_code == 404
    assert client_for(world.officer).get(f"{world.prefix}/trusts/{world.trust}").status_code == 404


@pytest.mark.parametrize("path", ["/manage", "/pipeline", "/pairings", "/schools/new", "/trusts/new"])
def test_officer_pages_refuse_residents_and_other_modules_officers(world, client_for, path):
    assert client_for(world.parent).get(world.prefix + path).status_code == 403
    assert client_for(world.housing_officer).get(world.prefix + path).status_code == 403
    assert client_for(None).get(world.prefix + path).status_code == 302  # to sign in
    assert client_for(world.officer).get(world.prefix + path).status_code == 200


def test_an_officer_creates_a_trust(world, client_for):
    response = post(
        client_for(world.officer),
        f"{world.prefix}/trusts/new",
        {"name": "Lowfield Trust", "legal_model": "academy", "description": "Primaries together"},
    )
    assert response.status_code == 303
    with council_context(world.council.id):
        created = [t for t in queries.trusts() if t.name == "Lowfield Trust"]
        assert created and queries.trust_detail(created[0].id).legal_model.value == "academy"


def test_a_trust_without_a_legal_model_is_refused_and_nothing_is_written(world, client_for):
    response = post(client_for(world.officer), f"{world.prefix}/trusts/new", {"name": "Lowfield Trust"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the trust&#39;s legal model" in body and 'href="#legal_model"' in body
    with council_context(world.council.id):
        assert [t.name for t in queries.trusts()] == ["Mereside Co-operative Learning Trust"]


def test_the_secretary_adds_partners_and_an_officer_of_another_module_cannot(world, client_for):
    url = f"{world.prefix}/trusts/{world.trust}/partners"
    assert (
        post(client_for(world.secretary), url, {"name": "Mereside NHS Trust", "kind": "nhs_trust"}).status_code == 303
    )
    assert post(client_for(world.housing_officer), url, {"name": "Acme", "kind": "business"}).status_code == 403
    bad = post(client_for(world.secretary), url, {"name": "Acme", "kind": "pirate"})
    assert bad.status_code == 422 and "Choose what kind of partner this is" in bad.get_data(as_text=True)
    assert _count(world, TrustPartner) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"urn": "12"}, "Enter the URN as 6 digits"),
        ({"urn": "140002"}, "Another school already has the URN 140002"),
        ({"pupils": "lots"}, "Enter the number of pupils"),
        ({"society_id": "99999999999999999999"}, "Choose a trust from the list"),
        ({"phase": ""}, "Choose the school&#39;s phase"),
    ],
)
def test_bad_school_details_are_refused_with_a_message(world, client_for, change, message):
    data = {"name": "Hill Top", "urn": "140003", "phase": "primary", "pupils": "120", "society_id": "", **change}
    response = post(client_for(world.officer), f"{world.prefix}/schools/new", data)
    assert response.status_code in (409, 422)
    assert message in response.get_data(as_text=True)
    assert _count(world, School) == 2


def test_an_officer_adds_a_school_and_records_a_judgement(world, client_for):
    officer = client_for(world.officer)
    data = {"name": "Hill Top", "urn": "140003", "phase": "primary", "pupils": "1,020", "society_id": str(world.trust)}
    response = post(officer, f"{world.prefix}/schools/new", data)
    assert response.status_code == 303
    school_url = response.headers["Location"]
    assert (
        post(officer, f"{school_url}/ofsted", {**_date("inspected_on", TODAY), "judgement": "good"}).status_code == 303
    )
    page = officer.get(school_url).get_data(as_text=True)
    assert "Hill Top" in page and "Good" in page and "1020" in page
    future = post(
        officer, f"{school_url}/ofsted", {**_date("inspected_on", TODAY + timedelta(days=3)), "judgement": "good"}
    )
    assert future.status_code == 422 and "cannot be in the future" in future.get_data(as_text=True)


def test_the_pipeline_through_the_pages(world, client_for):
    officer = client_for(world.officer)
    base = f"{world.prefix}/schools/{world.primary}/pipeline"
    assert post(officer, f"{base}/join", _date("on", TODAY)).status_code == 303
    early = post(officer, f"{base}/advance", _date("on", TODAY))
    assert early.status_code == 409 and "Finish the checklist first" in early.get_data(as_text=True)
    with council_context(world.council.id):
        entry = queries.pipeline_entry(world.primary)
        items = [i.id for i in queries.checklist(entry.id) if i.stage is Stage.CONSULTATION]
    for item_id in items:
        assert post(officer, f"{base}/items/{item_id}/tick", _date("on", TODAY)).status_code == 303
    assert post(officer, f"{base}/advance", _date("on", TODAY)).status_code == 303
    with council_context(world.council.id):
        assert queries.pipeline_entry(world.primary).stage is Stage.TRUST_ESTABLISHED
    bad_date = post(officer, f"{base}/advance", {"on-day": "31", "on-month": "2", "on-year": "2026"})
    assert bad_date.status_code == 422 and "as a real date" in bad_date.get_data(as_text=True)
    page = officer.get(f"{world.prefix}/pipeline").get_data(as_text=True)
    assert "<svg" in page and "Lowfield Primary" in page and "Trust established" in page


def test_an_item_of_another_school_is_not_found(world, client_for):
    with council_context(world.council.id):
        operations.join_pipeline(queries.school(world.high), started_on=TODAY, by=None)
        item = db.session.scalars(select(ChecklistItem)).first().id
        operations.join_pipeline(queries.school(world.primary), started_on=TODAY, by=None)
        db.session.commit()
    url = f"{world.prefix}/schools/{world.primary}/pipeline/items/{item}/tick"
    assert post(client_for(world.officer), url, _date("on", TODAY)).status_code == 404


def test_the_target(world, client_for):
    officer = client_for(world.officer)
    bad = post(officer, f"{world.prefix}/pipeline/target", {"target": "-4"})
    assert bad.status_code == 422 and "Enter the target as a whole number" in bad.get_data(as_text=True)
    assert _count(world, SchoolsTarget) == 0
    assert post(officer, f"{world.prefix}/pipeline/target", {"target": "25"}).status_code == 303
    assert "Target: 25" in officer.get(f"{world.prefix}/pipeline").get_data(as_text=True)


def test_pairings_and_reviews_through_the_pages(world, client_for):
    officer = client_for(world.officer)
    data = {"supporting_id": str(world.high), "supported_id": str(world.high), "kind": "federation", "goals": "Maths"}
    same = post(officer, f"{world.prefix}/pairings/new", {**data, **_date("started_on", TODAY)})
    assert same.status_code == 422 and "Choose two different schools" in same.get_data(as_text=True)
    assert _count(world, Pairing) == 0
    data["supported_id"] = str(world.primary)
    response = post(officer, f"{world.prefix}/pairings/new", {**data, **_date("started_on", TODAY)})
    assert response.status_code == 303
    url = response.headers["Location"]
    assert post(officer, url, {"term": "autumn", "year": "2026", "progress": "strong", "notes": ""}).status_code == 303
    again = post(officer, url, {"term": "autumn", "year": "2026", "progress": "some", "notes": ""})
    assert again.status_code == 409 and "This term already has a review" in again.get_data(as_text=True)
    listing = officer.get(f"{world.prefix}/pairings").get_data(as_text=True)
    assert "Mereside High supporting Lowfield Primary" in listing and "Strong progress" in listing


def test_the_trust_secretary_enters_a_values_review_for_the_trust_s_school_only(world, client_for):
    ratings = {"self_help": "4", "self_responsibility": "3", "democracy": "5", "equality": "4", "equity": "3"}
    secretary = client_for(world.secretary)
    missing = post(secretary, f"{world.prefix}/schools/{world.high}/values", {"year": "2026", **ratings})
    assert missing.status_code == 422 and "Rate Solidarity from 1 to 5" in missing.get_data(as_text=True)
    assert _count(world, ValuesReview) == 0
    full = {"year": "2026", "solidarity": "4", "evidence": "Pupil parliament", **ratings}
    assert post(secretary, f"{world.prefix}/schools/{world.high}/values", full).status_code == 303
    assert post(secretary, f"{world.prefix}/schools/{world.primary}/values", full).status_code == 403
    trust_page = client_for(None).get(f"{world.prefix}/trusts/{world.trust}").get_data(as_text=True)
    assert "<svg" in trust_page and "Democracy" in trust_page and "5" in trust_page


def test_trustees_page_explains_how_the_forum_appoints(world, client_for):
    page = client_for(world.secretary).get(f"{world.prefix}/trusts/{world.trust}/trustees")
    assert page.status_code == 200
    assert "The forum appoints trustees by resolution" in page.get_data(as_text=True)
    refused = post(client_for(world.secretary), f"{world.prefix}/trusts/{world.trust}/trustees",
                   {"resolution_id": "", "name": "T", **_date("from_on", TODAY)})  # fmt: skip
    assert refused.status_code == 422
    assert "Choose the forum resolution that appointed the trustee" in refused.get_data(as_text=True)
    assert client_for(world.parent).get(f"{world.prefix}/trusts/{world.trust}/trustees").status_code == 403


def test_a_forum_meeting_is_called_through_the_governance_meeting_pages(world, client_for):
    url = f"/c/{world.council.slug}/societies/{world.trust}/meetings/new"
    start = TODAY + timedelta(days=30)
    data = {
        "body": "forum", "kind": "special", "title": "Forum meeting", "starts_on": start.isoformat(),
        "starts_time": "18:00", "voting_opens_on": TODAY.isoformat(), "voting_opens_time": "09:00",
        "voting_closes_on": start.isoformat(), "voting_closes_time": "20:00", "place": "Hall", "online_link": "",
    }  # fmt: skip
    assert post(client_for(world.secretary), url, {**data, "body": "committee"}).status_code == 422
    response = post(client_for(world.secretary), url, data)
    assert response.status_code == 303
    page = client_for(world.secretary).get(response.headers["Location"]).get_data(as_text=True)
    assert "Special meeting of the forum" in page and "Forum meetings</a>" in page


def test_the_secretary_records_a_trustee_appointed_by_a_forum_resolution(world, client_for):
    with council_context(world.council.id):
        _society, resolution = forum_resolution(world.trust)
        resolution_id = resolution.id
        db.session.commit()
    url = f"{world.prefix}/trusts/{world.trust}/trustees"
    secretary = client_for(world.secretary)
    assert "Forum meeting: Appoint a trustee" in secretary.get(url).get_data(as_text=True)
    bad_member = post(
        secretary, url, {"resolution_id": str(resolution_id), "member_id": "x", **_date("from_on", TODAY)}
    )
    assert bad_member.status_code == 422 and "Choose a member from the list" in bad_member.get_data(as_text=True)
    data = {"resolution_id": str(resolution_id), "member_id": "", "name": "Tara Trustee", **_date("from_on", TODAY)}
    assert post(secretary, url, data).status_code == 303
    with council_context(world.council.id):
        (trustee,) = queries.trustees(world.trust)
    assert trustee.name == "Tara Trustee" and trustee.resolution_id == resolution_id
    early = post(secretary, f"{url}/{trustee.id}/end", _date("to_on", TODAY - timedelta(days=1)))
    assert early.status_code == 422 and "The end cannot be before the appointment" in early.get_data(as_text=True)
    assert post(secretary, f"{url}/{trustee.id}/end", _date("to_on", TODAY)).status_code == 303
    assert "Tara Trustee" not in client_for(None).get(f"{world.prefix}/trusts/{world.trust}").get_data(as_text=True)
