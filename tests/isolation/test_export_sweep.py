"""Issue 9: every JSON API answer and every download, as every kind of person of council A, against council B.

Council B holds canaries in every text field (``tenancy_world``) and
benchmarking figures of every kind (``benchmark_world``): public, shared with
the network only, private, under embargo, suppressed by disclosure control,
and counts that must only ever be shown rounded. The downloads are found, not
listed (``downloads``): every rule that names a file or lives under /api/,
every view that writes an attachment or a non-HTML type, every GET answer that
is not a page; every page of the benchmarking module is swept with them, as
those show other councils' figures. Each is requested as each person, with
every metric code, every council slug (A's, B's, one that does not exist),
every period B published (downloads and API), A's own ids, B's ids under
A's prefix, and under B's own prefix, and for each answer:

- never a 5xx, never a stack trace;
- none of B's canaries or markers in the body (PDFs read as text) or headers;
- none of B's secret figures in any written form ("61.2345", "61.2%", "4,321");
- B's network-only figures only to officers of member councils (and platform
  administrators);
- every figure of B in a JSON or CSV answer is exactly the published one, and
  B's private and embargoed metrics are not even named;
- B's rows unchanged after every unsafe request (GETs: test_safe_methods);
- a text answer names its charset, a JSON answer parses (ASVS 5.0 4.1.1).

Platform administrators may see every council: under B's prefix only the
status is checked for them. Each person's sweep must have met every figure
of B they may see, so a sweep that reaches nothing fails.
"""

from __future__ import annotations

import contextlib
import csv
import html
import inspect
import io
import itertools
import json
import math
import re
from dataclasses import dataclass, field

import pytest

from app.auth.models import Role
from tests.fixtures.routes import (
    COUNCIL_SLUG_ARGS,
    NAMED_ARG_VALUES,
    UNSAFE_METHODS,
    RouteCase,
    is_download_rule,
    route_cases,
)
from tests.fixtures.sessions import send
from tests.fixtures.tenancy import MISSING_ID, BenchmarkFigures, SeededCouncil, World, add_person
from tests.isolation.test_form_sweep import _own_value
from tests.isolation.test_route_sweep import report

ROLES = ("anonymous", "resident", "member", "officer", "module_officer", "admin", "platform_admin")
# Who sees figures shared with the network: officers of member councils, and platform administrators.
NETWORK_READERS = frozenset({"officer", "module_officer", "admin", "platform_admin"})
MISSING_SLUG = "no-such-council"
TRACEBACK = "Traceback (most recent call last)"
# Exports that hold a council's public data, so anyone may download B's from B's prefix: none yet.
PUBLIC_COUNCIL_EXPORTS: dict[str, str] = {}
# What a view's own source says when it answers with something other than a page.
ATTACHMENT = re.compile(r"Content-Disposition|attachment|send_file|mimetype=|content_type=")
BENCHMARKING_VIEWS = "app.modules.benchmarking."


def _user(world: World, role: str) -> int | None:
    if role == "anonymous":
        return None
    if role == "platform_admin":
        return world.platform_admin_id
    return world["A"].users[role]


def _view_module(application, endpoint: str) -> str:
    view = inspect.unwrap(application.view_functions[endpoint])
    return getattr(inspect.getmodule(view), "__name__", "")


def _writes_attachment(application, endpoint: str) -> bool:
    view = inspect.unwrap(application.view_functions[endpoint])
    try:
        return ATTACHMENT.search(inspect.getsource(view)) is not None
    except (OSError, TypeError):
        return False


@pytest.fixture(scope="module")
def people(tenancy_world, database_urls) -> World:
    """The tenancy world, with an officer of A allowed no module (officers' access is per module)."""
    add_person(database_urls, tenancy_world["A"], "module_officer", Role.OFFICER, [])
    return tenancy_world


@pytest.fixture(scope="module")
def swept_cases(sessions, people, benchmark_world) -> list[RouteCase]:
    """Every download and API route (by its rule, its view's source, or its answer), and the benchmarking pages."""
    application = sessions.app
    a = people["A"]
    found: dict[tuple[str, str], RouteCase] = {}
    for case in route_cases(application):
        if case.method not in ("GET", "POST"):
            continue
        named = is_download_rule(case.rule) or _writes_attachment(application, case.endpoint)
        figures = case.method == "GET" and _view_module(application, case.endpoint).startswith(BENCHMARKING_VIEWS)
        if named or figures:
            found[(case.endpoint, case.method)] = case
    # Anything else that answers a GET with something other than a page (A's own ids, so it renders).
    for case in route_cases(application, ("GET",)):
        if (case.endpoint, "GET") in found:
            continue
        for role in ("admin", "member"):
            if case.is_council:
                values = _id_values(case, a)
            else:
                values = {n: a.slug if n in COUNCIL_SLUG_ARGS else str(a.row_id) for n in case.id_args}
            url = case.url_with(a.slug if case.is_council else None, _named_first(case) | values)
            answer = send(sessions.client(a.users[role]), "GET", url)
            if answer.status_code == 200 and answer.mimetype != "text/html":
                found[(case.endpoint, "GET")] = case
                break
    return sorted(found.values(), key=lambda c: (c.rule.rule, c.method))


