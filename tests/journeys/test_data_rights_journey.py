"""Residents' data rights in a real browser without JavaScript, axe-core on every page it visits.

A resident sees everything held about them, downloads it as JSON and asks for
erasure (first forgetting to confirm); the council's administrator sees the
request with its due-date clock, extends it with a reason and completes it;
the resident can no longer sign in. Only the council, the resident's role, a
tenancy and a co-op register line are seeded.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.governance.models import Member, MemberClass, MemberStatus, Society, SocietyKind
from app.housing import operations
from app.privacy.models import DataRightsRequest, RequestKind, RequestStatus
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RESIDENT = "rosa.resident@example.org"


@pytest.fixture
def rights(browser_world: BrowserWorld, committed_db: Any) -> dict[str, Any]:
    db = committed_db
    rosa = User(email=RESIDENT, name="Rosa Resident", password_hash=hash_password(BrowserWorld.password))
    db.session.add(rosa)
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        db.session.add(CouncilRole(user_id=rosa.id, role=Role.RESIDENT, modules=[]))
        set_module_enabled("housing", True)
        coop = Society(name="Castleton Housing Co-operative", kind=SocietyKind.HOUSING_COOP)
        db.session.add(coop)
        db.session.flush()
        tenants = MemberClass(society_id=coop.id, name="Tenants")
        db.session.add(tenants)
        db.session.flush()
        joined = timing.today() - timedelta(days=200)
        db.session.add(
            Member(
                society_id=coop.id,
                member_class_id=tenants.id,
                user_id=rosa.id,
                membership_number=1,
                name="Rosa Resident",
                address="1 Privacy Street, Rochdale",
                status=MemberStatus.MEMBER,
                applied_on=joined,
                admitted_on=joined,
            )
        )
        estate = operations.save_estate(None, name="Castleton", description="", society_id=None, by=None)
        home = operations.save_home(
            estate, None, operations.HomeDetails("CA-1", "1 Privacy Street, Rochdale", "OL16 1AB", 2, "flat"), by=None
        )
        operations.start_tenancy(
            home,
            starts_on=timing.today() - timedelta(days=100),
            people=[operations.TenantDetails("Rosa Resident", RESIDENT)],
            by=None,
        )
        db.session.commit()
    db.session.close()
    return {"prefix": browser_world.prefix, "council_id": council_id}


def test_a_resident_downloads_their_data_and_is_erased(
    page_without_js, rights, browser_world, committed_db, tmp_path: Path
):
    page, prefix = page_without_js, rights["prefix"]

    # The resident sees everything held about them, and downloads it.
    sign_in(page, RESIDENT)
    page.goto(f"{prefix}/my-data")
    assert page.get_by_role("heading", name="Register of members", exact=True).is_visible()
    assert page.get_by_text("Castleton Housing Co-operative").first.is_visible()
    assert_accessible(page, "the resident's data page")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download your data (JSON file)").click()
    saved = tmp_path / "my-data.json"
    download.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["modules"]["housing"]["tenancies"][0]["home"] == "1 Privacy Street, Rochdale"
    assert document["modules"]["governance"]["register_lines"][0]["membership_number"] == 1

    # The resident asks for erasure, forgetting to confirm the first time.
    page.get_by_role("link", name="Ask for your data to be erased").click()
    page.wait_for_load_state()
    assert page.get_by_text("Co-operative and Community Benefit Societies Act 2014").is_visible()
    assert_accessible(page, "the erasure confirmation page")
    press_button(page, "Send erasure request")
    assert page.get_by_role("link", name="Confirm that you understand what will be erased").is_visible()
    assert_accessible(page, "the erasure page with an error")
    page.get_by_label("I understand what will be erased and what the council must keep").check()
    press_button(page, "Send erasure request")
    assert page.get_by_text("Your request has been sent").is_visible()
    assert_accessible(page, "the data page with the request")
    sign_out(page)

    # The administrator sees the clock, extends the request with a reason, and completes it.
    sign_in(page, browser_world.emails["admin"])
    page.goto(f"{prefix}/privacy/requests")
    assert page.get_by_text("days left").first.is_visible()
    assert_accessible(page, "the requests queue")
    page.get_by_role("link", name="Request").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Rosa Resident (rosa.resident@example.org)").is_visible()
    assert_accessible(page, "the request page")
    press_button(page, "Extend the time limit")
    assert page.get_by_role("link", name="Choose an extension of one or two months").is_visible()
    assert_accessible(page, "the request page with errors")
    page.get_by_label("One further month").check()
    page.get_by_label("Why does the request need more time?").fill("Records in a co-operative's register.")
    press_button(page, "Extend the time limit")
    assert page.get_by_text("The request is extended").is_visible()
    press_button(page, "Complete the erasure")
    assert page.get_by_text("The erasure is complete").is_visible()
    assert_accessible(page, "the queue after completing")
    sign_out(page)

    # The resident can no longer sign in.
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(RESIDENT)
    page.get_by_label("Password", exact=True).fill(BrowserWorld.password)
    press_button(page, "Sign in")
    assert "/sign-in" in page.url
    with council_context(rights["council_id"]):
        request = committed_db.session.scalar(
            select(DataRightsRequest).where(DataRightsRequest.kind == RequestKind.ERASURE)
        )
        assert request.status is RequestStatus.COMPLETED and request.extension_months == 1
        assert committed_db.session.scalar(select(Member.name)) == "Rosa Resident"  # a current member: the Act
    committed_db.session.close()
