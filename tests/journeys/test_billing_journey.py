"""The billing journey in a real browser without JavaScript, axe-core on every page it visits.

A council administrator with no subscription is refused a module and pointed
to billing, chooses a plan paid by invoice (against localstripe, through the
recording front), sees the plan, next invoice date and first invoice, switches
the module on, and, once the subscription has lapsed past its grace period,
sees the read-only banner.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from app.billing import operations
from app.billing.catalogue import STANDARD_PLANS
from app.billing.models import Subscription
from tenants.context import council_context
from tenants.models import Council
from tests.billing.conftest import billing_config, localstripe, stripe_front
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in
from workers.queues import QUEUES

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

__all__ = ["localstripe", "stripe_front"]


@pytest.fixture
def billing(browser_world: BrowserWorld, committed_db: Any, app, live_app, stripe_front, monkeypatch) -> int:
    for application in (app, live_app):
        for key, value in billing_config(stripe_front).items():
            monkeypatch.setitem(application.config, key, value)
    operations.sync_plans(STANDARD_PLANS)
    committed_db.session.commit()
    council_id = committed_db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    committed_db.session.close()
    return council_id


def test_billing_journey(page_without_js, browser_world, billing, committed_db, run_jobs):
    page = page_without_js
    prefix = browser_world.prefix
    sign_in(page, browser_world.emails["admin"])

    page.goto(f"{prefix}/admin/billing/")
    assert page.get_by_role("heading", name="Billing", level=1).is_visible()
    assert page.get_by_text("The council has no subscription").is_visible()
    assert_accessible(page, "billing page, no subscription")

    page.goto(f"{prefix}/admin/modules")
    page.get_by_label("Housing co-operatives").check()
    press_button(page, "Save modules")
    assert page.get_by_role("link", name=re.compile("Your plan does not include Housing co-operatives")).is_visible()
    assert_accessible(page, "modules refused by the plan")
    page.get_by_role("link", name="Upgrade or change your plan").click()
    page.wait_for_load_state()

    press_button(page, "Choose a plan")  # a link styled as a button
    assert_accessible(page, "choose a plan")
    press_button(page, "Subscribe")
    assert page.get_by_role("link", name="Choose a plan").first.is_visible()
    assert_accessible(page, "choose a plan, with errors")
    page.get_by_label(re.compile("All modules, yearly")).check()
    page.get_by_label(re.compile("By invoice")).check()
    page.get_by_label(re.compile("Email address for invoices")).fill("finance@rochdale.example")
    press_button(page, "Subscribe")
    assert page.get_by_text("Your subscription is being set up").is_visible()

    run_jobs(QUEUES)
    page.goto(f"{prefix}/admin/billing/")
    assert page.get_by_text("All modules, yearly").is_visible()
    assert page.get_by_text("Active", exact=True).is_visible()
    assert page.get_by_role("table", name="Invoices").is_visible()
    assert page.get_by_role("button", name="Manage billing").is_visible()
    assert_accessible(page, "billing page, subscribed")

    page.goto(f"{prefix}/admin/modules")
    page.get_by_label("Housing co-operatives").check()
    press_button(page, "Save modules")
    assert page.get_by_text("Housing co-operatives switched on.").is_visible()

    with council_context(billing):
        committed_db.session.execute(
            update(Subscription).values(status="past_due", lapsed_since=datetime.now(UTC) - timedelta(days=30))
        )
        committed_db.session.commit()
    committed_db.session.close()
    page.goto(f"{prefix}/admin/")
    assert page.get_by_text("The subscription has lapsed, so modules are read-only").is_visible()
    assert_accessible(page, "administration with the lapsed banner")
