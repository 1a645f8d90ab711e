"""Importing neighbourhoods from a CSV file through the page: all or nothing, every problem by line."""

import io

from sqlalchemy import func, select

from app.admin import queries
from tenants.context import council_context
from tenants.models import Neighbourhood
from tests.admin.conftest import submit

IMPORT = "/c/kingsmere/admin/neighbourhoods/import"


def upload(data: bytes, filename: str = "wards.csv") -> dict:
    return {"csv_file": (io.BytesIO(data), filename)}


def count(db, council) -> int:
    with council_context(council.id):
        return db.session.scalar(select(func.count()).select_from(Neighbourhood))


def test_import_a_good_file_with_a_real_csrf_token(client, db, council, as_admin):
    data = "\ufeffname,ons_ward_code\r\nCastleton,E05000650\r\nKirkholt,\r\nSpotland,E05000651\r\n".encode()
    response = submit(client, IMPORT, upload(data), follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 neighbourhoods imported." in body
    assert "govuk-notification-banner--success" in body
    with council_context(council.id):
        rows = db.session.execute(
            select(Neighbourhood.name, Neighbourhood.ons_ward_code).order_by(Neighbourhood.name)
        ).all()
    assert [tuple(r) for r in rows] == [("Castleton", "E05000650"), ("Kirkholt", None), ("Spotland", "E05000651")]


def test_one_row_says_neighbourhood(client, db, council, as_admin, no_csrf):
    response = client.post(IMPORT, data=upload(b"name,ons_ward_code\nCastleton,\n"), follow_redirects=True)
    assert "1 neighbourhood imported." in response.get_data(as_text=True)


def test_several_bad_rows_each_reported_by_line_and_nothing_written(
    client, db, council, create_neighbourhood, as_admin, no_csrf
):
    with council_context(council.id):
        create_neighbourhood(name="Spotland", ons_ward_code="E05000999")
    data = (
        b"name,ons_ward_code\n"
        b"Castleton,E05000650\n"  # 2: fine
        b",E05000651\n"  # 3: no name
        b"Kirkholt,E0500\n"  # 4: bad code
        b"Castleton,\n"  # 5: repeats line 2
        b"spotland,\n"  # 6: already exists
        b"Healey,E05000999\n"  # 7: code already exists
    )
    response = client.post(IMPORT, data=upload(data))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: Import neighbourhoods" in body
    assert "govuk-error-summary" in body
    for line, text in [
        (3, "The name is missing"),
        (4, "ONS ward code must be a letter E, W, S or N followed by 8 digits"),
        (5, "The name &#34;Castleton&#34; is also on line 2"),
        (6, "A neighbourhood called &#34;spotland&#34; already exists"),
        (7, "A neighbourhood with the ONS ward code E05000999 already exists"),
    ]:
        assert f"Line {line}: {text}" in body  # in the error summary
        assert f'<th scope="row" class="govuk-table__header">{line}</th>' in body  # in the table
    assert "The file has 5 problems. Nothing has been imported." in body
    assert count(db, council) == 1  # only the one that was already there


def test_the_summary_lists_the_first_ten_and_the_table_all(client, db, council, as_admin, no_csrf):
    data = b"name,ons_ward_code\n" + b"".join(b"Ward %d,BAD\n" % i for i in range(25))
    body = client.post(IMPORT, data=upload(data)).get_data(as_text=True)
    assert body.count('href="#problem-') == 10
    assert body.count('<tr class="govuk-table__row" id="problem-') == 25
    assert "The file has 25 problems" in body
    assert count(db, council) == 0


def test_whole_file_problems(client, db, council, as_admin, no_csrf):
    cases = [
        (b"", "The selected file is empty"),
        (b"name,ons_ward_code\n", "The file has no neighbourhoods in it"),
        (b"ward,code\nCastleton,\n", "The first line must be the column headings name,ons_ward_code"),
        (b"name,ons_ward_code\nCaf\xe9,\n", "Line 2: The file is not UTF-8 text"),
        (
            b"name,ons_ward_code\n" + b"".join(b"Ward %d,\n" % i for i in range(5001)),
            "The file has more than 5,000 neighbourhoods",
        ),
    ]
    for data, message in cases:
        response = client.post(IMPORT, data=upload(data))
        assert response.status_code == 400
        assert message in response.get_data(as_text=True), message
    assert count(db, council) == 0


def test_no_file_or_the_wrong_kind_of_file(client, as_admin, no_csrf):
    body = client.post(IMPORT, data={}).get_data(as_text=True)
    assert 'href="#csv_file">Select a CSV file</a>' in body
    body = client.post(IMPORT, data=upload(b"name,ons_ward_code\nA,\n", "wards.xlsx")).get_data(as_text=True)
    assert "The selected file must be a CSV file" in body


def test_an_upload_over_the_size_limit_gets_the_413_page(client, db, council, as_admin, no_csrf):
    big = b"name,ons_ward_code\n" + b"x" * (2 * 1024 * 1024 + 1)
    response = client.post(IMPORT, data=upload(big))
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "The file is too large" in body
    assert "The file must be smaller than 2 MB" in body
    assert count(db, council) == 0


def test_a_clash_added_meanwhile_imports_nothing(
    client, db, council, create_neighbourhood, as_admin, no_csrf, monkeypatch
):
    """Someone adds a clashing neighbourhood between the check and the insert: nothing of the file is kept."""
    with council_context(council.id):
        create_neighbourhood(name="Kirkholt")
    monkeypatch.setattr(queries, "existing_names_and_codes", lambda: ([], []))
    response = client.post(IMPORT, data=upload(b"name,ons_ward_code\nCastleton,\nKirkholt,\n"))
    assert response.status_code == 400
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert count(db, council) == 1


def test_import_only_looks_at_this_councils_neighbourhoods(
    client, db, council, other_council, create_neighbourhood, as_admin, no_csrf
):
    with council_context(other_council.id):
        create_neighbourhood(name="Castleton", ons_ward_code="E05000650")
    response = client.post(IMPORT, data=upload(b"name,ons_ward_code\nCastleton,E05000650\n"), follow_redirects=True)
    assert "1 neighbourhood imported." in response.get_data(as_text=True)
    assert count(db, council) == 1
    assert count(db, other_council) == 1


def test_template_download(client, as_admin):
    response = client.get("/c/kingsmere/admin/neighbourhoods/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="neighbourhoods.csv"' in response.headers["Content-Disposition"]
    assert response.get_data() == b"name,ons_ward_code\r\n"
    page = client.get(IMPORT).get_data(as_text=True)
    assert 'href="/c/kingsmere/admin/neighbourhoods/template.csv"' in page
