"""Who may see the council administration pages, and other councils' ids answering 404."""

from datetime import UTC, datetime, timedelta

import pytest

from app.auth.models import Invitation, Role
from tenants.context import council_context

BASE = "/c/kingsmere/admin"
PAGES = [
    "/",
    "/modules",
    "/neighbourhoods",
    "/neighbourhoods/new",
    "/neighbourhoods/import",
    "/neighbourhoods/template.csv",
    "/officers",
    "/officers/invite",
]
FORMS = ["/modules", "/neighbourhoods/new", "/neighbourhoods/import", "/officers/invite"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, council, page):
    response = client.get(BASE + page)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OFFICER])
@pytest.mark.parametrize("page", PAGES)
def test_residents_and_officers_are_refused(client, council, create_user, grant_role, sign_in, role, page):
    person = create_user()
    grant_role(person, council, role, modules=("housing",))
    sign_in(person)
    response = client.get(BASE + page)
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", FORMS)
def test_officers_cannot_post_either(client, council, create_user, grant_role, sign_in, no_csrf, page):
    officer = create_user()
    grant_role(officer, council, Role.OFFICER, modules=("housing",))
    sign_in(officer)
    assert client.post(BASE + page, data={"name": "Sneaky", "modules": ["housing"]}).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_another_councils_administrator_is_refused(
    client, council, other_council, create_user, grant_role, sign_in, page
):
    outsider = create_user()
    grant_role(outsider, other_council, Role.COUNCIL_ADMIN)
    sign_in(outsider)
    assert client.get(BASE + page).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_administrators_and_platform_administrators_are_let_in(client, council, admin, create_user, sign_in, page):
    sign_in(admin)
    assert client.get(BASE + page).status_code == 200
    operator = create_user(is_platform_admin=True)
    sign_in(operator)
    assert client.get(BASE + page).status_code == 200


def test_the_layout_links_administrators_to_the_admin_pages(client, as_admin):
    body = client.get("/c/kingsmere/").get_data(as_text=True)
    assert 'href="/c/kingsmere/admin/"' in body


def test_another_councils_ids_are_404(
    client, db, council, other_council, create_user, grant_role, create_neighbourhood, as_admin, no_csrf
):
    with council_context(other_council.id):
        theirs = create_neighbourhood(name="Their Ward", ons_ward_code="E05000001")
        their_officer = create_user(name="Their Officer")
        their_role = grant_role(their_officer, other_council, Role.OFFICER)
        invitation = Invitation(
            email="someone@lowbridge.example",
            role=Role.OFFICER,
            token_hash="0" * 64,
            expires_at=datetime.now(UTC) + timedelta(days=7),
        )
        db.session.add(invitation)
        db.session.flush()
    paths = [
        f"/neighbourhoods/{theirs.id}/edit",
        f"/neighbourhoods/{theirs.id}/delete",
        f"/officers/{their_role.id}/edit",
        f"/officers/{their_role.id}/remove",
        f"/invitations/{invitation.id}/revoke",
    ]
    for path in paths:
        for method in (client.get, client.post):
            response = method(BASE + path, data={"name": "Hijacked", "role": "council_admin"})
            assert response.status_code == 404, (method, path)
            body = response.get_data(as_text=True)
            assert "Their Ward" not in body and "Their Officer" not in body
    # Nothing of theirs changed.
    with council_context(other_council.id):
        db.session.refresh(theirs)
        db.session.refresh(their_role)
        assert theirs.name == "Their Ward"
        assert their_role.role is Role.OFFICER
        assert db.session.get(Invitation, (other_council.id, invitation.id)) is not None


@pytest.mark.parametrize(
    "path", ["/neighbourhoods/0/edit", "/neighbourhoods/99999999999999999999/edit", "/officers/x/edit"]
)
def test_nonsense_ids_are_404(client, as_admin, path):
    assert client.get(BASE + path).status_code == 404


def test_a_residents_role_is_not_editable_here(client, council, create_user, grant_role, as_admin):
    resident = create_user()
    role = grant_role(resident, council, Role.RESIDENT)
    assert client.get(f"{BASE}/officers/{role.id}/edit").status_code == 404
    assert client.get(f"{BASE}/officers/{role.id}/remove").status_code == 404


def test_forms_without_a_csrf_token_are_refused(client, as_admin):
    response = client.post(BASE + "/neighbourhoods/new", data={"name": "No Token"})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


def test_pages_naming_an_object_load_it_before_checking_the_role(
    client, council, other_council, create_user, grant_role, create_neighbourhood, sign_in, no_csrf
):
    """An officer gets 403 for this council's neighbourhood but 404 for another council's or a missing one."""
    with council_context(council.id):
        ours = create_neighbourhood(name="Our Ward")
    with council_context(other_council.id):
        theirs = create_neighbourhood(name="Their Ward")
    officer = create_user()
    grant_role(officer, council, Role.OFFICER, modules=("housing",))
    sign_in(officer)
    for action in ("edit", "delete"):
        assert client.get(f"{BASE}/neighbourhoods/{ours.id}/{action}").status_code == 403
        assert client.post(f"{BASE}/neighbourhoods/{ours.id}/{action}", data={"name": "X"}).status_code == 403
        assert client.get(f"{BASE}/neighbourhoods/{theirs.id}/{action}").status_code == 404
        assert client.get(f"{BASE}/neighbourhoods/987654321/{action}").status_code == 404
    assert client.get(f"{BASE}/officers/987654321/edit").status_code == 404
    assert client.get(f"{BASE}/invitations/987654321/revoke").status_code == 404


def test_anonymous_people_are_sent_to_sign_in_from_object_pages_without_a_lookup(client, council, create_neighbourhood):
    with council_context(council.id):
        ours = create_neighbourhood(name="Our Ward")
    for path in (f"/neighbourhoods/{ours.id}/edit", "/neighbourhoods/987654321/edit", "/officers/1/remove"):
        response = client.get(BASE + path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
