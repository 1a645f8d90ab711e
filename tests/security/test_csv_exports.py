"""Every CSV export hands a spreadsheet text, never a formula (ASVS 5.0 1.2.10; 1.3.3).

The exports are found in ``app.url_map``: a CSV download's rule ends in
``.csv`` (the house convention, which ``test_every_csv_answer_comes_from_a_csv_rule``
holds every export to). For each character ASVS 5.0 1.2.10 names ('=', '+',
'-', '@', tab, NUL) and a carriage return, every free-text value of council A
(each column the tenancy world filled with a canary) is made to start with
it, along with the option titles of a counted ballot and a letter run's
mail-merge file made by the letter job's own writer; then each export is
downloaded as someone allowed to, and no cell of it may start with the
character unless it is escaped with a single quote.
"""

from __future__ import annotations

import csv
import io
import secrets
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from tests.fixtures.routes import route_cases
from tests.fixtures.tenancy import canary_prefix, council_tables, superuser_engine

FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\0", "\r")
# Who may download each export, tried in this order (the first that gets a 200 is used).
DOWNLOADERS = ("admin", "officer", "member")
# Exports that are blank templates (a header row only): nothing anyone typed reaches them.
BLANK_TEMPLATES = {
    "council.council_admin.neighbourhood_template",
    "council.residents_admin.register_template",
    "council.residents_admin.postcode_template",
}
PAYLOAD = 'CMD|"/c calc"!A1'
# PostgreSQL text cannot hold a NUL, so only a stored file can carry one into an export.
NUL_CARRIERS = {"council.residents_admin.letter_csv"}


def _csv_rules(application) -> list:
    return [c for c in route_cases(application, ("GET",)) if c.rule.rule.endswith(".csv")]


@pytest.fixture(scope="module")
def superuser(tenancy_world, database_urls) -> Iterator[sa.Engine]:
    engine = superuser_engine(database_urls)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def counted_ballot(probe_app, tenancy_world) -> int:
    """An approval ballot in council A with two papers, whose option titles and keys the tests rewrite."""
    from app.extensions import db
    from app.voting.models import Ballot, BallotKind, BallotOption, BallotPaper, BallotStatus, Channel
    from app.voting.rules import default_method, default_parameters
    from tenants.context import council_context

    a = tenancy_world["A"]
    canary = canary_prefix("A")
    with probe_app.app_context(), council_context(a.id):
        ballot = Ballot(
            title=f"{canary} ballot",
            kind=BallotKind.APPROVAL,
            method=default_method(BallotKind.APPROVAL),
            parameters=default_parameters(BallotKind.APPROVAL),
            electorate={"type": "council_role", "roles": ["resident"]},
            status=BallotStatus.CLOSED,
            tie_break_rule="lexicographic",
        )
        db.session.add(ballot)
        db.session.flush()
        keys = [f"{canary}north", f"{canary}south"]
        db.session.add_all(
            BallotOption(ballot_id=ballot.id, key=key, title=key, position=n) for n, key in enumerate(keys)
        )
        db.session.add_all(
            BallotPaper(
                id=uuid.uuid4(),
                ballot_id=ballot.id,
                content=[key],
                receipt_hash=secrets.token_hex(32),
                channel=Channel.ONLINE,
                cast_on=date(2027, 3, 2),
                rules_version="set when counted",
            )
            for key in keys
        )
        db.session.commit()
        ballot_id = ballot.id
    _count(probe_app, a.id, ballot_id)
    return ballot_id


def _count(application, council_id: int, ballot_id: int) -> None:
    """Freeze the ballot's rules as its options now stand and count it, as closing a ballot does."""
    from sqlalchemy import select

    from app.extensions import db
    from app.voting.counting import run_count
    from app.voting.models import Ballot, BallotOption, BallotPaper
    from app.voting.rules import rules_version
    from tenants.context import council_context

    with application.app_context(), council_context(council_id):
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        options = db.session.scalars(select(BallotOption).where(BallotOption.ballot_id == ballot_id)).all()
        ballot.rules_version = rules_version(ballot, list(options))
        papers = db.session.scalars(select(BallotPaper).where(BallotPaper.ballot_id == ballot_id)).all()
        for paper, option in zip(papers, sorted(options, key=lambda o: o.position), strict=True):
            paper.content = [option.key]  # the rewritten key, so each paper still names its option
            paper.rules_version = ballot.rules_version
        db.session.flush()
        run_count(ballot_id)
        db.session.commit()


def _text_columns(conn) -> list[tuple[str, str]]:
    tables = {t.name for t in council_tables()}
    rows = conn.execute(
        sa.text(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying')"
        )
    )
    return [(t, c) for t, c in rows if t in tables]


