"""Platform administration: listing and creating councils, inviting their first administrator."""

import re

import pytest
from sqlalchemy import select

from app.auth.models import Invitation, Role
from app.auth.tokens import hash_token
from app.platform import operations
from tenants.context import council_context
from tenants.models import Council, CouncilType, Region
from tests.admin.conftest import submit
from workers.models import OutboundEmail

GOOD = {
    "name": "Kingsmere City Council",
    "slug": "kingsmere",
    "council_type": "unitary",
    "region": "south_west",
    "population": "312,000",
}


def council_named(db, slug: str) -> Council | None:
    return db.session.scalar(select(Council).where(Council.slug == slug))


# --- who may use the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/platform/councils", "/platform/councils/new"])
def test_anonymous_people_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/platform/councils", "/platform/councils/new"])
def test_council_administrators_are_not_platform_administrators(
    client, create_council, create_user, grant_role, sign_in, path
):
    council = create_council()
    person = create_user()
    grant_role(person, council, Role.COUNCIL_ADMIN)
    sign_in(person)
    assert client.get(path).status_code == 403


def test_posting_needs_a_platform_administrator(client, db, create_user, sign_in, no_csrf):
    sign_in(create_user())
    assert client.post("/platform/councils/new", data=GOOD).status_code == 403
    assert council_named(db, "kingsmere") is None


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_every_council(client, create_council, as_operator):
    create_council(
        slug="west-vale",
        name="West Vale District Council",
        council_type=CouncilType.DISTRICT,
        region=Region.EAST_OF_ENGLAND,
        population=98765,
    )
    create_council(slug="old-town", name="Old Town Council", is_active=False)
    body = client.get("/platform/councils").get_data(as_text=True)
    for text in ("West Vale District Council", "west-vale", "District", "East of England", "98,765", "Active"):
        assert text in body
    assert "Old Town Council" in body and "Inactive" in body
    assert 'href="/c/west-vale/admin/"' in body
    assert "<title>Councils" in body


# --- creating a council ---------------------------------------------------------------------------


def test_create_a_council_with_a_real_csrf_token(client, db, as_operator):
    response = submit(client, "/platform/councils/new", GOOD, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Kingsmere City Council created at /c/kingsmere/." in body
    council = council_named(db, "kingsmere")
    assert council.name == "Kingsmere City Council"
    assert council.council_type is CouncilType.UNITARY
    assert council.region is Region.SOUTH_WEST
    assert council.population == 312000
    assert council.is_active
    # Its pages exist straight away, and the operator can run its administration.
    assert client.get("/c/kingsmere/").status_code == 200
    assert client.get("/c/kingsmere/admin/").status_code == 200


def test_create_and_invite_the_first_administrator(client, db, as_operator, no_csrf):
    data = {**GOOD, "first_admin_email": "Chief@Kingsmere.example"}
    response = client.post("/platform/councils/new", data=data, follow_redirects=True)
    assert "Invitation sent to chief@kingsmere.example." in response.get_data(as_text=True)
    council = council_named(db, "kingsmere")
    with council_context(council.id):
        (invitation,) = db.session.scalars(select(Invitation)).all()
    assert invitation.council_id == council.id
    assert invitation.role is Role.COUNCIL_ADMIN
    assert invitation.email == "chief@kingsmere.example"
    assert invitation.invited_by_id == as_operator.id
    email = db.session.scalar(select(OutboundEmail).where(OutboundEmail.to_address == "chief@kingsmere.example"))
    assert "Pat Platform has invited you to help run Kingsmere City Council" in email.body
    token = re.search(r"/c/kingsmere/invitations/(\S+)", email.body).group(1)
    assert invitation.token_hash == hash_token(token)
    # The council's own administration page lists it.
    page = client.get("/c/kingsmere/admin/officers").get_data(as_text=True)
    assert "chief@kingsmere.example" in page


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": "  "}, "name", "Enter the council&#39;s name"),
        ({"name": "x" * 201}, "name", "Name must be 200 characters or fewer"),
        ({"slug": ""}, "slug", "Enter a short name for web addresses"),
        ({"slug": "King's Mere"}, "slug", "Short name must only use lower-case letters, digits and single hyphens"),
        ({"slug": "kings--mere"}, "slug", "Short name must only use lower-case letters"),
        ({"slug": "-kingsmere"}, "slug", "Short name must only use lower-case letters"),
        ({"slug": "k" * 64}, "slug", "Short name must be 63 characters or fewer"),
        ({"council_type": ""}, "council_type", "Choose the type of council"),
        ({"council_type": "parish"}, "council_type", "Not a valid choice"),
        ({"region": ""}, "region", "Choose the region or nation"),
        ({"region": "atlantis"}, "region", "Not a valid choice"),
        ({"population": ""}, "population", "Enter the population as a whole number"),
        ({"population": "lots"}, "population", "Enter the population as a whole number"),
        ({"population": "2.5"}, "population", "Enter the population as a whole number"),
        ({"population": "-1"}, "population", "Population must be 0 or more"),
        ({"population": "99999999999"}, "population", "Population must be 100,000,000 or fewer"),
        ({"first_admin_email": "not-an-email"}, "first_admin_email", "Enter an email address in the correct format"),
    ],
)
def test_bad_input_gets_a_clear_error_not_a_500(client, db, as_operator, no_csrf, changes, field, message):
    response = client.post("/platform/councils/new", data={**GOOD, **changes})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<title>Error: Create a council" in body
    assert f'href="#{field}">{message}' in body
    assert f'id="{field}-error"' in body
    assert council_named(db, "kingsmere") is None


