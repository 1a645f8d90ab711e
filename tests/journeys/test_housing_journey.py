"""The housing journey in a real browser without JavaScript, axe-core on every page it visits.

A tenant of a co-op-managed home accepts the co-op's offer of membership and
reports a damp and mould repair with a photo; a housing officer sees it in
the queue, gives it to a contractor and completes it; the tenant says how
satisfied they are. Only the council, the co-op with its tenants class, the
estate, the home, the tenancy and a contractor are seeded.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.governance.models import Member, MemberClass, MemberStatus, Society, SocietyKind
from app.housing import operations
from app.housing.models import HousingRepair, RepairStatus
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TENANT = "tess.tenant@example.org"
OFFICER = "hal.housing@example.org"


@pytest.fixture
def housing(browser_world: BrowserWorld, committed_db: Any) -> dict[str, Any]:
    db = committed_db
    password = hash_password(BrowserWorld.password)
    tenant = User(email=TENANT, name="Tess Tenant", password_hash=password)
    officer = User(email=OFFICER, name="Hal Housing", password_hash=password)
    db.session.add_all([tenant, officer])
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        db.session.add(CouncilRole(user_id=tenant.id, role=Role.RESIDENT, modules=[]))
        db.session.add(CouncilRole(user_id=officer.id, role=Role.OFFICER, modules=["housing"]))
        set_module_enabled("housing", True)
        coop = Society(name="Kirkholt Tenants' Co-operative", kind=SocietyKind.HOUSING_COOP)
        db.session.add(coop)
        db.session.flush()
        db.session.add(MemberClass(society_id=coop.id, name="Tenants"))
        estate = operations.save_estate(None, name="Kirkholt", description="", society_id=coop.id, by=None)
        home = operations.save_home(
            estate, None, operations.HomeDetails("KH-1", "1 Kirkholt House, Rochdale", "OL11 2AB", 2, "flat"), by=None
        )
        operations.start_tenancy(
            home,
            starts_on=timing.today() - timedelta(days=30),
            people=[operations.TenantDetails("Tess Tenant", TENANT)],
            by=None,
        )
        operations.save_contractor(
            None, society_id=None, name="Rochdale Repairs Ltd", trades="Damp", email="", phone="", by=None
        )
        db.session.commit()
    db.session.close()
    return {"prefix": f"{browser_world.prefix}/housing", "council_id": council_id}


def test_a_tenant_joins_reports_a_repair_and_rates_it(page_without_js, housing, committed_db, tmp_path: Path):
    page, prefix = page_without_js, housing["prefix"]
    photo = tmp_path / "mould.jpg"
    Image.new("RGB", (64, 48), (30, 60, 30)).save(photo, "JPEG")

    # The tenant accepts the offer of membership.
    sign_in(page, TENANT)
    page.goto(f"{prefix}/")
    assert_accessible(page, "the tenant's home page with the offer")
    press_button(page, "Apply to join the co-operative")
    assert page.get_by_text("Your application to join the co-operative has been sent").is_visible()
    assert_accessible(page, "the home page after applying")

    # The tenant reports damp and mould with a photo.
    page.get_by_role("button", name="Report a repair").click()
    page.wait_for_load_state()
    assert_accessible(page, "the repair form")
    page.get_by_label("Damp or mould").check()
    page.get_by_label("Routine").check()
    page.get_by_label("Where in the home is it?").select_option("bedroom")
    page.get_by_label("Describe the problem").fill("Black mould behind the wardrobe in the back bedroom.")
    page.get_by_label("Photos (optional)").set_input_files(str(photo))
    press_button(page, "Report the repair")
    assert page.get_by_text("left to investigate the damp or mould").is_visible()
    assert page.get_by_role("img", name="Photo 1 of the problem, as the tenant sent it").is_visible()
    assert_accessible(page, "the repair with its clock")
    repair_url = page.url
    sign_out(page)

    # The officer sees it in the queue, gives it to the contractor and completes it.
    sign_in(page, OFFICER)
    page.goto(f"{prefix}/manage/repairs")
    assert_accessible(page, "the repairs queue")
    page.get_by_role("link", name="Repair").first.click()
    page.wait_for_load_state()
    page.get_by_label("Contractor").select_option(label="Rochdale Repairs Ltd")
    press_button(page, "Give to the contractor")
    assert page.get_by_text("Given to a contractor").first.is_visible()
    assert_accessible(page, "the repair given to the contractor")
    press_button(page, "Record the damp and mould investigation and start work")
    assert page.get_by_text("left to make the home safe").is_visible()
    page.get_by_label("What was done (optional)").fill("Mould treated, extractor fan fitted.")
    press_button(page, "Mark as completed")
    assert page.get_by_text("Completed within the target").is_visible()
    assert_accessible(page, "the completed repair")
    sign_out(page)

    # The tenant answers the satisfaction question.
    sign_in(page, TENANT)
    page.goto(repair_url)
    assert_accessible(page, "the satisfaction question")
    page.get_by_label("Fairly satisfied").check()
    press_button(page, "Send your answer")
    assert page.get_by_text("You told us: Fairly satisfied").is_visible()

    db = committed_db
    with council_context(housing["council_id"]):
        repair = db.session.scalar(select(HousingRepair))
        member = db.session.scalar(select(Member))
        assert repair.status is RepairStatus.COMPLETED and repair.satisfaction == 2
        assert member.status is MemberStatus.APPLICANT
        db.session.rollback()
