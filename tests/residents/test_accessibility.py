"""The register pages in a real browser without JavaScript: uploading, errors, progress and lists pass axe-core."""

from __future__ import annotations

import pytest

from tests.fixtures.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BAD_FILE = (
    b"reference,name,address,postcode,date_of_birth,neighbourhood\n"
    b"R1,Ada Lovelace,1 Smith St,NOT A POSTCODE,31/02/1990,Nowhere\n"
)


def test_an_officer_uploads_a_bad_register_and_reads_the_report(page_without_js, browser_world, run_jobs):
    page = page_without_js
    sign_in(page, browser_world.emails["officer"])
    base = f"{browser_world.prefix}/admin/register"
    page.goto(f"{base}/import")
    assert_accessible(page, "the register upload page")

    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "the upload page with an error")

    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": "register.csv", "mimeType": "text/csv", "buffer": BAD_FILE}
    )
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state()
    assert page.get_by_text("Waiting to start").is_visible()
    assert_accessible(page, "an import waiting for its job")

    run_jobs()
    page.reload()
    assert page.get_by_text("Nothing was imported").is_visible()
    assert page.get_by_text('"NOT A POSTCODE" is not a UK postcode').is_visible()
    assert_accessible(page, "the problems of a rejected file")

    for path, what in (
        (base + "/", "the register"),
        (base + "/postcodes", "the postcode lookup"),
        (base + "/postcodes/import", "the postcode upload page"),
    ):
        page.goto(path)
        assert_accessible(page, what)
