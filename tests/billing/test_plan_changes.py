"""What happens to a council's modules when its plan is downgraded or its subscription ends (against localstripe).

A module left switched on outside the plan is read-only: every page can be
read, a change is refused with a page saying why and how to change the plan,
and nothing is switched off or deleted. Moving back to a plan with the module
makes it writable again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.billing import operations
from app.billing.models import Plan, Subscription
from app.governance.models import Society, SocietyKind
from app.voting import operations as voting
from app.voting.models import BallotKind
from tenants.context import council_context
from tenants.features import enabled_modules, set_module_enabled
from tests.billing.conftest import signed_in_client, subscribe


@pytest.fixture(autouse=True)
def _no_csrf(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)


def _council_with_modules(db, council_id: int) -> dict[str, int]:
    """Priorities and housing switched on, a housing co-operative, and ballots of housing and of the council."""
    with council_context(council_id):
        for key in ("priorities", "housing"):
            set_module_enabled(key, True)
        society = Society(name="Ashfield Tenants Co-operative", kind=SocietyKind.HOUSING_COOP)
        db.session.add(society)
        db.session.flush()
        housing_ballot = voting.create_ballot(
            title="Estate vote", description="", kind=BallotKind.APPROVAL, module="housing", by=None
        )
        council_ballot = voting.create_ballot(
            title="Council vote", description="", kind=BallotKind.APPROVAL, module=None, by=None
        )
        ids = {"society": society.id, "housing_ballot": housing_ballot.id, "council_ballot": council_ballot.id}
        db.session.commit()
    return ids


def _sync(db, council_id: int) -> None:
    """What the webhook job (or the nightly reconciliation) does when Stripe says something changed."""
    with council_context(council_id):
        operations.sync_from_stripe()
        db.session.commit()
    db.session.remove()


def _plan_key(db, council_id: int) -> str:
    with council_context(council_id):
        return db.session.scalar(select(Plan.key).join(Subscription, Subscription.plan_id == Plan.id))


def _modules_on(db, council_id: int) -> set[str]:
    db.session.remove()
    with council_context(council_id):
        return enabled_modules()


def _writes(client, slug: str, ids: dict[str, int]) -> dict[str, int]:
    """The status of one change on each kind of module page (403 only when refused by billing)."""
    base = f"/c/{slug}"
    return {
        "priorities": client.post(f"{base}/priorities/new", data={}).status_code,
        "housing": client.post(f"{base}/housing/manage/estates/new", data={}).status_code,
        "housing society": client.post(f"{base}/societies/{ids['society']}/edit", data={}).status_code,
        "new housing society": client.post(f"{base}/societies/new", data={"kind": "housing_coop"}).status_code,
        "housing ballot": client.post(f"{base}/ballots/manage/{ids['housing_ballot']}/details", data={}).status_code,
        "council ballot": client.post(f"{base}/ballots/manage/{ids['council_ballot']}/details", data={}).status_code,
    }


def test_a_downgrade_leaves_modules_outside_the_plan_read_only_with_their_data(billing_world, app, committed_db):
    a = billing_world.councils["A"]
    _customer, sub_id = subscribe(committed_db, a.id, "all-modules-year")
    ids = _council_with_modules(committed_db, a.id)
    client = signed_in_client(app, committed_db, a.admin_id)
    assert 403 not in _writes(client, a.slug, ids).values()

    # The council moves to the one-module plan (priorities only) in Stripe's customer portal.
    billing_world.front.change_plan(sub_id, "rochdale-one-module-year")
    _sync(committed_db, a.id)
    assert _plan_key(committed_db, a.id) == "one-module-year"

    writes = _writes(client, a.slug, ids)
    assert {k: v == 403 for k, v in writes.items()} == {
        "priorities": False,
        "housing": True,
        "housing society": True,
        "new housing society": True,
        "housing ballot": True,
        "council ballot": False,  # a council-wide ballot belongs to no module
    }
    refused = client.post(f"/c/{a.slug}/housing/manage/estates/new", data={"name": "New estate"})
    page = refused.get_data(as_text=True)
    assert "Housing co-operatives is read-only" in page
    assert "plan, One module, yearly, does not include Housing co-operatives" in page
    assert "nothing has been deleted" in page
    assert f'href="/c/{a.slug}/admin/billing/"' in page  # how to change the plan
    # Reading still works, and nothing was switched off or deleted.
    for path in ("/housing/", f"/societies/{ids['society']}", f"/ballots/manage/{ids['housing_ballot']}"):
        assert client.get(f"/c/{a.slug}{path}").status_code == 200, path
    assert _modules_on(committed_db, a.id) == {"priorities", "housing"}
    with council_context(a.id):
        assert committed_db.session.scalar(select(Society.name)) == "Ashfield Tenants Co-operative"
    # The administrator is told on every page, and on the modules page.
    home = client.get(f"/c/{a.slug}/").get_data(as_text=True)
    assert "Your plan does not include Housing co-operatives, so it is read-only" in home
    modules = client.get(f"/c/{a.slug}/admin/modules").get_data(as_text=True)
    assert "Not in your plan: read-only until you change the plan" in modules

    # Back on a plan with every module: writable again.
    billing_world.front.change_plan(sub_id, "rochdale-all-modules-year")
    _sync(committed_db, a.id)
    assert 403 not in _writes(client, a.slug, ids).values()
    assert "read-only" not in client.get(f"/c/{a.slug}/").get_data(as_text=True)


def test_people_without_the_billing_page_are_told_to_ask_an_administrator(billing_world, app, committed_db):
    from app.auth.models import CouncilRole, Role, User

    a = billing_world.councils["A"]
    _customer, sub_id = subscribe(committed_db, a.id, "all-modules-year")
    ids = _council_with_modules(committed_db, a.id)
    officer = User(email="housing-officer@example.org", name="Hal Housing", password_hash="x")
    committed_db.session.add(officer)
    committed_db.session.flush()
    officer_id = officer.id
    with council_context(a.id):
        committed_db.session.add(CouncilRole(user_id=officer_id, role=Role.OFFICER, modules=["housing"]))
        committed_db.session.commit()
    billing_world.front.change_plan(sub_id, "rochdale-one-module-year")
    _sync(committed_db, a.id)
    client = signed_in_client(app, committed_db, officer_id)
    refused = client.post(f"/c/{a.slug}/societies/{ids['society']}/edit", data={})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "Ask a council administrator to choose a plan that includes Housing co-operatives" in page
    assert "/admin/billing/" not in page
    assert "read-only" not in client.get(f"/c/{a.slug}/").get_data(as_text=True)  # the banner is for administrators


def test_when_the_subscription_ends_modules_stay_writable_for_the_grace_period_then_read_only(
    billing_world, app, committed_db
):
    a = billing_world.councils["A"]
    _customer, sub_id = subscribe(committed_db, a.id, "all-modules-year")
    ids = _council_with_modules(committed_db, a.id)
    client = signed_in_client(app, committed_db, a.admin_id)

    billing_world.front.cancel_subscription(sub_id)
    _sync(committed_db, a.id)
    # Within the grace period: what the council had stays writable, with the date it stops.
    assert 403 not in _writes(client, a.slug, ids).values()
    assert "Modules become read-only on" in client.get(f"/c/{a.slug}/").get_data(as_text=True)
    # But an ended subscription switches nothing new on.
    response = client.post(f"/c/{a.slug}/admin/modules", data={"modules": ["priorities", "housing", "youth"]})
    assert "Your plan does not include Youth service choices" in response.get_data(as_text=True)
    assert _modules_on(committed_db, a.id) == {"priorities", "housing"}

    # After the grace period (counted from when Stripe ended it): every module is read-only, nothing deleted.
    with council_context(a.id):
        committed_db.session.execute(update(Subscription).values(lapsed_since=datetime.now(UTC) - timedelta(days=15)))
        committed_db.session.commit()
    writes = _writes(client, a.slug, ids)
    assert [k for k, v in writes.items() if v != 403] == []
    lapsed = client.post(f"/c/{a.slug}/priorities/new", data={}).get_data(as_text=True)
    assert "This service is read-only" in lapsed and "nothing has been deleted" in lapsed
    assert client.get(f"/c/{a.slug}/housing/").status_code == 200
    assert _modules_on(committed_db, a.id) == {"priorities", "housing"}
