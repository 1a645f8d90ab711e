"""The benchmarking journey in a real browser without JavaScript, axe-core on every page it visits.

An officer uploads quarterly figures (first a file with mistakes, then a good
one), shares a metric publicly, looks at the council's own dashboard; then
anyone looks at the network table (sorted without JavaScript), a council's
page and its time series. A second council has published figures already.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.modules.benchmarking import operations
from app.modules.benchmarking.disclosure import Visibility
from app.modules.benchmarking.figures import Figure
from app.modules.benchmarking.models import FigureSource
from app.voting import timing
from tenants.context import council_context
from tenants.models import Council, CouncilType, Region
from tests.fixtures.browser import BrowserWorld, assert_accessible, press_button, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def network(browser_world: BrowserWorld, committed_db: Any) -> dict[str, Any]:
    db = committed_db
    other = Council(
        slug="kingsmere",
        name="Kingsmere District Council",
        council_type=CouncilType.DISTRICT,
        region=Region.NORTH_WEST,
        population=90_000,
    )
    db.session.add(other)
    db.session.flush()
    today = timing.today()
    with council_context(other.id):
        for month in (date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)):
            operations.store_figures(
                month,
                {"priorities_turnout": Figure(value=30 + month.month, numerator=None, denominator=500)},
                FigureSource.COMPUTED,
            )
        operations.store_figures(
            date(2026, 4, 1),
            {"local_spend_share": Figure(value=55.0, numerator=None, denominator=900)},
            FigureSource.UPLOADED,
        )
        operations.set_sharing(
            {"priorities_turnout": (Visibility.PUBLIC, None), "local_spend_share": (Visibility.PUBLIC, None)},
            today=today,
            actor_user_id=None,
        )
    council_id = db.session.scalar(select(Council.id).where(Council.slug == browser_world.slug))
    with council_context(council_id):
        operations.store_figures(
            date(2026, 9, 1),
            {"priorities_turnout": Figure(value=48.0, numerator=None, denominator=800)},
            FigureSource.COMPUTED,
        )
        operations.set_sharing({"priorities_turnout": (Visibility.PUBLIC, None)}, today=today, actor_user_id=None)
    db.session.commit()
    db.session.close()
    return {"prefix": f"{browser_world.prefix}/benchmarking"}


def test_an_officer_uploads_and_shares_and_anyone_compares(page_without_js, browser_world, network, tmp_path: Path):
    page, prefix = page_without_js, network["prefix"]
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(
        "metric,period,unit,value,denominator\nnope,2026-Q2,count,3,\nlocal_spend_share,2026-Q2,count,140,\n"
    )
    good.write_text("metric,period,unit,value,denominator\nlocal_spend_share,2026-Q2,percent,41.5,1200\n")

    sign_in(page, browser_world.emails["officer"])
    page.goto(f"{prefix}/upload")
    assert_accessible(page, "the upload form")
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    press_button(page, "Upload the figures")
    assert page.get_by_text("There is no metric with the code").is_visible()
    assert page.get_by_text("is outside its range").is_visible()
    assert_accessible(page, "the upload with its problems listed")
    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    press_button(page, "Upload the figures")
    assert page.get_by_text("1 figures have been uploaded").is_visible()

    page.goto(f"{prefix}/sharing")
    assert_accessible(page, "the sharing choices")
    page.locator("#visibility-local_spend_share").select_option("public")
    page.locator("#embargo-youth_turnout").fill("not a date")
    press_button(page, "Save and republish")
    assert page.get_by_role("link", name="The embargo date for Turnout in youth service ballots").is_visible()
    assert_accessible(page, "the sharing choices with an error")
    page.locator("#embargo-youth_turnout").fill("")
    page.locator("#visibility-local_spend_share").select_option("public")
    press_button(page, "Save and republish")
    assert page.get_by_text("Your sharing choices have been saved").is_visible()

    page.goto(f"{prefix}/")
    assert_accessible(page, "the council's own dashboard")
    assert page.get_by_text("41.5%").first.is_visible()
    page.goto(f"{prefix}/peers")
    assert_accessible(page, "the peer group form")
    page.get_by_label("Kingsmere District Council").check()
    press_button(page, "Save the peer group")
    page.goto(f"{prefix}/?peers=custom")
    assert_accessible(page, "the dashboard against its own peers")

    page.goto("/sign-out")
    press_button(page, "Sign out")
    page.goto("/benchmarking/")
    assert_accessible(page, "the network index")
    page.get_by_role("link", name="Turnout in neighbourhood priorities ballots").click()
    page.wait_for_load_state()
    assert_accessible(page, "the network table with its distribution")
    page.get_by_role("link", name="Figure", exact=True).click()
    page.wait_for_load_state()
    rows = page.locator("tbody tr").all_inner_texts()
    assert "Kingsmere" in rows[0] and "Rochdale" in rows[1]  # ascending: 39.0% before 48.0%
    page.get_by_role("link", name="Kingsmere District Council").click()
    page.wait_for_load_state()
    assert_accessible(page, "a council's page")
    page.get_by_role("link", name="Turnout in neighbourhood priorities ballots").click()
    page.wait_for_load_state()
    assert page.get_by_role("img", name="Turnout in neighbourhood priorities ballots over time").is_visible()
    assert_accessible(page, "a council's time series")
    page.goto("/benchmarking/metrics/local_spend_share")
    assert page.get_by_role("cell", name="41.5%").is_visible()
    assert_accessible(page, "a quarterly metric")
