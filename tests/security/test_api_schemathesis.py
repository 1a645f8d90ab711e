"""Issue 9: schemathesis against the benchmarking API's own OpenAPI document, in-process (WSGI, no network).

The document is loaded from the app (``/api/benchmarking/openapi.json``) and
must be valid OpenAPI 3. For every operation it describes, schemathesis
generates requests that fit it (positive) and requests that do not (negative),
and sends them to the app through Flask's test client, as an anonymous
visitor and as a signed-in officer of a member council, over published data
of every kind (``benchmark_world``: public, network-only, private, embargoed
and suppressed figures). Generated slugs and periods rarely name real ones,
so each operation is also run with the real councils' slugs and the
published periods fixed. Every answer must pass every schemathesis check (no
5xx; status code, content type, headers and body exactly as documented;
invalid input refused with a 4xx) and ours:

- no stack trace in the body;
- nothing written: a fingerprint of every row of every table, read as the
  superuser, is the same after each request as before.

Bounded: ``EXAMPLES`` per operation, variant, mode and person, derandomised
(the same requests on every run, so CI is reproducible), no example database.
What B's figures may be shown to whom is tests/isolation/test_export_sweep.py.
"""

from __future__ import annotations

import copy

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from tests.fixtures.sessions import SessionCache
from tests.fixtures.tenancy import changed_tables

DOCUMENT = "/api/benchmarking/openapi.json"
EXAMPLES = 12
TRACEBACK = "Traceback (most recent call last)"
PEOPLE = ("anonymous", "officer")
# Sessions are bound to the User-Agent: the officer's is minted with the one every call sends.
USER_AGENT = "rochdale-tests-schemathesis"
HEADERS = {"User-Agent": USER_AGENT}
OPERATIONS = {"/metrics", "/metrics/{code}", "/councils/{slug}", "/councils/{slug}/metrics/{code}"}


@pytest.fixture(scope="module")
def api_schema(probe_app, benchmark_world):
    """The API's OpenAPI document, loaded from the app itself and bound to it."""
    return schemathesis.openapi.from_wsgi(DOCUMENT, probe_app)


@pytest.fixture(scope="module")
def api_sessions(probe_app) -> SessionCache:
    return SessionCache(probe_app, user_agent=USER_AGENT)


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def _variants(operation, world, figures, mode) -> list[dict]:
    """Fixed parts of the request, besides what schemathesis generates: the real slugs, the published periods.

    A negative run needs a parameter left to get wrong, so it never fixes them all.
    """
    from app.modules.benchmarking.catalogue import Frequency
    from app.modules.benchmarking.periods import label

    names = {p.name for p in operation.iter_parameters()}
    variants: list[dict] = [{}]
    if "slug" in names:
        variants += [{"path_parameters": {"slug": world[c].slug}} for c in ("A", "B")]
    if "period" in names:
        for period in figures.periods():
            variants += [{"query": {"period": label(period, f)}} for f in Frequency]
    if mode.is_negative:
        fixed = lambda v: {n for part in v.values() for n in part}  # noqa: E731
        variants = [v for v in variants if names - fixed(v)]
    return variants


def _run(operation, mode, fixed: dict, client_for, snapshot) -> None:
    """``EXAMPLES`` generated requests to ``operation``; raises on the first that fails a check."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    def run(case) -> None:
        before = snapshot.everything()
        response = case.call_and_validate(session=client_for(), headers=HEADERS)
        assert TRACEBACK not in response.text, f"a stack trace in the answer to {case.formatted_path}"
        changed = changed_tables(before, snapshot.everything())
        assert not changed, f"{case.method} {case.formatted_path} changed {changed}"

    run()


def test_the_document_is_valid_openapi_3(api_schema):
    """schemathesis validates the document against the OpenAPI meta-schema of its version."""
    assert api_schema.raw_schema["openapi"].startswith("3.")
    api_schema.validate()
    assert {op.path for op in _operations(api_schema)} == OPERATIONS


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("person", PEOPLE)
def test_every_operation_holds_to_its_document(
    api_schema, api_sessions, tenancy_world, benchmark_world, snapshot, person, mode
):
    user_id = None if person == "anonymous" else tenancy_world["A"].users["officer"]
    failures: list[str] = []
    runs = 0
    for operation in _operations(api_schema):
        # (A negative run of the catalogue, which takes no parameter, has nothing to get wrong: no variant.)
        for fixed in _variants(operation, tenancy_world, benchmark_world, mode):
            runs += 1
            try:
                _run(operation, mode, fixed, lambda: api_sessions.client(user_id), snapshot)
            except Exception as exc:  # collect, so that one run reports every operation
                failures.append(f"{operation.label} {fixed or ''}: {exc}")
    assert runs >= 4
    assert not failures, "\n\n".join(failures)


def test_an_officer_is_signed_in_through_the_transport(api_schema, api_sessions, tenancy_world):
    """Self-test: the officer's session reaches the app through schemathesis (network figures are listed)."""
    operation = api_schema["/councils/{slug}"]["GET"]
    case = operation.Case(path_parameters={"slug": tenancy_world["B"].slug})
    officer = tenancy_world["A"].users["officer"]
    as_anonymous = case.call(session=api_sessions.client(None), headers=HEADERS).json()["metrics"]
    as_officer = case.call(session=api_sessions.client(officer), headers=HEADERS).json()["metrics"]
    assert "housing_repairs_within_target" in as_officer and "housing_repairs_within_target" not in as_anonymous


def test_a_wrong_document_is_caught(probe_app, api_schema, api_sessions, tenancy_world):
    """Self-test: a document that misdescribes an answer fails the run (the checks read every body)."""
    wrong = copy.deepcopy(api_schema.raw_schema)
    wrong["components"]["schemas"]["Council"]["properties"]["population"] = {"type": "string"}
    schema = schemathesis.openapi.from_dict(wrong)
    schema.app = probe_app
    operation = schema["/councils/{slug}"]["GET"]
    case = operation.Case(path_parameters={"slug": tenancy_world["B"].slug})
    with pytest.raises(FailureGroup) as caught:
        case.call_and_validate(session=api_sessions.client(None), headers=HEADERS)
    assert [str(e).splitlines()[0] for e in caught.value.exceptions] == ["Response violates schema"]
