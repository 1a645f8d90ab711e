"""T-5.9: every page without an object id passes axe-core, in a real browser.

Pages are enumerated from ``app.url_map`` (a new page is checked the day it is
added): every GET route without id arguments, global and under the council's
prefix, as the person who can see it. Then every data-entry form on those
pages is submitted empty, and the page that answers (usually an error summary)
is checked too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.fixtures.browser import DEFAULT_TIMEOUT_MS, BrowserWorld, assert_accessible, sign_in
from tests.fixtures.routes import NAMED_ARGS, RouteCase, route_cases

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _paths(live_app, world: BrowserWorld, *, council: bool, prefix: str | None = None) -> list[str]:
    paths = []
    for case in route_cases(live_app, ("GET",)):
        if case.id_args or case.is_council != council:
            continue
        path = case.url(world.slug if council else None, None)
        if prefix is None or path.startswith(prefix):
            paths.append(path)
    return sorted(set(paths))


GOVUK_ONLY_MARKS = (
    ".govuk-header__logotype, .govuk-footer__crown, .govuk-footer__copyright-logo, .govuk-footer__licence-logo"
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _distinct_pages(page: Any, paths: list[str], seen: set[str]) -> list[str]:
    """The paths that answer with an HTML page of a kind (title) not in ``seen``; adds them to it.

    Fetched without the browser first (same cookies), so that the many paths
    answering with the same page (every "sign in" redirect, every 403) cost one
    request each rather than a full page load and an axe run.
    """
    distinct = []
    for path in paths:
        response = page.request.get(path, max_redirects=5, timeout=DEFAULT_TIMEOUT_MS)
        if "text/html" not in response.headers.get("content-type", ""):
            continue  # CSV downloads, JSON
        match = _TITLE.search(response.text())
        title = " ".join(match.group(1).split()) if match else path
        if title not in seen:
            seen.add(title)
            distinct.append(path)
    return distinct


def _check_pages(page: Any, paths: list[str], checked: set[str]) -> list[str]:
    """Run axe on each kind of page among ``paths``; returns the paths checked."""
    distinct = _distinct_pages(page, paths, checked)
    for path in distinct:
        page.goto(path)
        assert page.locator("main").count() == 1, f"{path}: no single <main>"
        # The crown, the Royal Arms and the OGL mark are for GOV.UK services only (ARCHITECTURE §6).
        assert page.locator(GOVUK_ONLY_MARKS).count() == 0, f"{path} shows a GOV.UK-only mark"
        assert_accessible(page, f"{path} (shown at {page.url}, titled {page.title()!r})")
    return distinct


def _submit_every_form_empty(page: Any, paths: list[str]) -> int:
    """Submit each data-entry form on ``paths`` (one page of each kind) as it is, and check the answer."""
    submitted = 0
    for path in _distinct_pages(page, paths, set()):
        page.goto(path)
        forms = page.locator("main form[method=post]")
        for index in range(forms.count()):
            if index:
                page.goto(path)
            form = page.locator("main form[method=post]").nth(index)
            action = form.get_attribute("action") or path
            if "sign-out" in action:
                continue
            fields = form.locator("input:not([type=hidden]), select, textarea")
            if fields.count() == 0:
                continue  # a bare confirmation button, not a form to fill
            for i in range(fields.count()):
                field = fields.nth(i)
                kind = field.get_attribute("type") or ""
                if kind in ("text", "email", "password", "tel", "number", "") and field.evaluate(
                    "e => e.tagName !== 'SELECT'"
                ):
                    field.fill("")
            form.locator("button, input[type=submit]").last.click()
            page.wait_for_load_state()
            submitted += 1
            assert_accessible(page, f"{path} submitted empty (answered by {page.url})")
    return submitted


def test_global_pages_for_anonymous_people(page, live_app, browser_world):
    checked: set[str] = set()
    _check_pages(page, _paths(live_app, browser_world, council=False), checked)
    _check_pages(page, _paths(live_app, browser_world, council=True), checked)  # mostly "sign in"
    page.goto("/no-such-page")
    assert_accessible(page, "the 404 page")
    page.goto("/c/no-such-council/")
    assert_accessible(page, "the 404 page for an unknown council")
    assert len(checked) >= 4, checked


def test_forms_submitted_empty_show_accessible_errors_anonymous(page, live_app, browser_world):
    assert _submit_every_form_empty(page, _paths(live_app, browser_world, council=False)) >= 2


def test_council_and_account_pages_for_its_administrator(page, live_app, browser_world):
    sign_in(page, browser_world.emails["admin"])
    checked: set[str] = set()
    council_paths = _paths(live_app, browser_world, council=True)
    # Global pages look the same signed in except the person's own ones.
    personal = [p for p in _paths(live_app, browser_world, council=False) if p.startswith(("/account", "/sign-out"))]
    done = _check_pages(page, council_paths + personal, checked)
    assert sum(1 for p in done if "/admin" in p) >= 4, done
    page.goto("/platform/councils")
    assert_accessible(page, "the 403 page")
    assert _submit_every_form_empty(page, [*council_paths, *personal]) >= 3


def test_council_pages_for_an_officer(page, live_app, browser_world):
    sign_in(page, browser_world.emails["officer"])
    _check_pages(page, _paths(live_app, browser_world, council=True), set())


def test_platform_pages_for_a_platform_administrator(page, live_app, browser_world):
    sign_in(page, browser_world.emails["platform"])
    paths = _paths(live_app, browser_world, council=False, prefix="/platform/")
    assert paths, "no platform pages found"
    _check_pages(page, paths, set())
    assert _submit_every_form_empty(page, paths) >= 1


def test_pages_are_enumerated_from_the_url_map(live_app, browser_world):
    """Sanity: the enumeration finds the known pages, and every named argument has a sample."""
    council_paths = _paths(live_app, browser_world, council=True)
    assert f"{browser_world.prefix}/" in council_paths
    assert "/accessibility" in _paths(live_app, browser_world, council=False)
    for case in route_cases(live_app, ("GET",)):
        assert isinstance(case, RouteCase)
        assert set(case.args) - set(case.id_args) <= set(NAMED_ARGS)
