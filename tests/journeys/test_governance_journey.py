"""A society's register in a real browser without JavaScript, axe-core on every page it visits.

A housing officer creates a tenants' co-operative and its classes; a tenant
applies online; the officer admits them; the new member sees their record
with their membership number and share. Only the council, the officer, the
tenant and the housing module switch are seeded: everything else goes
through the pages.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OFFICER = "declan.housing@example.org"
TENANT = "tia.tenant@example.org"
SOCIETY = "Cobden Park Tenants' Co-operative"


@pytest.fixture
def prefix(browser_world: BrowserWorld, committed_db: Any) -> str:
    db = committed_db
    password_hash = hash_password(BrowserWorld.password)
    officer = User(email=OFFICER, name="Declan Marsh", password_hash=password_hash)
    tenant = User(email=TENANT, name="Tia Tenant", password_hash=password_hash)
    db.session.add_all([officer, tenant])
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        db.session.add(CouncilRole(user_id=officer.id, role=Role.OFFICER, modules=["housing"]))
        db.session.add(CouncilRole(user_id=tenant.id, role=Role.RESIDENT, modules=[]))
        set_module_enabled("housing", True)
        db.session.commit()
    db.session.close()
    return f"{browser_world.prefix}/societies"


def officer_creates_the_society(page: Any, prefix: str) -> None:
    sign_in(page, OFFICER)
    page.goto(f"{prefix}/")
    assert_accessible(page, "the list of societies")
    page.get_by_role("link", name="Create a society").click()
    assert_accessible(page, "the new society form")
    page.get_by_label("Name", exact=True).fill(SOCIETY)
    page.get_by_label("Registration number (optional)").fill("31234R")
    press_button(page, "Create the society")
    assert page.get_by_role("heading", name="Classes of membership").is_visible()
    assert_accessible(page, "the classes page")
    for name in ("Tenants", "Leaseholders"):
        page.get_by_role("link", name="Add a class").click()
        assert_accessible(page, "the new class form")
        page.get_by_label("Name", exact=True).fill(name)
        press_button(page, "Save the class")
    assert page.get_by_role("cell", name="Leaseholders", exact=True).is_visible()
    press_button(page, "Move up Leaseholders")
    assert_accessible(page, "the classes after reordering")
    sign_out(page)


def tenant_applies(page: Any, prefix: str) -> None:
    sign_in(page, TENANT)
    page.goto(f"{prefix}/")
    page.get_by_role("link", name=SOCIETY).click()
    assert_accessible(page, "the society's page")
    page.get_by_role("link", name=f"Apply to join {SOCIETY}").click()
    assert_accessible(page, "the application form")
    page.get_by_label("Tenants", exact=True).check()
    page.get_by_label("Address", exact=True).fill("12 Cobden Street\nRochdale")
    page.get_by_label("Postcode").fill("ol16 1aa")
    press_button(page, "Send the application")
    assert page.get_by_text("Application waiting for a decision").is_visible()
    assert_accessible(page, "the applicant's own page")
    sign_out(page)


def officer_admits(page: Any, prefix: str) -> None:
    sign_in(page, OFFICER)
    page.goto(f"{prefix}/")
    page.get_by_role("link", name=SOCIETY).click()
    assert_accessible(page, "the society's page for its officer")
    page.get_by_role("link", name="1 application waiting for a decision").click()
    assert_accessible(page, "the applications")
    page.get_by_role("link", name="Decide Tia Tenant").click()
    assert_accessible(page, "the decision form")
    today = timing.today()
    page.get_by_label("Admit as a member").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Who decided, and the minute reference").fill("Committee meeting, minute 2")
    press_button(page, "Record the decision")
    assert page.get_by_text("Tia Tenant is admitted as member 1.").is_visible()
    assert_accessible(page, "the member's record")
    page.get_by_role("link", name="Register of members").first.click()
    assert page.get_by_role("link", name="Tia Tenant").is_visible()
    assert_accessible(page, "the register of members")
    page.goto(page.url.replace("/register", "/shares"))
    assert_accessible(page, "the share ledger")
    sign_out(page)


def member_sees_their_record(page: Any, prefix: str) -> None:
    sign_in(page, TENANT)
    page.goto(f"{prefix}/")
    page.get_by_role("link", name=SOCIETY).click()
    page.get_by_role("link", name="See your membership record").click()
    assert page.get_by_text("Issued on admission").is_visible()
    assert page.get_by_text("Committee meeting, minute 2").is_visible()
    assert page.get_by_text("12 Cobden Street Rochdale, OL16 1AA").count() + page.get_by_text("OL16 1AA").count() > 0
    assert_accessible(page, "the member's own page")


def test_an_officer_creates_a_society_a_tenant_applies_and_is_admitted(page_without_js, prefix):
    page = page_without_js
    officer_creates_the_society(page, prefix)
    tenant_applies(page, prefix)
    officer_admits(page, prefix)
    member_sees_their_record(page, prefix)