def _named_first(case: RouteCase) -> dict[str, object]:
    return {name: NAMED_ARG_VALUES[name]()[0] for name in case.args if name in NAMED_ARG_VALUES}


def _id_values(case: RouteCase, owner: SeededCouncil) -> dict[str, object]:
    """Every id argument set to ``owner``'s id (A's own, or B's), as the form sweep chooses it."""
    return dict.fromkeys(case.id_args, _own_value(case, owner)) if case.id_args else {}


@dataclass(frozen=True)
class Target:
    case: RouteCase
    url: str
    where: str  # "A" (A's own), "B ids under A", "B" (B's prefix), "network" (outside any council)


def _global_targets(case: RouteCase, world: World, figures: BenchmarkFigures) -> list[Target]:
    from app.modules.benchmarking.catalogue import METRICS
    from app.modules.benchmarking.periods import label

    choices: dict[str, list[object]] = {}
    for name in case.args:
        if name in NAMED_ARG_VALUES:
            choices[name] = list(NAMED_ARG_VALUES[name]())
        elif name in COUNCIL_SLUG_ARGS:
            choices[name] = [world["A"].slug, world["B"].slug, MISSING_SLUG]
        else:
            choices[name] = [str(world["B"].row_id), str(MISSING_ID)]
    targets = []
    for combination in itertools.product(*choices.values()):
        values = dict(zip(choices, combination, strict=True))
        url = case.url_with(None, values)
        code = values.get("code")
        targets.append(Target(case, url, "network"))
        if code in METRICS and "slug" not in values and is_download_rule(case.rule):
            # Every period B published (monthly and quarterly labels), not only the latest one.
            for period in figures.periods():
                targets.append(Target(case, f"{url}?period={label(period, METRICS[code].frequency)}", "network"))
    return targets


def _council_targets(case: RouteCase, world: World) -> list[Target]:
    a, b = world["A"], world["B"]
    named = _named_first(case)
    targets = [Target(case, case.url_with(a.slug, named | _id_values(case, a)), "A")]
    if case.id_args:
        targets.append(Target(case, case.url_with(a.slug, named | _id_values(case, b)), "B ids under A"))
    targets.append(Target(case, case.url_with(b.slug, named | _id_values(case, b)), "B"))
    return targets


def targets_for(cases: list[RouteCase], world: World, figures: BenchmarkFigures) -> list[Target]:
    out: list[Target] = []
    for case in cases:
        out.extend(_council_targets(case, world) if case.is_council else _global_targets(case, world, figures))
    return out


# ---------------------------------------------------------------------------
# Reading answers


def pdf_text(body: bytes) -> str | None:
    """The text of a PDF's pages (its streams are compressed, so the raw bytes hide it); None if unreadable."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    except (PdfReadError, ValueError, KeyError):
        return None


def readable(response) -> str:
    """Everything a person could read in an answer: its text, a PDF's text, JSON and HTML unescaped."""
    body = response.get_data()
    parts = [body.decode("utf-8", "replace")]
    if response.mimetype == "application/pdf":
        parts.append(pdf_text(body) or "")
    elif response.mimetype == "application/json" or response.mimetype.endswith("+json"):
        with contextlib.suppress(ValueError):
            parts.append(json.dumps(json.loads(body), ensure_ascii=False))
    elif response.mimetype == "text/html":
        parts.append(html.unescape(parts[0]))
    return "\n".join(parts)


def written_forms(code: str, value: float) -> set[str]:
    """Every way the app writes ``value`` of metric ``code``: "61.2345", "61.2%", "61.2", "4,321", "4321.0"."""
    from app.modules.benchmarking.catalogue import METRICS
    from app.modules.benchmarking.format import number, plain

    forms = {repr(plain(float(value))), number(METRICS[code], float(value)), f"{value:,.2f}"}
    if float(value).is_integer():
        forms |= {str(int(value)), f"{value:,.0f}"}
    if value >= 10:
        forms.add(f"{value:.1f}")
    return forms


