"""Switching modules, and adding, changing and deleting neighbourhoods."""

from sqlalchemy import select

from app.admin import queries
from tenants.context import council_context
from tenants.features import enabled_modules, set_module_enabled
from tenants.models import Neighbourhood
from tests.admin.conftest import submit

BASE = "/c/kingsmere/admin"


def names(db, council) -> list[tuple[str, str | None]]:
    with council_context(council.id):
        rows = db.session.execute(
            select(Neighbourhood.name, Neighbourhood.ons_ward_code).order_by(Neighbourhood.name)
        ).all()
    return [tuple(row) for row in rows]


# --- modules --------------------------------------------------------------------------------------


def test_modules_page_shows_current_switches(client, council, as_admin):
    with council_context(council.id):
        set_module_enabled("housing", True)
    body = client.get(BASE + "/modules").get_data(as_text=True)
    assert 'value="housing" checked' in body
    assert 'value="youth" checked' not in body
    assert "Youth service choices" in body


def test_switching_modules_with_a_real_csrf_token(client, db, council, as_admin):
    with council_context(council.id):
        set_module_enabled("care", True)
    response = submit(client, BASE + "/modules", {"modules": ["housing", "youth"]}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-notification-banner--success" in body
    assert "Housing co-operatives switched on" in body
    assert "Care social enterprises switched off" in body
    with council_context(council.id):
        assert enabled_modules() == {"housing", "youth"}


def test_saving_without_changes_says_so(client, council, as_admin, no_csrf):
    response = client.post(BASE + "/modules", data={}, follow_redirects=True)
    assert "No modules changed." in response.get_data(as_text=True)


def test_an_unknown_module_is_an_error_not_a_500(client, council, as_admin, no_csrf):
    response = client.post(BASE + "/modules", data={"modules": ["housing", "casino"]})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and "govuk-error-summary" in body
    with council_context(council.id):
        assert enabled_modules() == set()


def test_module_switches_do_not_touch_another_council(client, council, other_council, as_admin, no_csrf):
    client.post(BASE + "/modules", data={"modules": ["schools"]})
    with council_context(other_council.id):
        assert enabled_modules() == set()


# --- neighbourhoods -------------------------------------------------------------------------------


def test_add_a_neighbourhood(client, db, council, as_admin):
    response = submit(
        client,
        BASE + "/neighbourhoods/new",
        {"name": "  Balderstone   and Kirkholt ", "ons_ward_code": " e05000650 "},
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert "Balderstone and Kirkholt added." in body
    assert "E05000650" in body
    assert names(db, council) == [("Balderstone and Kirkholt", "E05000650")]


def test_ward_code_is_optional(client, db, council, as_admin, no_csrf):
    client.post(BASE + "/neighbourhoods/new", data={"name": "Castleton", "ons_ward_code": ""})
    assert names(db, council) == [("Castleton", None)]


def test_add_form_errors(client, db, council, as_admin, no_csrf):
    response = client.post(BASE + "/neighbourhoods/new", data={"name": "   ", "ons_ward_code": "X123"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Add a neighbourhood" in body
    assert 'href="#name">Enter a name</a>' in body
    assert 'href="#ons_ward_code">ONS ward code must be a letter E, W, S or N followed by 8 digits' in body
    assert 'id="name-error"' in body and 'id="ons_ward_code-error"' in body
    assert 'value="X123"' in body  # what they typed is kept
    response = client.post(BASE + "/neighbourhoods/new", data={"name": "x" * 201})
    assert "Name must be 200 characters or fewer" in response.get_data(as_text=True)
    assert names(db, council) == []


def test_duplicates_are_form_errors(client, db, council, create_neighbourhood, as_admin, no_csrf):
    with council_context(council.id):
        create_neighbourhood(name="Castleton", ons_ward_code="E05000650")
    response = client.post(BASE + "/neighbourhoods/new", data={"name": "castleton"})
    assert response.status_code == 200
    assert "A neighbourhood called castleton already exists" in response.get_data(as_text=True)
    response = client.post(BASE + "/neighbourhoods/new", data={"name": "Kirkholt", "ons_ward_code": "E05000650"})
    assert "A neighbourhood with the ONS ward code E05000650 already exists" in response.get_data(as_text=True)
    assert names(db, council) == [("Castleton", "E05000650")]


def test_a_duplicate_that_slips_past_the_check_is_still_a_form_error(
    client, db, council, create_neighbourhood, as_admin, no_csrf, monkeypatch
):
    """Two administrators adding the same name at once: the unique constraint answers, not a 500."""
    with council_context(council.id):
        create_neighbourhood(name="Castleton", ons_ward_code="E05000650")
    monkeypatch.setattr(queries, "neighbourhood_name_taken", lambda *a, **k: False)
    monkeypatch.setattr(queries, "ward_code_taken", lambda *a, **k: False)
    response = client.post(BASE + "/neighbourhoods/new", data={"name": "Castleton"})
    assert response.status_code == 200
    assert "A neighbourhood with that name was added just now" in response.get_data(as_text=True)
    response = client.post(BASE + "/neighbourhoods/new", data={"name": "Kirkholt", "ons_ward_code": "E05000650"})
    assert response.status_code == 200
    assert "A neighbourhood with that ONS ward code was added just now" in response.get_data(as_text=True)
    assert names(db, council) == [("Castleton", "E05000650")]


def test_same_name_is_fine_in_another_council(client, db, council, other_council, create_neighbourhood, as_admin):
    with council_context(other_council.id):
        create_neighbourhood(name="Castleton", ons_ward_code="E05000650")
    submit(client, BASE + "/neighbourhoods/new", {"name": "Castleton", "ons_ward_code": "E05000650"})
    assert names(db, council) == [("Castleton", "E05000650")]


def test_list_shows_neighbourhoods_in_name_order(client, council, create_neighbourhood, as_admin):
    with council_context(council.id):
        create_neighbourhood(name="Spotland")
        create_neighbourhood(name="castleton", ons_ward_code="E05000650")
    body = client.get(BASE + "/neighbourhoods").get_data(as_text=True)
    assert body.index("castleton") < body.index("Spotland")
    assert "2 neighbourhoods" in body


def test_empty_list(client, as_admin):
    assert "There are no neighbourhoods yet." in client.get(BASE + "/neighbourhoods").get_data(as_text=True)


def test_edit_a_neighbourhood(client, db, council, create_neighbourhood, as_admin, no_csrf):
    with council_context(council.id):
        ward = create_neighbourhood(name="Castleton", ons_ward_code="E05000650")
        create_neighbourhood(name="Spotland", ons_ward_code="E05000651")
    page = client.get(f"{BASE}/neighbourhoods/{ward.id}/edit").get_data(as_text=True)
    assert 'value="Castleton"' in page and 'value="E05000650"' in page
    # Keeping its own name and code is not a duplicate.
    client.post(f"{BASE}/neighbourhoods/{ward.id}/edit", data={"name": "Castleton", "ons_ward_code": "E05000650"})
    response = client.post(f"{BASE}/neighbourhoods/{ward.id}/edit", data={"name": "Spotland", "ons_ward_code": ""})
    assert "A neighbourhood called Spotland already exists" in response.get_data(as_text=True)
    response = client.post(
        f"{BASE}/neighbourhoods/{ward.id}/edit",
        data={"name": "Castleton North", "ons_ward_code": ""},
        follow_redirects=True,
    )
    assert "Castleton North saved." in response.get_data(as_text=True)
    assert names(db, council) == [("Castleton North", None), ("Spotland", "E05000651")]


def test_delete_asks_first_then_deletes_on_post(client, db, council, create_neighbourhood, as_admin):
    with council_context(council.id):
        ward = create_neighbourhood(name="Castleton")
    page = client.get(f"{BASE}/neighbourhoods/{ward.id}/delete")
    assert "Are you sure you want to delete Castleton?" in page.get_data(as_text=True)
    assert names(db, council) == [("Castleton", None)]  # a GET changes nothing
    response = submit(client, f"{BASE}/neighbourhoods/{ward.id}/delete", {}, follow_redirects=True)
    assert "Castleton deleted." in response.get_data(as_text=True)
    assert names(db, council) == []
    assert client.get(f"{BASE}/neighbourhoods/{ward.id}/edit").status_code == 404


def test_a_neighbourhood_still_in_use_is_not_deleted(client, db, council, create_neighbourhood, as_admin):
    from app.voting.models import Ballot, BallotKind

    with council_context(council.id):
        ward = create_neighbourhood(name="Castleton")
        db.session.add(
            Ballot(title="Castleton priorities", kind=BallotKind.APPROVAL, method="approval", neighbourhood_id=ward.id)
        )
        db.session.flush()
    response = submit(client, f"{BASE}/neighbourhoods/{ward.id}/delete", {})
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Castleton cannot be deleted because other records use it" in body
    assert "govuk-error-summary" in body
    assert names(db, council) == [("Castleton", None)]


def test_names_are_escaped(client, council, create_neighbourhood, as_admin):
    with council_context(council.id):
        create_neighbourhood(name="<script>alert(1)</script>")
    body = client.get(BASE + "/neighbourhoods").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_edit_clash_that_slips_past_the_check_is_a_form_error(
    client, db, council, create_neighbourhood, as_admin, no_csrf, monkeypatch
):
    with council_context(council.id):
        ward = create_neighbourhood(name="Castleton", ons_ward_code="E05000650")
        create_neighbourhood(name="Spotland", ons_ward_code="E05000651")
    monkeypatch.setattr(queries, "neighbourhood_name_taken", lambda *a, **k: False)
    monkeypatch.setattr(queries, "ward_code_taken", lambda *a, **k: False)
    response = client.post(
        f"{BASE}/neighbourhoods/{ward.id}/edit", data={"name": "Castleton", "ons_ward_code": "E05000651"}
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'href="#ons_ward_code">A neighbourhood with that ONS ward code was added just now' in body
    assert "Change Castleton" in body
    assert names(db, council) == [("Castleton", "E05000650"), ("Spotland", "E05000651")]
