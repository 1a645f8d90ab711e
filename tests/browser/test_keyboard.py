"""Issue 9: the voting journeys with the keyboard alone, every focused control visibly focused (WCAG 2.1.1, 2.4.7).

Nothing is clicked: the resident moves with Tab, ticks with Space, picks from
lists and radio groups with the arrow keys and letters, and submits with
Enter, from the sign-in page to the receipt. Each control the journey lands on
must be reached within a bounded number of Tab presses and must show a focus
indicator (GOV.UK's yellow focus state: an outline or a box shadow).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.voting.models import BallotKind
from tests.fixtures.browser import BrowserWorld
from tests.voting.app.test_accessibility import RESIDENT, ballots  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MAX_TABS = 80

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].innerText.trim() : "";
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", label: label,
    text: (el.innerText || el.value || "").trim(), name: el.name || "",
    visible: (style.outlineStyle !== "none" && style.outlineColor !== "rgba(0, 0, 0, 0)"
              && style.outlineWidth !== "0px") || style.boxShadow !== "none"
  };
}"""


def _tab_to(page: Any, wanted, what: str) -> dict[str, Any]:
    """Press Tab until the focused element satisfies ``wanted``; it must show that it has focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused and wanted(focused):
            assert focused["visible"], f"{what} has the focus but does not show it: {focused}"
            return focused
    pytest.fail(f"{what} was not reached with {MAX_TABS} presses of Tab")


def _label(text: str):
    return lambda f: f["label"].startswith(text)


def _button(text: str):
    return lambda f: f["tag"] in ("button", "input") and f["text"].startswith(text)


def _submit(page: Any, text: str) -> None:
    _tab_to(page, _button(text), f"the “{text}” button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _sign_in_by_keyboard(page: Any, email: str) -> None:
    page.goto("/sign-in")
    _tab_to(page, _label("Email address"), "the email field")
    page.keyboard.type(email)
    _tab_to(page, _label("Password"), "the password field")
    page.keyboard.type(BrowserWorld.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field submits its form
    assert "/sign-in" not in page.url


def _mark_paper(page: Any, kind: BallotKind) -> None:
    if kind is BallotKind.APPROVAL:
        for option in ("Allotments", "Cycle lane"):
            _tab_to(page, _label(option), f"the “{option}” box")
            page.keyboard.press("Space")
    elif kind is BallotKind.RANKED:
        for option, rank in (("Cy", "1"), ("Ada", "2")):
            _tab_to(page, _label(option), f"the rank for “{option}”")
            page.keyboard.type(rank)  # a closed list picks its option by typing, as in any browser
    else:  # a resolution: For / Against / Abstain radios move with the arrow keys
        _tab_to(page, lambda f: f["type"] == "radio", "the choices")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")


@pytest.mark.parametrize("kind", [BallotKind.APPROVAL, BallotKind.RANKED, BallotKind.RESOLUTION])
def test_a_resident_votes_with_the_keyboard_alone(page, browser_world, ballots, kind):  # noqa: F811
    _sign_in_by_keyboard(page, RESIDENT)
    page.goto(f"{browser_world.prefix}/ballots/{ballots[kind]}")
    _mark_paper(page, kind)
    _submit(page, "Continue")
    assert page.get_by_role("heading", name="Check your vote").is_visible(), page.url
    _submit(page, "Cast your vote")
    assert page.get_by_role("heading", name="Your vote has been cast").is_visible()
    assert len(page.locator("#receipt-code").inner_text()) == 19


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, browser_world, ballots):  # noqa: F811
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    first = page.evaluate(_FOCUSED)
    assert first["text"] == "Skip to main content" and first["visible"], first
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main-content"
