"""Nobody can tell from the answers which email addresses have accounts (ASVS 5.0 6.3.8).

ASVS 5.0 puts 6.3.8 at level 3; Rochdale meets it anyway because residents'
and officers' addresses are personal data. Every form that takes an address
from someone not signed in is checked: signing in and asking for a password
reset answer a known and an unknown address with the same status, the same
page (once the address itself and the per-response tokens are set aside) and
in about the same time. There is no open registration: an account is made
only from an emailed invitation, whose form takes no address at all.
"""

from __future__ import annotations

import re
import statistics
import time

import pytest

from tests.fixtures.routes import GLOBAL_ROUTES, Access
from tests.security.browsing import email_of, form_token, post_form

VOLATILE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+|(nonce=")[^"]+|(nonce-)[^\']+')
# (path, form fields other than the address, the status every answer gets)
JOURNEYS = {
    "sign-in": ("/sign-in", {"password": "not the right password"}, 400),
    "forgot-password": ("/password/forgot", {}, 200),
}
SAMPLES = 7
# Medians may differ by at most this share of the larger one (a shared CI machine is noisy).
TOLERANCE = 0.25


def _addresses(probe_app, tenancy_world) -> tuple[str, str]:
    """A real address and an unknown one of the same length (so Content-Length compares too)."""
    known = email_of(probe_app, tenancy_world["A"].users["officer"])
    local, domain = known.split("@")
    return known, f"{'x' * len(local)}@{domain}"


def _normalised(response, email: str) -> tuple:
    body = VOLATILE.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) + "VALUE", response.get_data(as_text=True))
    headers = sorted((k, v) for k, v in response.headers.items() if k not in ("Set-Cookie", "Content-Security-Policy"))
    return response.status_code, body.replace(email, "EMAIL"), headers


@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_known_and_unknown_addresses_get_the_same_answer(probe_app, tenancy_world, journey):
    """ASVS 5.0 6.3.8: same status, page and headers for an address with an account and one without."""
    path, fields, status = JOURNEYS[journey]
    known, unknown = _addresses(probe_app, tenancy_world)
    answers = []
    for email in (known, unknown):
        client = probe_app.test_client()
        response = post_form(client, path, {"email": email, **fields})
        assert response.status_code == status, (email, response.status_code)
        answers.append(_normalised(response, email))
    assert answers[0] == answers[1]


@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_known_and_unknown_addresses_take_about_as_long(probe_app, tenancy_world, journey):
    """ASVS 5.0 6.3.8: median response times for a known and an unknown address are within 25%."""
    path, fields, status = JOURNEYS[journey]
    known, unknown = _addresses(probe_app, tenancy_world)
    client = probe_app.test_client()
    token = form_token(client, path)
    times: dict[str, list[float]] = {known: [], unknown: []}
    for _ in range(SAMPLES):
        for email in (known, unknown):
            started = time.perf_counter()
            response = post_form(client, path, {"email": email, **fields}, token=token)
            times[email].append(time.perf_counter() - started)
            assert response.status_code == status
    medians = [statistics.median(times[known]), statistics.median(times[unknown])]
    assert abs(medians[0] - medians[1]) / max(medians) < TOLERANCE, medians


def test_no_other_public_form_takes_an_address(probe_app):
    """ASVS 5.0 6.3.8: the journeys above are every public page that could be asked about an address.

    Global pages open to anyone are classified in tests/fixtures/routes.py; the
    only ones taking POSTs besides the two above are the language switch,
    the reset form behind an emailed token, and Stripe's webhook (signed by
    Stripe, answering nothing about anyone).
    """
    public_posts = {
        rule.rule
        for rule in probe_app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and GLOBAL_ROUTES.get(rule.endpoint, (None,))[0] is Access.PUBLIC
    }
    expected = {"/sign-in", "/password/forgot", "/password/reset/<token>", "/language", "/billing/stripe/webhook"}
    assert public_posts == expected, public_posts


def test_registration_is_by_invitation_and_asks_for_no_address(probe_app, tenancy_world):
    """ASVS 5.0 6.3.8: an account is made only from an invitation, for the address it was sent to.

    The new-account form has no email field, so it cannot be used to ask whether an address is taken.
    """
    a = tenancy_world["A"]
    client = probe_app.test_client()
    pages = [client.get(f"{a.prefix}/invitations/{token}") for token in a.tokens]
    forms = [
        p.get_data(as_text=True)
        for p in pages
        if p.status_code == 200 and 'name="password"' in p.get_data(as_text=True)
    ]
    assert forms, "the seeded invitation's new-account form was not found"
    for html in forms:
        assert not re.search(r'<input[^>]*name="email"', html), "the new-account form asks for an address"
