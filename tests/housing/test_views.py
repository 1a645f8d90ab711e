"""The housing pages for each role: tenants, the co-op's committee, council officers, and everyone else."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.extensions import db
from app.governance.models import Member, MemberStatus
from app.housing.models import HousingRepair, HousingRepairPhoto, HousingTenant, OfferStatus, RepairStatus
from tenants.context import council_context
from tests.fixtures.sessions import post
from tests.housing.test_photos import png_bytes


def test_the_tenant_sees_their_home_and_the_offer(world, client_for):
    page = client_for(world.tenant).get(f"{world.prefix}/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 Kirkholt House, Rochdale" in body
    assert "Join Kirkholt Tenants" in body
    assert "Apply to join the co-operative" in body


def test_a_person_without_a_tenancy_is_told_so(world, client_for):
    body = client_for(world.neighbour).get(f"{world.prefix}/").get_data(as_text=True)
    assert "not named on a tenancy" in body
    assert client_for(world.neighbour).get(f"{world.prefix}/repairs/new").status_code == 403


def test_accepting_the_offer_makes_an_application_to_the_tenants_class(world, client_for):
    with council_context(world.council.id):
        line = db.session.scalar(select(HousingTenant).where(HousingTenant.user_id == world.tenant.id))
    response = post(client_for(world.tenant), f"{world.prefix}/offers/{line.id}/accept")
    assert response.status_code == 302
    with council_context(world.council.id):
        member = db.session.scalar(select(Member).where(Member.user_id == world.tenant.id))
        tenant = db.session.scalar(select(HousingTenant).where(HousingTenant.id == line.id))
    assert member.status is MemberStatus.APPLICANT
    assert member.member_class_id == world.tenants_class
    assert member.address == "1 Kirkholt House, Rochdale"
    assert tenant.offer_status is OfferStatus.ACCEPTED and tenant.member_id == member.id


def test_another_persons_offer_is_not_found(world, client_for):
    with council_context(world.council.id):
        line = db.session.scalar(select(HousingTenant).where(HousingTenant.user_id == world.tenant.id))
    assert post(client_for(world.neighbour), f"{world.prefix}/offers/{line.id}/accept").status_code == 404
    with council_context(world.council.id):
        assert db.session.scalar(select(Member).where(Member.user_id == world.neighbour.id)) is None


def _report(client, world, **overrides):
    data = {
        "home_id": str(world.kh1),
        "category": "plumbing",
        "urgency": "routine",
        "location": "kitchen",
        "description": "The tap under the sink drips all night.",
    }
    data.update(overrides)
    return post(client, f"{world.prefix}/repairs/new", data)


def test_a_tenant_reports_a_repair_with_a_photo_and_sees_its_clock(world, client_for):
    client = client_for(world.tenant)
    response = _report(client, world, photos=(io.BytesIO(png_bytes()), "sink.png"))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "left to complete the repair" in body
    assert "28 calendar days" in body
    with council_context(world.council.id):
        repair = db.session.scalar(select(HousingRepair))
        photo = db.session.scalar(select(HousingRepairPhoto))
    assert photo.content_type == "image/png"
    shown = client.get(f"{world.prefix}/repairs/{repair.id}/photos/{photo.id}")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    # Someone who is not the tenant, an officer or the co-op's committee cannot see it.
    assert client_for(world.neighbour).get(f"{world.prefix}/repairs/{repair.id}").status_code == 403
    assert client_for(world.neighbour).get(f"{world.prefix}/repairs/{repair.id}/photos/{photo.id}").status_code == 403


def test_a_non_image_photo_is_refused_with_the_reason_and_nothing_is_written(world, client_for):
    response = _report(client_for(world.tenant), world, photos=(io.BytesIO(b"%PDF-1.4 not a photo"), "damp.jpg"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "damp.jpg is not a JPEG, PNG or WebP photo" in body
    with council_context(world.council.id):
        assert db.session.scalar(select(HousingRepair)) is None
        assert db.session.scalar(select(HousingRepairPhoto)) is None


def test_a_missing_choice_is_shown_beside_its_field(world, client_for):
    response = _report(client_for(world.tenant), world, category="")
    assert response.status_code == 422
    assert 'href="#category"' in response.get_data(as_text=True)


def test_the_committee_assigns_and_completes_and_the_tenant_answers(world, client_for, in_council):
    client = client_for(world.tenant)
    location = _report(client, world).headers["Location"]
    repair_id = int(location.rstrip("/").split("/")[-1])
    committee = client_for(world.committee)
    contractors = post(committee, f"{world.prefix}/coops/{world.coop}/contractors", {"name": "Kirkholt Plumbing Ltd"})
    assert contractors.status_code == 302
    from app.housing.models import HousingContractor

    contractor = db.session.scalar(select(HousingContractor))
    queue = committee.get(f"{world.prefix}/coops/{world.coop}")
    assert queue.status_code == 200 and f"Repair {repair_id}" in queue.get_data(as_text=True)
    assert (
        post(committee, f"{world.prefix}/repairs/{repair_id}/assign", {"contractor_id": str(contractor.id)}).status_code
        == 302
    )
    assert (
        post(committee, f"{world.prefix}/repairs/{repair_id}/complete", {"note": "Washer replaced"}).status_code == 302
    )
    page = client.get(location).get_data(as_text=True)
    assert "How satisfied are you with how this repair was done?" in page
    assert post(client, f"{world.prefix}/repairs/{repair_id}/satisfaction", {"satisfaction": "1"}).status_code == 302
    again = post(client, f"{world.prefix}/repairs/{repair_id}/satisfaction", {"satisfaction": "5"})
    assert again.status_code == 409
    db.session.expire_all()
    repair = db.session.scalar(select(HousingRepair).where(HousingRepair.id == repair_id))
    assert repair.status is RepairStatus.COMPLETED and repair.satisfaction == 1


def test_the_committee_cannot_run_the_councils_own_homes(world, client_for):
    committee = client_for(world.committee)
    assert committee.get(f"{world.prefix}/manage").status_code == 403
    assert committee.get(f"{world.prefix}/manage/repairs").status_code == 403
    location = _report(client_for(world.council_tenant), world, home_id=str(world.bs1)).headers["Location"]
    repair_id = int(location.rstrip("/").split("/")[-1])
    assert committee.get(location).status_code == 403
    assert post(committee, f"{world.prefix}/repairs/{repair_id}/cancel", {"reason": "x"}).status_code == 403


def test_pages_for_officers_only(world, client_for):
    officer, youth = client_for(world.officer), client_for(world.youth_officer)
    for path in (
        "/manage",
        "/manage/repairs",
        "/manage/targets",
        "/manage/contractors",
        "/manage/transfer",
        "/manage/transfer/new",
        "/manage/surveys",
        f"/manage/estates/{world.kirkholt}",
        f"/manage/homes/{world.kh1}",
        f"/manage/estates/{world.kirkholt}/import",
        f"/coops/{world.coop}",
        f"/coops/{world.coop}/targets",
    ):
        assert officer.get(world.prefix + path).status_code == 200, path
        assert youth.get(world.prefix + path).status_code == 403, path
    assert client_for(None).get(world.prefix + "/manage").status_code == 302


def test_the_module_switched_off_is_not_found(world, client_for, in_council):
    from tenants.features import set_module_enabled

    set_module_enabled("housing", False)
    db.session.commit()
    assert client_for(world.officer).get(f"{world.prefix}/manage").status_code == 404
    assert client_for(world.tenant).get(f"{world.prefix}/").status_code == 404