def _start_every_canary_with(engine: sa.Engine, council_id: int, character: str) -> None:
    """Make every canary text of the council (and the letter run's file) start with ``character``."""
    from app.letters.letter import Letter
    from app.letters.mailmerge import write_mailmerge_csv

    canary = canary_prefix("A")
    with engine.begin() as conn:
        for table, column in _text_columns(conn):
            with conn.begin_nested() as savepoint:
                try:
                    conn.execute(
                        sa.text(
                            f'UPDATE "{table}" SET "{column}" = :start || substr("{column}", strpos("{column}", :c)) '
                            f'WHERE council_id = :council AND strpos("{column}", :c) > 0'
                        ),
                        {"start": character, "c": canary, "council": council_id},
                    )
                except sa.exc.DBAPIError:  # a CHECK the value breaks: that column cannot hold it anyway
                    savepoint.rollback()
        # The network's downloads name councils: the council's own name, and one figure it publishes.
        if character != "\0":  # PostgreSQL text cannot hold NUL: no council name can start with it
            conn.execute(
                sa.text("UPDATE councils SET name = :start || name WHERE id = :council"),
                {"start": character, "council": council_id},
            )
        conn.execute(
            sa.text(
                "INSERT INTO benchmark_published (publisher_id, metric_code, period_start, visibility, value, "
                "suppressed) VALUES (:council, 'priorities_turnout', date_trunc('month', now())::date, 'public', 42, "
                "false) ON CONFLICT DO NOTHING"
            ),
            {"council": council_id},
        )
        value = f"{character}{PAYLOAD}"
        letter = Letter(value, value, (value,), value, value, value, date(2030, 1, 1))
        out = io.StringIO(newline="")
        write_mailmerge_csv([letter], out)
        conn.execute(
            sa.text("UPDATE letter_runs SET csv = :csv WHERE council_id = :council"),
            {"csv": out.getvalue().encode("utf-8"), "council": council_id},
        )


def _download(sessions, council, case, ballot_id: int):
    value = ballot_id if "ballot_id" in case.id_args else council.row_id
    url = case.url(council.slug, value)
    for role in DOWNLOADERS:
        response = sessions.client(council.users[role]).get(url)
        if response.status_code == 200:
            return url, response
    return url, response


def _cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body, newline="")) for cell in row]


@pytest.mark.parametrize("character", FORMULA_CHARACTERS, ids=repr)
def test_every_csv_export_escapes_cells_that_start_a_formula(
    probe_app, sessions, tenancy_world, superuser, counted_ballot, character
):
    """ASVS 5.0 1.2.10 (L3) and 1.3.3 (L2): a cell starting with a formula character is prefixed with '."""
    a = tenancy_world["A"]
    _start_every_canary_with(superuser, a.id, character)
    _count(probe_app, a.id, counted_ballot)
    cases = _csv_rules(probe_app)
    assert len(cases) >= 7, f"expected the known CSV exports, found {[str(c) for c in cases]}"
    problems = []
    for case in cases:
        url, response = _download(sessions, a, case, counted_ballot)
        if response.status_code != 200 or response.mimetype != "text/csv":
            problems.append(f"{url}: {response.status_code} {response.mimetype}, not a CSV download")
            continue
        cells = _cells(response.get_data(as_text=True))
        bare = [c for c in cells if c.startswith(FORMULA_CHARACTERS)]
        if bare:
            problems.append(f"{url}: cells a spreadsheet would run: {bare[:3]!r}")
        escaped = [c for c in cells if c.startswith("'" + character)]
        reachable = character != "\0" or case.endpoint in NUL_CARRIERS
        if case.endpoint not in BLANK_TEMPLATES and reachable and not escaped:
            problems.append(f"{url}: no seeded value reached this export; seed one here so it is really tested")
        if case.endpoint in BLANK_TEMPLATES and len(response.get_data(as_text=True).splitlines()) != 1:
            problems.append(f"{url}: a blank template now carries data; take it out of BLANK_TEMPLATES")
    assert not problems, "\n".join(problems)


def test_every_csv_answer_comes_from_a_csv_rule(probe_app):
    """ASVS 5.0 1.2.10: the walk above finds every export, because CSV downloads live behind ``.csv`` rules.

    A view module whose source writes ``text/csv`` but serves no rule ending
    ``.csv`` would be an export the walk misses: name its rule ``….csv``.
    """
    import inspect

    csv_rules = {c.endpoint for c in _csv_rules(probe_app)}
    modules = {inspect.getmodule(inspect.unwrap(v)) for e, v in probe_app.view_functions.items() if e in csv_rules}
    writers = []
    for endpoint, view in probe_app.view_functions.items():
        module = inspect.getmodule(inspect.unwrap(view))
        if module is None or module in modules:
            continue
        if "text/csv" in inspect.getsource(module):
            writers.append(f"{endpoint} ({module.__name__})")
    assert not writers, f"modules that write text/csv behind rules not ending .csv: {writers}"
