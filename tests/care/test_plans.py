"""Support plans: who may read them, the read log, refusals (404 and an audit entry), updates and comments."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.care import queries
from app.care.models import CarePlanRead
from app.extensions import db
from tenants.context import council_context
from tests.fixtures.sessions import post

OUTCOME = "allotment on Tuesdays"


def _open(client, world):
    return post(client, f"{world.prefix}/people/{world.record}/open")


def _reads(world):
    with council_context(world.council.id):
        return [(r.user_id) for r in db.session.scalars(select(CarePlanRead).order_by(CarePlanRead.id))]


def _refusals(world):
    with council_context(world.council.id):
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "care.plan_read_refused")))


def test_the_person_opens_their_plan_and_the_read_is_logged(world, client_for):
    client = client_for(world.person)
    landing = client.get(f"{world.prefix}/people/{world.record}")
    assert landing.status_code == 200
    assert OUTCOME not in landing.get_data(as_text=True)  # nothing of the plan before it is opened
    assert client.get(f"{world.prefix}/people/{world.record}/plan").status_code == 302  # not opened yet
    opened = _open(client, world)
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/people/{world.record}/plan")
    page = client.get(f"{world.prefix}/people/{world.record}/plan")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert OUTCOME in body
    assert "Who has read this plan" in body and "Pat Person" in body
    assert _reads(world) == [world.person.id]


def test_every_allowed_reader_is_logged_and_shown_to_the_person(world, client_for):
    for reader in (world.carer, world.staff, world.plan_officer):
        assert _open(client_for(reader), world).status_code == 302
    assert _reads(world) == [world.carer.id, world.staff.id, world.plan_officer.id]
    client = client_for(world.person)
    _open(client, world)
    body = client.get(f"{world.prefix}/people/{world.record}/plan").get_data(as_text=True)
    for name in ("Cara Carer", "Sam Staff", "Pip Plan-Officer"):
        assert name in body


def test_someone_outside_the_team_gets_a_404_and_an_audit_entry(world, client_for):
    for outsider in (world.other_staff, world.officer, world.admin, world.moderator, world.neighbour):
        client = client_for(outsider)
        assert client.get(f"{world.prefix}/people/{world.record}").status_code == 404
        assert _open(client, world).status_code == 404
        assert client.get(f"{world.prefix}/people/{world.record}/plan").status_code == 404
        assert client.get(f"{world.prefix}/people/{world.record}/plan/edit").status_code == 404
    refusals = _refusals(world)
    assert [e.actor_user_id for e in refusals] == [
        world.other_staff.id,
        world.officer.id,
        world.admin.id,
        world.moderator.id,
        world.neighbour.id,
    ]
    assert {e.subject_id for e in refusals} == {str(world.record)}
    assert _reads(world) == []


def test_another_councils_person_cannot_open_the_plan(world, client_for):
    other = f"/c/{world.other_council.slug}/care/people/{world.record}/open"
    assert post(client_for(world.stranger), other).status_code == 404
    assert _reads(world) == []


def test_staff_of_the_team_update_the_plan_and_the_old_version_stays(world, client_for):
    client = client_for(world.staff)
    _open(client, world)
    form = client.get(f"{world.prefix}/people/{world.record}/plan/edit")
    assert form.status_code == 200 and OUTCOME in form.get_data(as_text=True)
    response = post(
        client,
        f"{world.prefix}/people/{world.record}/plan/edit",
        {
            "outcomes": "I want to grow leeks at the allotment and walk the dog.",
            "who_helps": "Sam, Cara",
            "review_on-day": "1",
            "review_on-month": "6",
            "review_on-year": "2030",
        },
    )
    assert response.status_code == 302
    with council_context(world.council.id):
        versions = queries.plan_versions(world.record)
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "care.plan_updated")).all()
    assert [v.version for v in versions] == [2, 1]
    assert versions[0].outcomes.startswith("I want to grow leeks") and OUTCOME in versions[1].outcomes
    assert versions[0].written_by_user_id == world.staff.id
    assert [e.payload["version"] for e in events] == [1, 2]


def test_a_bad_plan_update_is_refused_with_messages(world, client_for):
    client = client_for(world.staff)
    _open(client, world)
    response = post(client, f"{world.prefix}/people/{world.record}/plan/edit", {"outcomes": " ", "review_on-day": "x"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in body and "#review_on" in body
    with council_context(world.council.id):
        assert len(queries.plan_versions(world.record)) == 1


def test_the_person_and_their_carer_cannot_change_the_plan_but_can_comment(world, client_for):
    for reader in (world.person, world.carer):
        client = client_for(reader)
        _open(client, world)
        assert client.get(f"{world.prefix}/people/{world.record}/plan/edit").status_code == 403
        response = post(client, f"{world.prefix}/people/{world.record}/comments", {"body": f"Hello from {reader.name}"})
        assert response.status_code == 302
    staff = client_for(world.staff)
    _open(staff, world)
    assert post(staff, f"{world.prefix}/people/{world.record}/comments", {"body": "staff note"}).status_code == 403
    with council_context(world.council.id):
        assert [c.body for c in queries.comments(world.record)] == ["Hello from Pat Person", "Hello from Cara Carer"]


def test_an_empty_comment_is_refused(world, client_for):
    client = client_for(world.person)
    _open(client, world)
    response = post(client, f"{world.prefix}/people/{world.record}/comments", {"body": ""})
    assert response.status_code == 422 and "Enter your comment" in response.get_data(as_text=True)


def test_staff_record_a_review(world, client_for):
    client = client_for(world.staff)
    _open(client, world)
    bad = post(client, f"{world.prefix}/people/{world.record}/reviews", {"notes": "Went well"})
    assert bad.status_code == 422
    good = post(
        client,
        f"{world.prefix}/people/{world.record}/reviews",
        {"notes": "Went well", "reviewed_on-day": "1", "reviewed_on-month": "1", "reviewed_on-year": "2025"},
    )
    assert good.status_code == 302
    body = client.get(f"{world.prefix}/people/{world.record}/plan").get_data(as_text=True)
    assert "Went well" in body
    assert post(client_for(world.person), f"{world.prefix}/people/{world.record}/reviews", {}).status_code == 403


def test_the_team_page_is_for_its_staff(world, client_for):
    assert "Pat Person" in client_for(world.staff).get(f"{world.prefix}/teams/{world.north}").get_data(as_text=True)
    assert client_for(world.other_staff).get(f"{world.prefix}/teams/{world.north}").status_code == 404
    assert client_for(None).get(f"{world.prefix}/teams/{world.north}").status_code == 302
