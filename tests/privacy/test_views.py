"""The data rights pages: a resident's own data and requests, and the administrators' queue."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.privacy.models import DataRightsRequest, RequestKind, RequestStatus
from tenants.context import council_context
from tests.fixtures.sessions import send, session_client


def _client(app, person):
    return session_client(app, person.id if person is not None else None)


def _erasure_request(world) -> DataRightsRequest:
    with council_context(world.council.id):
        return db.session.scalar(select(DataRightsRequest).where(DataRightsRequest.kind == RequestKind.ERASURE))


def test_a_resident_sees_everything_held_about_them(app, world):
    page = send(_client(app, world.rosa), "GET", f"{world.prefix}/my-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in (
        "Rosa Resident",
        "Friday football",
        "Which park improvements?",
        "Old Mill Co-operative",
        "17 May 1980",
    ):
        assert text in html
    assert "Record 1" not in html and "password" not in html.lower()


def test_signed_out_people_are_sent_to_sign_in(app, world):
    for method, path in (("GET", "/my-data"), ("GET", "/my-data/erase"), ("GET", "/privacy/requests")):
        response = send(_client(app, None), method, f"{world.prefix}{path}")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_download_is_json_and_recorded(app, world):
    response = send(_client(app, world.rosa), "POST", f"{world.prefix}/my-data/download")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data())
    assert document["modules"]["youth"]["proposals"][0]["title"] == "Friday football"
    with council_context(world.council.id):
        [request] = db.session.scalars(select(DataRightsRequest)).all()
        assert (request.kind, request.status) == (RequestKind.ACCESS, RequestStatus.COMPLETED)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.data_downloaded"))


def test_a_download_without_the_csrf_token_is_refused(app, world):
    response = send(_client(app, world.rosa), "POST", f"{world.prefix}/my-data/download", csrf=False)
    assert response.status_code == 400


def test_erasure_needs_the_confirmation(app, world):
    client = _client(app, world.rosa)
    page = send(client, "GET", f"{world.prefix}/my-data/erase")
    assert page.status_code == 200
    assert "Co-operative and Community Benefit Societies Act 2014" in page.get_data(as_text=True)
    refused = send(client, "POST", f"{world.prefix}/my-data/erase", {})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "There is a problem" in html and 'href="#confirm"' in html
    assert _erasure_request(world) is None


def test_erasure_request_then_a_second_is_refused(app, world):
    client = _client(app, world.rosa)
    sent = send(client, "POST", f"{world.prefix}/my-data/erase", {"confirm": "y"})
    assert sent.status_code == 302
    request = _erasure_request(world)
    assert request.status is RequestStatus.RECEIVED and request.user_id == world.rosa.id
    mine = send(client, "GET", f"{world.prefix}/my-data").get_data(as_text=True)
    assert "You have asked for your data to be erased" in mine
    again = send(client, "POST", f"{world.prefix}/my-data/erase", {"confirm": "y"})
    assert again.status_code in (400, 409)


def test_only_administrators_see_the_queue(app, world):
    assert send(_client(app, world.rosa), "GET", f"{world.prefix}/privacy/requests").status_code == 403
    assert send(_client(app, world.stranger), "GET", f"{world.prefix}/privacy/requests").status_code == 403
    assert send(_client(app, world.admin), "GET", f"{world.prefix}/privacy/requests").status_code == 200


def test_the_queue_shows_the_clock_soonest_due_first(app, world):
    send(_client(app, world.rosa), "POST", f"{world.prefix}/my-data/erase", {"confirm": "y"})
    send(_client(app, world.voters[0]), "POST", f"{world.prefix}/my-data/erase", {"confirm": "y"})
    with council_context(world.council.id):
        late = db.session.scalar(select(DataRightsRequest).where(DataRightsRequest.user_id == world.voters[0].id))
        late.received_on -= timedelta(days=40)
        late.due_on -= timedelta(days=40)
        db.session.commit()
    html = send(_client(app, world.admin), "GET", f"{world.prefix}/privacy/requests").get_data(as_text=True)
    assert "govuk-tag--red" in html and "Overdue by" in html
    assert html.index("Vic Voter") < html.index("Rosa Resident")


def test_an_officer_extends_and_completes_the_request(app, world):
    send(_client(app, world.rosa), "POST", f"{world.prefix}/my-data/erase", {"confirm": "y"})
    request = _erasure_request(world)
    admin = _client(app, world.admin)
    url = f"{world.prefix}/privacy/requests/{request.id}"
    detail = send(admin, "GET", url)
    assert detail.status_code == 200 and "Friday football" in detail.get_data(as_text=True)

    bad = send(admin, "POST", f"{url}/extend", {"months": "7", "reason": ""})
    assert bad.status_code == 400
    assert 'href="#months"' in bad.get_data(as_text=True) or 'href="#reason"' in bad.get_data(as_text=True)
    good = send(admin, "POST", f"{url}/extend", {"months": "1", "reason": "Records in two co-operatives"})
    assert good.status_code == 302

    done = send(admin, "POST", f"{url}/complete")
    assert done.status_code == 302
    assert _erasure_request(world).status is RequestStatus.COMPLETED
    # Rosa's session is over, and her account cannot come back.
    assert send(_client(app, world.rosa), "GET", f"{world.prefix}/my-data").status_code == 302
    twice = send(admin, "POST", f"{url}/complete")
    assert twice.status_code == 409


def test_bad_ids_are_404(app, world):
    admin = _client(app, world.admin)
    for path in ("/privacy/requests/0", "/privacy/requests/999999999", "/privacy/requests/99999999999999999999"):
        assert send(admin, "GET", f"{world.prefix}{path}").status_code == 404
    assert send(admin, "POST", f"{world.prefix}/privacy/requests/999999999/complete").status_code == 404


def test_people_of_another_council_are_refused(app, world):
    stranger = _client(app, world.stranger)
    assert send(stranger, "GET", f"{world.prefix}/my-data").status_code == 403
    assert send(stranger, "POST", f"{world.prefix}/my-data/download").status_code == 403
    assert send(stranger, "POST", f"{world.prefix}/my-data/erase", {"confirm": "y"}).status_code == 403
    assert _erasure_request(world) is None
