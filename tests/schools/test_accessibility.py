"""Every other schools page in a real browser without JavaScript passes axe-core, with and without errors.

The journeys (``tests/journeys/test_schools_journey.py``) cover applying,
voting and the pipeline; this visits the rest with data in them: a trust
with partners, trustees and a values trend, a school with judgements and a
self-review, the pairings, and the forms with their error summaries.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import CouncilRole, Role, User
from app.auth.passwords import hash_password
from app.governance import operations as governance
from app.governance.models import SocietyRole
from app.schools import operations
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tenants.models import Council
from tests.fixtures.browser import BrowserWorld, assert_accessible, sign_in
from tests.schools.conftest import forum_resolution

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OFFICER = "omar.schools@example.org"
TODAY = timing.today()


class _World:
    def __init__(self, trust: int, school: int, pairing: int) -> None:
        self.trust, self.school, self.pairing = trust, school, pairing


@pytest.fixture
def seeded(browser_world: BrowserWorld, committed_db: Any) -> _World:
    db = committed_db
    officer = User(email=OFFICER, name="Omar Osei", password_hash=hash_password(BrowserWorld.password))
    db.session.add(officer)
    db.session.flush()
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        set_module_enabled("schools", True)
        db.session.add(CouncilRole(user_id=officer.id, role=Role.OFFICER, modules=["schools"]))
        trust = operations.create_trust(name="Estuary Schools Trust", legal_model="foundation_trust", description="",
                                        by=None)  # fmt: skip
        governance.appoint_society_officer(trust, officer, SocietyRole.SECRETARY, by_user=None)
        operations.add_partner(trust, name="Estuary College", kind="college", by=None)
        high = operations.save_school(None, name="Estuary High", urn="160001", phase="secondary", pupils=800,
                                      society_id=trust.id, by=None)  # fmt: skip
        low = operations.save_school(None, name="Creek Primary", urn="160002", phase="primary", pupils=200,
                                     society_id=None, by=None)  # fmt: skip
        operations.record_judgement(high, inspected_on=TODAY - timedelta(days=400), judgement="good", by=None)
        for year, rating in ((2025, 3), (2026, 4)):
            ratings = dict.fromkeys(
                ("self_help", "self_responsibility", "democracy", "equality", "equity", "solidarity"), rating
            )
            operations.save_values_review(high, year=year, ratings=ratings, evidence="Pupil voice.", by=None)
        pairing = operations.create_pairing(supporting=high, supported=low, kind="federation", goals="Reading",
                                            started_on=TODAY, by=None)  # fmt: skip
        operations.add_review(pairing, term="autumn", year=2026, progress="good", notes="On track", by=None)
        _society, resolution = forum_resolution(trust.id)
        operations.appoint_trustee(trust, resolution=resolution, name="Tam Trustee", member=None, from_on=TODAY,
                                   by=None)  # fmt: skip
        world = _World(trust.id, high.id, pairing.id)
        db.session.commit()
    db.session.close()
    return world


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_the_schools_pages_pass_axe(page_without_js, browser_world, seeded):
    page, base, w = page_without_js, f"{browser_world.prefix}/schools", seeded
    sign_in(page, OFFICER)
    page.goto(f"{base}/trusts/{w.trust}")
    assert page.locator("svg[role=img]").count() == 1
    assert_accessible(page, "a trust with a values trend")
    page.goto(f"{base}/trusts/{w.trust}/partners")
    _click(page, "Add the partner")
    assert page.get_by_role("link", name="Enter the partner's name").is_visible()
    assert_accessible(page, "the partners form with an error")
    page.goto(f"{base}/trusts/{w.trust}/trustees")
    assert page.get_by_role("cell", name="Tam Trustee", exact=True).is_visible()
    _click(page, "Record the appointment")
    assert_accessible(page, "the trustees page with an error")
    page.goto(f"{base}/trusts/new")
    _click(page, "Create the trust")
    assert_accessible(page, "the new trust form with errors")
    page.goto(f"{base}/manage")
    assert_accessible(page, "the schools list")
    page.goto(f"{base}/schools/new")
    _click(page, "Save the school")
    assert page.get_by_role("link", name="Enter the school's name").is_visible()
    assert_accessible(page, "the new school form with errors")
    page.goto(f"{base}/schools/{w.school}")
    assert page.locator("svg[role=img]").count() == 1
    _click(page, "Record the judgement")
    assert_accessible(page, "a school, with the judgement form's error")
    page.goto(f"{base}/schools/{w.school}/values")
    _click(page, "Save the self-review")
    assert page.get_by_role("link", name="Rate Democracy from 1 to 5").is_visible()
    assert_accessible(page, "the self-review form with errors")
    page.goto(f"{base}/pairings")
    assert_accessible(page, "the pairings")
    page.goto(f"{base}/pairings/new")
    _click(page, "Pair the schools")
    assert_accessible(page, "the new pairing form with errors")
    page.goto(f"{base}/pairings/{w.pairing}")
    _click(page, "Record the review")
    assert_accessible(page, "a pairing with the review form's errors")
