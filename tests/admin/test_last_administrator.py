"""A council is never left without an administrator who can sign in: every path that could take the last one away
is refused with a clear message, and nothing changes (``app.auth.administrators``).

Paths: demoting and removing a member of staff, accepting an invitation to a lesser role, erasing the person's
data in this council, and erasing it in another council (which closes the account everywhere).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.admin import operations as admin_operations
from app.auth.models import CouncilRole, Invitation, Role, User
from app.auth.tokens import new_token
from app.extensions import db
from app.privacy import operations as privacy
from app.privacy.models import DataRightsRequest, RequestStatus
from tenants.context import council_context

BASE = "/c/kingsmere"
ACCOUNT_CLOSED = {"is_active": False}


def _role(council, user) -> CouncilRole | None:
    with council_context(council.id):
        found = db.session.scalar(select(CouncilRole).where(CouncilRole.user_id == user.id))
        if found is not None:
            db.session.refresh(found)
        return found


def _body(response) -> str:
    return response.get_data(as_text=True)


# --- demoting and removing ------------------------------------------------------------------------


def test_an_administrator_whose_account_is_closed_does_not_count(
    client, db, council, admin, create_user, grant_role, sign_in, no_csrf
):
    grant_role(create_user(name="Erased Admin", **ACCOUNT_CLOSED), council, Role.COUNCIL_ADMIN)
    sign_in(admin)
    own = _role(council, admin)
    removed = client.post(f"{BASE}/admin/officers/{own.id}/remove")
    assert "You cannot remove the only council administrator" in _body(removed)
    demoted = client.post(f"{BASE}/admin/officers/{own.id}/edit", data={"role": "officer", "modules": ["housing"]})
    assert "You cannot change the role of the only council administrator" in _body(demoted)
    assert 'href="#role"' in _body(demoted)
    assert _role(council, admin).role is Role.COUNCIL_ADMIN


def test_demoting_another_administrator_is_allowed_while_one_remains(
    client, db, council, admin, create_user, grant_role, sign_in, no_csrf
):
    other = create_user(name="Bea Admin")
    grant_role(other, council, Role.COUNCIL_ADMIN)
    sign_in(admin)
    role = _role(council, other)
    done = client.post(f"{BASE}/admin/officers/{role.id}/edit", data={"role": "officer", "modules": ["housing"]})
    assert done.status_code == 302
    assert _role(council, other).role is Role.OFFICER
    own = _role(council, admin)
    refused = client.post(f"{BASE}/admin/officers/{own.id}/remove")
    assert "You cannot remove the only council administrator" in _body(refused)


def test_two_administrators_removing_each_other_at_once_leave_one(app, committed_db, council, create_user, grant_role):
    council_id = council.id
    first, second = create_user(name="First Admin"), create_user(name="Second Admin")
    roles = [grant_role(person, council, Role.COUNCIL_ADMIN).id for person in (first, second)]
    committed_db.session.commit()
    first_removed, outcomes = threading.Event(), {}

    def remove(role_id: int, *, hold: bool) -> None:
        with app.app_context(), council_context(council_id):
            try:
                if not hold:
                    first_removed.wait(10)
                role = db.session.scalar(select(CouncilRole).where(CouncilRole.id == role_id))
                admin_operations.remove_staff_role(role)
                if hold:
                    first_removed.set()
                    threading.Event().wait(0.5)  # the other removal now waits for the administrators' lock
                db.session.commit()
                outcomes[role_id] = "removed"
            except admin_operations.LastAdministratorError:
                db.session.rollback()
                outcomes[role_id] = "refused"
            finally:
                first_removed.set()
                db.session.remove()

    # Each removes the other's role: the first holds its transaction open while the second tries.
    threads = [
        threading.Thread(target=remove, args=(roles[1],), kwargs={"hold": True}),
        threading.Thread(target=remove, args=(roles[0],), kwargs={"hold": False}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == {roles[1]: "removed", roles[0]: "refused"}
    with council_context(council_id):
        left = committed_db.session.scalars(select(CouncilRole.id).where(CouncilRole.role == Role.COUNCIL_ADMIN))
        assert list(left) == [roles[0]]


# --- accepting an invitation ----------------------------------------------------------------------


def _invitation(council, email: str, role: Role) -> str:
    token, token_hash = new_token()
    with council_context(council.id):
        db.session.add(
            Invitation(
                email=email,
                role=role,
                modules=["housing"],
                token_hash=token_hash,
                expires_at=datetime.now(UTC) + timedelta(days=7),
            )
        )
        db.session.flush()
    return token


def test_the_last_administrator_cannot_accept_an_invitation_to_a_lesser_role(
    client, db, council, admin, create_user, grant_role, sign_in, no_csrf
):
    # Invited as an officer before becoming the administrator (inviting an administrator is refused outright).
    token = _invitation(council, admin.email, Role.OFFICER)
    db.session.commit()  # the refusal rolls back the request's work, not the test's set-up
    sign_in(admin)
    refused = client.post(f"{BASE}/invitations/{token}")
    assert refused.status_code == 409
    body = _body(refused)
    assert "You are the only administrator of this council, so you cannot accept a different role" in body
    assert 'href="#refusal"' in body and "govuk-error-summary" in body
    assert _role(council, admin).role is Role.COUNCIL_ADMIN
    with council_context(council.id):
        assert db.session.scalar(select(Invitation.accepted_at)) is None

    grant_role(create_user(name="Bea Admin"), council, Role.COUNCIL_ADMIN)
    db.session.commit()
    accepted = client.post(f"{BASE}/invitations/{token}")
    assert accepted.status_code == 302
    assert _role(council, admin).role is Role.OFFICER


# --- erasure --------------------------------------------------------------------------------------


def _erasure_requested(council, person: User) -> int:
    with council_context(council.id):
        request = privacy.request_erasure(person)
        db.session.flush()
        return request.id


def _request_status(council, request_id: int) -> RequestStatus:
    with council_context(council.id):
        found = db.session.scalar(select(DataRightsRequest).where(DataRightsRequest.id == request_id))
        db.session.refresh(found)
        return found.status


def test_erasing_the_last_administrator_is_refused_until_there_is_another(
    client, db, council, admin, create_user, grant_role, sign_in, no_csrf
):
    request_id = _erasure_requested(council, admin)
    # Only a platform administrator can act on the council's only administrator's own request.
    sign_in(create_user(name="Pia Platform", is_platform_admin=True))
    db.session.commit()
    url = f"{BASE}/privacy/requests/{request_id}/complete"
    refused = client.post(url)
    assert refused.status_code == 409
    assert "This person is the only administrator of this council, so their data cannot be erased yet" in _body(refused)
    db.session.refresh(admin)
    assert admin.is_active and admin.name == "Ada Admin"
    assert _role(council, admin).role is Role.COUNCIL_ADMIN
    assert _request_status(council, request_id) is RequestStatus.RECEIVED

    grant_role(create_user(name="Bea Admin"), council, Role.COUNCIL_ADMIN)
    db.session.commit()
    assert client.post(url).status_code == 302
    assert _request_status(council, request_id) is RequestStatus.COMPLETED
    assert _role(council, admin) is None


def test_erasure_here_is_refused_for_the_last_administrator_of_another_council(
    client, db, council, other_council, admin, create_user, grant_role, sign_in, no_csrf
):
    # Lowbridge's only administrator lives in Kingsmere and asks Kingsmere to erase their data: the closed account
    # would leave Lowbridge with no administrator who can sign in (one whose account is closed does not count).
    person = create_user(name="Lou Lister")
    grant_role(person, council, Role.RESIDENT)
    grant_role(person, other_council, Role.COUNCIL_ADMIN)
    grant_role(create_user(name="Gone Admin", **ACCOUNT_CLOSED), other_council, Role.COUNCIL_ADMIN)
    request_id = _erasure_requested(council, person)
    db.session.commit()
    sign_in(admin)
    url = f"{BASE}/privacy/requests/{request_id}/complete"
    refused = client.post(url)
    assert refused.status_code == 409
    body = _body(refused)
    assert "This person is the only administrator of another council on Rochdale" in body
    assert "Lowbridge" not in body  # another council's name is not Kingsmere's business
    db.session.refresh(person)
    assert person.is_active and person.name == "Lou Lister"
    assert _role(council, person).role is Role.RESIDENT
    assert _request_status(council, request_id) is RequestStatus.RECEIVED

    grant_role(create_user(name="Lara Lowbridge"), other_council, Role.COUNCIL_ADMIN)
    db.session.commit()
    assert client.post(url).status_code == 302
    db.session.refresh(person)
    assert not person.is_active and _role(council, person) is None
