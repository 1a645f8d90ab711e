"""The council billing pages, plan entitlements on the modules page, and read-only modules after a lapse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.auth.models import CouncilRole, Role, User
from app.billing.models import Subscription, SubscriptionRequest
from tenants.context import council_context
from tenants.features import enabled_modules, set_module_enabled
from tests.billing.conftest import signed_in_client, subscribe
from workers.models import OutboxJob


@pytest.fixture(autouse=True)
def _no_csrf(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)


def _modules_on(db, council_id: int) -> set[str]:
    db.session.remove()
    with council_context(council_id):
        return enabled_modules()


def test_without_a_subscription_no_module_can_be_switched_on(billing_world, app, committed_db):
    a = billing_world.councils["A"]
    client = signed_in_client(app, committed_db, a.admin_id)
    response = client.post(f"/c/{a.slug}/admin/modules", data={"modules": ["housing"]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your plan does not include Housing co-operatives" in page
    assert 'href="#modules"' in page  # the error summary links to the field
    assert f'href="/c/{a.slug}/admin/billing/"' in page  # and the page links to upgrading
    assert _modules_on(committed_db, a.id) == set()


def test_a_plan_allows_its_modules_and_refuses_the_rest(billing_world, app, committed_db):
    a = billing_world.councils["A"]
    subscribe(committed_db, a.id, "one-module-month")  # priorities only
    client = signed_in_client(app, committed_db, a.admin_id)
    response = client.post(f"/c/{a.slug}/admin/modules", data={"modules": ["priorities", "youth"]})
    assert "Your plan does not include Youth service choices" in response.get_data(as_text=True)
    assert _modules_on(committed_db, a.id) == set()  # all or nothing
    response = client.post(f"/c/{a.slug}/admin/modules", data={"modules": ["priorities"]})
    assert response.status_code == 302
    assert _modules_on(committed_db, a.id) == {"priorities"}


def test_with_billing_off_every_module_can_be_switched_on(app, committed_db, create_council, create_user, grant_role):
    council = create_council(slug="self-hosted")
    admin = create_user(email="admin@self-hosted.example")
    grant_role(admin, council, Role.COUNCIL_ADMIN)
    committed_db.session.commit()
    client = signed_in_client(app, committed_db, admin.id)
    response = client.post("/c/self-hosted/admin/modules", data={"modules": ["housing", "youth", "care"]})
    assert response.status_code == 302
    assert _modules_on(committed_db, council.id) == {"housing", "youth", "care"}
    page = client.get("/c/self-hosted/admin/billing/").get_data(as_text=True)
    assert "Billing is not set up on this installation" in page
    assert client.get("/c/self-hosted/admin/billing/subscribe").status_code == 404


def test_the_billing_page_shows_plan_next_invoice_and_invoices(billing_world, app, committed_db):
    a = billing_world.councils["A"]
    subscribe(committed_db, a.id, "all-modules-month")
    client = signed_in_client(app, committed_db, a.admin_id)
    page = client.get(f"/c/{a.slug}/admin/billing/").get_data(as_text=True)
    assert "All modules, monthly" in page
    assert "Active" in page
    committed_db.session.remove()
    with council_context(a.id):
        period_end = committed_db.session.scalar(select(Subscription.current_period_end))
    assert period_end is not None and period_end > datetime.now(UTC)
    assert "Next invoice" in page and str(period_end.year) in page
    assert "<caption" in page and "No invoices yet." not in page  # the first invoice was fetched
    assert "Manage billing" in page


def test_subscribing_by_invoice_queues_the_job_and_by_card_goes_to_checkout(billing_world, app, committed_db):
    a = billing_world.councils["A"]
    client = signed_in_client(app, committed_db, a.admin_id)
    response = client.post(f"/c/{a.slug}/admin/billing/subscribe", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#plan"' in page and 'href="#method"' in page

    response = client.post(
        f"/c/{a.slug}/admin/billing/subscribe", data={"plan": "all-modules-year", "method": "checkout"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("https://checkout.stripe.test/")
    committed_db.session.remove()
    with council_context(a.id):
        request_id, session_id = committed_db.session.execute(
            select(SubscriptionRequest.id, SubscriptionRequest.stripe_checkout_session_id)
        ).one()
    assert response.headers["Location"].endswith(session_id)
    (call,) = billing_world.front.posts("/v1/checkout/sessions")
    assert call.idempotency_key == f"rochdale:council:{a.id}:checkout:{request_id}"
    assert call.params["line_items[0][price]"] == "rochdale-all-modules-year"
    assert call.params["mode"] == "subscription"

    response = client.post(f"/c/{a.slug}/admin/billing/portal", data={})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("https://billing.stripe.test/")

    response = client.post(
        f"/c/{a.slug}/admin/billing/subscribe", data={"plan": "all-modules-year", "method": "invoice"}
    )
    assert response.status_code == 302
    committed_db.session.remove()
    assert committed_db.session.scalars(
        select(OutboxJob.func_name).where(OutboxJob.target_council_id == a.id)
    ).all() == ["workers.jobs.billing.start_invoiced_subscription"]


def test_officers_and_residents_cannot_see_billing(billing_world, app, committed_db):
    a = billing_world.councils["A"]
    officer = User(email="officer-a@example.org", name="Officer A", password_hash="x")
    committed_db.session.add(officer)
    committed_db.session.flush()
    with council_context(a.id):
        committed_db.session.add(CouncilRole(user_id=officer.id, role=Role.OFFICER, modules=["priorities"]))
        committed_db.session.commit()
    client = signed_in_client(app, committed_db, officer.id)
    assert client.get(f"/c/{a.slug}/admin/billing/").status_code == 403
    assert client.post(f"/c/{a.slug}/admin/billing/portal").status_code == 403


def _lapse(db, council_id: int, days_ago: int) -> None:
    with council_context(council_id):
        db.session.execute(
            update(Subscription).values(status="past_due", lapsed_since=datetime.now(UTC) - timedelta(days=days_ago))
        )
        db.session.commit()


def test_a_lapsed_subscription_makes_modules_read_only_and_says_so(billing_world, app, committed_db):
    a = billing_world.councils["A"]
    subscribe(committed_db, a.id, "all-modules-year")
    with council_context(a.id):
        set_module_enabled("priorities", True)
        committed_db.session.commit()
    client = signed_in_client(app, committed_db, a.admin_id)

    _lapse(committed_db, a.id, days_ago=3)  # within the 14 days' grace: still writable, warned
    page = client.get(f"/c/{a.slug}/admin/").get_data(as_text=True)
    assert "Modules become read-only on" in page
    assert client.post(f"/c/{a.slug}/priorities/new", data={}).status_code != 403

    _lapse(committed_db, a.id, days_ago=15)
    response = client.post(f"/c/{a.slug}/priorities/new", data={})
    assert response.status_code == 403
    assert "This service is read-only" in response.get_data(as_text=True)
    assert client.get(f"/c/{a.slug}/priorities/").status_code == 200  # reading still works
    for path in (f"/c/{a.slug}/", f"/c/{a.slug}/admin/modules"):
        assert "modules are read-only" in client.get(path).get_data(as_text=True)
    # Switching modules on is refused too, and nothing was switched off or deleted.
    response = client.post(f"/c/{a.slug}/admin/modules", data={"modules": ["priorities", "housing"]})
    assert "Your plan does not include" in response.get_data(as_text=True)
    assert _modules_on(committed_db, a.id) == {"priorities"}


def test_residents_do_not_see_the_billing_banner(billing_world, app, committed_db, monkeypatch):
    a = billing_world.councils["A"]
    subscribe(committed_db, a.id)
    resident = User(email="resident-a@example.org", name="Resident A", password_hash="x")
    committed_db.session.add(resident)
    committed_db.session.flush()
    with council_context(a.id):
        committed_db.session.add(CouncilRole(user_id=resident.id, role=Role.RESIDENT, modules=[]))
        committed_db.session.commit()
    _lapse(committed_db, a.id, days_ago=30)
    import app.billing.queries as billing_queries

    reads = []
    real_summary = billing_queries.summary
    monkeypatch.setattr(billing_queries, "summary", lambda *a, **kw: reads.append(1) or real_summary(*a, **kw))
    page = signed_in_client(app, committed_db, resident.id).get(f"/c/{a.slug}/").get_data(as_text=True)
    assert "read-only" not in page
    assert reads == []  # the banner is for administrators: a resident's page does not read the billing summary