def test_slug_is_trimmed_and_lower_cased(client, db, as_operator, no_csrf):
    client.post("/platform/councils/new", data={**GOOD, "slug": "  KingsMere "})
    assert council_named(db, "kingsmere") is not None


def test_a_taken_slug_is_a_form_error(client, db, create_council, as_operator, no_csrf):
    create_council(slug="kingsmere", name="The Original")
    response = client.post("/platform/councils/new", data=GOOD)
    assert response.status_code == 200
    assert 'href="#slug">A council with the short name kingsmere already exists' in response.get_data(as_text=True)
    assert council_named(db, "kingsmere").name == "The Original"


def test_a_slug_taken_meanwhile_is_still_a_form_error(client, db, create_council, as_operator, no_csrf, monkeypatch):
    """Two operators creating the same slug at once: the unique constraint answers, not a 500."""
    create_council(slug="kingsmere", name="The Original")
    real_scalar = operations.db.session.scalar
    missed = []

    def miss_the_check(statement, *args, **kwargs):
        if not missed and str(statement).startswith("SELECT councils.id \nFROM councils"):
            missed.append(statement)
            return None
        return real_scalar(statement, *args, **kwargs)

    monkeypatch.setattr(operations.db.session, "scalar", miss_the_check)
    response = client.post("/platform/councils/new", data=GOOD)
    assert missed  # the check really was skipped
    assert response.status_code == 200
    assert "A council with the short name kingsmere already exists" in response.get_data(as_text=True)
    assert council_named(db, "kingsmere").name == "The Original"


# --- the operation the CLI shares -----------------------------------------------------------------


def test_create_council_works_without_a_request(app, db):
    council = operations.create_council(
        slug="cli-made", name="CLI Made", council_type="county", region=Region.WALES, population=0
    )
    assert council.id is not None and council.council_type is CouncilType.COUNTY and council.population == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"name": ""}, "name"),
        ({"population": -5}, "population"),
        ({"council_type": "parish"}, "council_type"),
        ({"region": "mars"}, "region"),
    ],
)
def test_create_council_refuses_bad_input_with_a_value_error(app, db, changes, field):
    fields = {
        "slug": "fine",
        "name": "Fine",
        "council_type": CouncilType.UNITARY,
        "region": Region.LONDON,
        "population": 1,
    }
    with pytest.raises(ValueError) as caught:
        operations.create_council(**{**fields, **changes})
    assert isinstance(caught.value, operations.CouncilInputError) and caught.value.field == field
    assert council_named(db, "fine") is None


def test_invitation_failure_leaves_no_council(app, db, monkeypatch):
    from app.admin import operations as admin_operations

    def refuse(*args, **kwargs):
        raise admin_operations.InvitationError("nope", field="email")

    monkeypatch.setattr(admin_operations, "invite", refuse)
    with app.test_request_context(), pytest.raises(admin_operations.InvitationError):
        operations.create_council_and_invite(
            slug="half-made",
            name="Half Made",
            council_type=CouncilType.UNITARY,
            region=Region.LONDON,
            population=1,
            first_admin_email="x@example.org",
        )
    assert council_named(db, "half-made") is None
