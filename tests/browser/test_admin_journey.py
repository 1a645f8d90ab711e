"""The council administrator's journey, in a real browser, with and without JavaScript.

Sign in, switch a module on, import neighbourhoods from a CSV file (first a
file with a mistake, to see the error summary, then a good one), and see them
listed; every page on the way passes axe-core. Council administrators manage
modules and neighbourhoods (officers cannot: the admin pages are for
administrators), so the journey is an administrator's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.browser import DEFAULT_TIMEOUT_MS, BrowserWorld, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GOOD_CSV = "name,ons_ward_code\r\nBalderstone and Kirkholt,E05000650\r\nCastleton,E05000651\r\nHealey,\r\n"
BAD_CSV = "name,ons_ward_code\r\nSpotland,NOT-A-CODE\r\n"
NAMES = ("Balderstone and Kirkholt", "Castleton", "Healey")


def _follow(page: Any, href_suffix: str) -> None:
    """Click the first link in the page's main content whose address ends with ``href_suffix``."""
    page.locator(f"main a[href$='{href_suffix}']").first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith(href_suffix), page.url


def _admin_journey(page: Any, world: BrowserWorld, tmp_path: Path, *, screenshot: Path | None = None) -> None:
    sign_in(page, world.emails["admin"])
    assert_accessible(page, "the page after signing in")

    page.goto(f"{world.prefix}/admin/")
    assert page.get_by_role("heading", name="Administration").is_visible()
    assert_accessible(page, "administration")
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)

    # Switch a module on.
    _follow(page, "/admin/modules")
    assert_accessible(page, "modules")
    checkbox = page.get_by_label("Neighbourhood priorities")
    assert not checkbox.is_checked()
    checkbox.check()
    page.get_by_role("button", name="Save modules").click()
    page.wait_for_load_state()
    assert page.get_by_text("Neighbourhood priorities switched on").is_visible()
    assert page.get_by_label("Neighbourhood priorities").is_checked()
    assert_accessible(page, "modules, saved")

    # Import neighbourhoods: a file with a mistake first.
    page.goto(f"{world.prefix}/admin/")
    _follow(page, "/admin/neighbourhoods/import")
    assert_accessible(page, "import neighbourhoods")
    bad, good = tmp_path / "bad.csv", tmp_path / "neighbourhoods.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    good.write_text(GOOD_CSV, encoding="utf-8")
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import neighbourhoods").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible(), "no error summary for a bad file"
    assert "Line 2" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page, "import neighbourhoods, with errors")

    # Then the good file.
    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import neighbourhoods").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/admin/neighbourhoods"), page.url
    assert page.get_by_text("3 neighbourhoods imported").is_visible()
    table = page.locator("main table").inner_text()
    for name in NAMES:
        assert name in table, f"{name} not listed"
    assert "E05000650" in table
    assert_accessible(page, "neighbourhoods, imported")

    # Residents' side: the council home lists the module now switched on.
    page.goto(f"{world.prefix}/")
    assert page.locator("main").get_by_text("Neighbourhood priorities").first.is_visible()
    assert_accessible(page, "council home")


def test_admin_journey(page, browser_world, tmp_path):
    screenshot = tmp_path / "council-admin.png"
    _admin_journey(page, browser_world, tmp_path, screenshot=screenshot)
    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_admin_journey_without_javascript(page_without_js, browser_world, tmp_path):
    assert page_without_js.context  # JavaScript is off for this context (java_script_enabled=False)
    _admin_journey(page_without_js, browser_world, tmp_path)
    # Proof that scripts really were off: GOV.UK Frontend marks <body> when its JavaScript runs.
    assert page_without_js.evaluate("() => document.body.classList.contains('govuk-frontend-supported')") is False


def test_javascript_runs_in_the_normal_context(page, browser_world):
    page.goto("/")
    page.wait_for_function(
        "() => document.body.classList.contains('govuk-frontend-supported')", timeout=DEFAULT_TIMEOUT_MS
    )