def figure_pattern(values: dict[str, tuple[float, ...]]) -> re.Pattern[str] | None:
    forms = sorted({form for code, vs in values.items() for v in vs for form in written_forms(code, v)}, key=len)
    if not forms:
        return None
    # Not part of a longer number or word: "4321" must not match "14321" or "4321a".
    return re.compile(r"(?<![\w.,])(?:" + "|".join(re.escape(f) for f in reversed(forms)) + r")(?![\d,])")


@dataclass
class Expectations:
    """What one person may see of council B's benchmarking figures."""

    visible: dict[str, float | None]  # metric code -> the published value (None: suppressed)
    forbidden: re.Pattern[str] | None  # every written form of what they may not see
    slug: str
    name: str
    seen: set[str] = field(default_factory=set)  # B's metrics met in a JSON or CSV answer

    def check_value(self, code: str, value: object, where: str) -> list[str]:
        if code not in self.visible:
            return [f"{where}: names council B's metric {code}, which this person may not see"]
        self.seen.add(code)
        expected = self.visible[code]
        if expected is None:
            return [] if value in (None, "") else [f"{where}: B's {code} is suppressed, yet shows {value!r}"]
        try:
            same = value not in (None, "") and math.isclose(float(value), expected, abs_tol=1e-4)
        except (TypeError, ValueError):
            same = False
        return [] if same else [f"{where}: B's {code} shows {value!r}, published {expected!r}"]


def _json_claims(document: object, expect: Expectations, where: str) -> list[str]:
    """B's figures as a benchmarking JSON answer states them, checked against what was published."""
    if not isinstance(document, dict):
        return []
    problems = []
    council = document.get("council")
    metric = document.get("metric")
    code = metric.get("code") if isinstance(metric, dict) else None
    if isinstance(council, dict) and council.get("slug") == expect.slug:
        if "metrics" in document:
            listed = set(document["metrics"])
            if listed != set(expect.visible):
                problems.append(f"{where}: lists B's metrics {sorted(listed)}, expected {sorted(expect.visible)}")
            expect.seen.update(listed & set(expect.visible))
        for figure in document.get("figures", []) if code else []:
            problems += expect.check_value(code, figure.get("value"), where)
    elif code:
        for figure in document.get("figures", []):
            if isinstance(figure, dict) and (figure.get("council") or {}).get("slug") == expect.slug:
                problems += expect.check_value(code, figure.get("value"), where)
    return problems


def _csv_claims(text: str, expect: Expectations, where: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if not rows or not {"council", "metric", "value"} <= set(rows[0]):
        return []
    problems = []
    for row in rows:
        if row["council"].lstrip("'") == expect.name:
            problems += expect.check_value(row["metric"], row["value"], where)
    return problems


# ---------------------------------------------------------------------------
# The sweep


@dataclass
class ExportSweep:
    sessions: object
    world: World
    role: str
    expect: Expectations
    snapshot: object
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    pdfs: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.user_id = _user(self.world, self.role)
        self.victim = self.world["B"]
        self.baseline = self.snapshot.owned_by(self.victim)

    def request(self, target: Target) -> None:
        case = target.case
        if target.where == "B" and self.role == "platform_admin" and case.method in UNSAFE_METHODS:
            return  # they may act in every council: that would change B, as B's own staff may
        response = send(self.sessions.client(self.user_id), case.method, target.url)
        self.requests += 1
        if case.method != "GET":
            self.sessions.forget(self.user_id)
        where = f"{self.role}: {case.method} {target.url} [{case.endpoint}] -> {response.status_code}"
        text = readable(response)
        if response.status_code >= 500 or TRACEBACK in text:
            self.failures.append(f"{where}: server error or stack trace")
        if case.method in UNSAFE_METHODS:
            after = self.snapshot.owned_by(self.victim)
            if after != self.baseline:
                self.failures.append(f"{where}: changed council B's rows")
                self.baseline = after
        if target.where == "B" and self.role == "platform_admin":
            return  # they may see every council's own pages and files
        if target.where == "B" and case.endpoint in PUBLIC_COUNCIL_EXPORTS:
            return
        if response.mimetype == "application/pdf" and response.status_code == 200:
            self.pdfs.append(response.get_data())
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items() if k.lower() != "content-length")
        leaks = self.victim.leaks_in(text) + self.victim.leaks_in(headers)
        if leaks:
            self.failures.append(f"{where}: shows council B's data {sorted(set(leaks))[:3]}")
        if self.expect.forbidden is not None:
            found = self.expect.forbidden.search(text) or self.expect.forbidden.search(headers)
            if found:
                start = max(found.start() - 60, 0)
                context = text[start : found.end() + 20].replace("\n", " ")
                self.failures.append(f"{where}: shows B's figure {found.group(0)!r} it may not see: …{context}…")
        if response.status_code == 200:
            if response.mimetype.startswith("text/") and "charset=" not in response.content_type:
                self.failures.append(f"{where}: {response.content_type} without a charset")  # ASVS 5.0 4.1.1
            if response.mimetype == "application/json":
                try:
                    document = json.loads(response.get_data())
                except ValueError:
                    self.failures.append(f"{where}: not JSON")
                else:
                    self.failures.extend(_json_claims(document, self.expect, where))
            elif response.mimetype == "text/csv":
                self.failures.extend(_csv_claims(response.get_data(as_text=True), self.expect, where))


