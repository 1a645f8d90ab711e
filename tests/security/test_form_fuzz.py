"""Issue 9: every form, fuzzed with hypothesis — never a 5xx, never a stack trace, a refusal writes nothing.

The forms are found, not listed: every page of every GET route of council A
(with A's own ids) is fetched as A's administrator, and each POST form on it
that posts back to its own route is fuzzed. Hypothesis draws each field from
values that have broken web apps (huge and empty strings, NUL and control
characters, formula and markup injections, numbers past bigint, malformed
dates, unknown choices), a few examples per form, derandomised so every run
sends the same requests. For each submission:

- the status is below 500 and the body holds no traceback;
- an answer of 400 to 499 left council A's rows exactly as they were
  (row hashes per table, read as the superuser), so a refusal is never half
  a write. Audit entries are left out: refused attempts are audited on purpose.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.routes import UNSAFE_METHODS, route_cases
from tests.fixtures.sessions import send
from tests.fixtures.tenancy import changed_tables
from tests.isolation.test_form_sweep import _Forms, _own_value

EXAMPLES_PER_FORM = 6
NOT_COMPARED = {"audit_events"}

NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "x" * 100_000,
        '=HYPERLINK("http://evil.example","x")',
        "+1+1",
        "@SUM(1)",
        "<script>alert(1)</script>",
        "'; DROP TABLE users; --",
        "\x00",
        "line\r\nInjected-Header: yes",
        "\u202eevil",
        "ﬀ𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🐍",
        "%s%n%x",
        "../../etc/passwd",
    ]
)
NASTY_NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "-1", "0", "1.5", "1e309", "NaN", "١٢", "9" * 40, "0x10", " 7 "]),
)


def _value_for(name: str, kind: str, original: str) -> st.SearchStrategy[str]:
    if kind in ("number", "range") or name.endswith(("-day", "-month", "-year")) or "pence" in name:
        return NASTY_NUMBER
    if kind in ("select", "radio", "checkbox", "hidden"):
        return st.one_of(st.just(original), NASTY_TEXT, NASTY_NUMBER)
    return st.one_of(st.text(max_size=40), NASTY_TEXT)


def _form_strategy(fields: list[tuple[str, str, str]]) -> st.SearchStrategy[dict[str, str]]:
    strategies: dict[str, st.SearchStrategy[str]] = {}
    for name, kind, value in fields:
        if name == "csrf_token" or kind in ("submit", "button", "file"):
            continue
        strategies.setdefault(name, _value_for(name, kind, value))
    return st.fixed_dictionaries(strategies)


def _forms(sessions, council) -> list[tuple[Any, str, list[tuple[str, str, str]]]]:
    """(route case, url, fields) of every POST form of A's pages that posts back to its own page."""
    found = []
    client = sessions.client(council.users["admin"])
    for case in route_cases(sessions.app, UNSAFE_METHODS):
        if not case.is_council or "GET" not in (case.rule.methods or ()):
            continue
        url = case.url(council.slug, _own_value(case, council) if case.id_args else None)
        page = send(client, "GET", url)
        if page.status_code != 200 or "text/html" not in page.content_type:
            continue
        parser = _Forms()
        parser.feed(page.get_data(as_text=True))
        found.extend(
            (case, url, form["fields"]) for form in parser.forms if (form["action"] or url).split("?")[0] == url
        )
    return found


def _fuzz(client, url: str, fields, council, snapshot, failures: list[str]) -> None:
    """Submit ``EXAMPLES_PER_FORM`` fuzzed versions of one form, noting every problem in ``failures``."""

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=_form_strategy(fields))
    def submit(data: dict[str, str]) -> None:
        before = snapshot.owned_by(council)
        response = send(client, "POST", url, data)
        body = response.get_data(as_text=True)
        if response.status_code >= 500 or "Traceback (most recent call last)" in body:
            sent = {name: value[:40] for name, value in data.items()}
            failures.append(f"{url}: {response.status_code} for {sent}")
            return
        if 400 <= response.status_code < 500:
            changed = [t for t in changed_tables(before, snapshot.owned_by(council)) if t not in NOT_COMPARED]
            if changed:
                failures.append(f"{url}: {response.status_code} yet changed {changed}")

    submit()


def test_every_form_survives_fuzzing(sessions, tenancy_world, snapshot):
    a = tenancy_world["A"]
    forms = _forms(sessions, a)
    assert len(forms) >= 10, f"only {len(forms)} forms found"
    failures: list[str] = []
    client = sessions.client(a.users["admin"])
    for _case, url, fields in forms:
        _fuzz(client, url, fields, a, snapshot, failures)
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(sorted(set(failures))[:40])