def expectations(app, role: str, world: World, figures: BenchmarkFigures) -> Expectations:
    network = role in NETWORK_READERS
    forbidden = dict(figures.secret)
    if not network:
        forbidden |= {code: (v,) for code, v in figures.network.items() if v is not None}
    with app.test_request_context():
        pattern = figure_pattern(forbidden)
    return Expectations(figures.visible(network), pattern, world["B"].slug, world["B"].name)


def test_the_sweep_finds_every_kind_of_download(sessions, swept_cases):
    """The walk finds the known downloads; a new one is found the same way (by rule, view or answer)."""
    endpoints = {c.endpoint for c in swept_cases}
    for known in (
        "benchmarking_api.openapi",
        "benchmarking_api.council_metric",
        "benchmarking.metric_csv",
        "benchmarking.metric_json",
        "council.voting_results.ballots_blt",
        "council.voting_results.ballots_pb",
        "council.voting_results.result_json",
        "council.voting.receipt_list",
        "council.governance.register_pdf",
        "council.housing.photo",
        "council.privacy.download",
        "web.healthz",
    ):
        assert known in endpoints, f"{known} is not swept; found {sorted(endpoints)}"


@pytest.mark.parametrize("role", ROLES)
def test_no_download_or_api_answer_shows_council_b_to_council_a(
    probe_app, sessions, people, benchmark_world, snapshot, swept_cases, role
):
    expect = expectations(probe_app, role, people, benchmark_world)
    sweep = ExportSweep(sessions, people, role, expect, snapshot)
    for target in targets_for(swept_cases, people, benchmark_world):
        sweep.request(target)
    assert sweep.requests > 0
    assert not sweep.failures, report(sweep.failures)
    # The sweep met every figure of B this person may see: it reached B's data, so its silence means something.
    missing = set(expect.visible) - expect.seen
    assert not missing, f"{role}: the sweep never met B's published {sorted(missing)}"
    copies = snapshot.copies_of(people["B"])
    assert not copies, "council B's data was copied out of B:\n" + "\n".join(copies)


def test_pdf_downloads_are_read_as_text(probe_app, sessions, people, benchmark_world, snapshot, swept_cases):
    """Self-test: the sweep reads PDFs, so a canary inside one would be seen (A's own PDFs hold A's)."""
    a = people["A"]
    expect = expectations(probe_app, "admin", people, benchmark_world)
    sweep = ExportSweep(sessions, people, "admin", expect, snapshot)
    for target in targets_for([c for c in swept_cases if c.rule.rule.endswith(".pdf")], people, benchmark_world):
        if target.where == "A":
            sweep.request(target)
    texts = [pdf_text(body) for body in sweep.pdfs]
    readable_texts = [t for t in texts if t is not None]
    assert len(readable_texts) >= 3, f"only {len(readable_texts)} of {len(texts)} PDF downloads could be read"
    assert any(a.canary.lower() in t.lower() for t in readable_texts), "no PDF's text shows council A's canaries"


def test_the_sweep_catches_network_figures_shown_to_anyone(
    probe_app, sessions, people, benchmark_world, snapshot, swept_cases, monkeypatch
):
    """Self-test: if the API forgot who may see network figures, the sweep would say so."""
    from app.modules.benchmarking import queries

    monkeypatch.setattr(queries, "reader_levels", lambda: queries.NETWORK)
    expect = expectations(probe_app, "anonymous", people, benchmark_world)
    sweep = ExportSweep(sessions, people, "anonymous", expect, snapshot)
    api = [c for c in swept_cases if c.rule.rule.startswith("/api/")]
    for target in targets_for(api, people, benchmark_world):
        sweep.request(target)
    text = "\n".join(sweep.failures)
    assert "shows B's figure '44.5678'" in text  # the network-only repairs figure, written out
    assert "names council B's metric housing_repairs_within_target" in text
