"""One person, one vote under concurrency (T-2.1), through a real HTTP server, with receipts (T-2.5).

A real server (gunicorn, two worker processes of 25 threads) serves the app
on loopback; 100 signed-in voters each send 10 votes at
once from a pool of 50 client threads. Every request's outcome is asserted:
exactly one vote per voter is accepted (200 with a receipt code), the other
nine are refused with 409, nothing answers 5xx, and the database holds
exactly 100 participation rows and 100 papers whose receipt hashes are the
accepted receipts. Every wait is bounded.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.auth.models import Role
from app.extensions import db
from app.voting import receipts
from app.voting.models import BallotKind, BallotPaper, Participation
from tenants.context import council_context
from tests.fixtures.factories import new_person
from tests.fixtures.sessions import session_client
from tests.voting.app.conftest import build_ballot

pytestmark = pytest.mark.slow

VOTERS = 100
TRIES = 10
CLIENT_THREADS = 50
REQUEST_TIMEOUT = 30  # seconds, per request
TOTAL_TIMEOUT = 120  # seconds, for all of them
RECEIPT = re.compile(r'id="receipt-code">([0-9A-Z-]{19})<')


@pytest.fixture(scope="module")
def server_app(app: Flask, app_config: dict[str, object]) -> Iterator[Flask]:
    """The app as the server runs it (plain HTTP), in this process only to sign the voters' sessions."""
    from app import create_app

    application = create_app(
        {**app_config, "SERVER_NAME": None, "INSECURE_COOKIES": True, "PREFERRED_URL_SCHEME": "http"}
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(
    server_app: Flask, app_config: dict[str, object], database_urls: dict[str, str], tmp_path_factory
) -> Iterator[tuple[str, int]]:
    """Gunicorn in its own processes (2 workers x 25 threads), on the test database, over loopback.

    Separate processes, so the server is not sharing this process's interpreter
    lock with the 50 client threads, and requests really run side by side.
    """
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_urls["app"],
        "DATABASE_OWNER_URL": database_urls["owner"],
        "REDIS_URL": str(app_config["REDIS_URL"]),
        "SECRET_KEY": str(server_app.config["SECRET_KEY"]),
        "ROCHDALE_INSECURE_COOKIES": "true",
        "RATELIMIT_ENABLED": "false",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--worker-class",
        "gthread",
        "--threads",
        "25",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "app:create_app()",
    ]
    with open(log, "wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"gunicorn exited: {log.read_text()[-2000:]}"
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/accessibility")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            finally:
                connection.close()
            assert time.monotonic() < deadline, f"gunicorn did not start: {log.read_text()[-2000:]}"
            time.sleep(0.2)
        yield ("127.0.0.1", port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    errors = [line for line in log.read_text().splitlines() if "Traceback" in line or "[ERROR]" in line]
    assert not errors, log.read_text()[-4000:]


@dataclass(frozen=True)
class Voter:
    index: int
    user_id: int
    cookie: str
    csrf: str
    user_agent: str


@dataclass(frozen=True)
class Outcome:
    voter: int
    attempt: int
    status: int
    receipt: str | None
    already_voted: bool
    fields: tuple[tuple[str, str], ...]


def _voters(server_app: Flask, council, grant_role, committed_db) -> list[Voter]:
    people = [new_person(f"Voter {i}") for i in range(VOTERS)]
    for person in people:
        grant_role(person, council, Role.RESIDENT)
    committed_db.session.commit()
    name = server_app.config["SESSION_COOKIE_NAME"]
    voters = []
    for index, person in enumerate(people):
        client = session_client(server_app, person.id)
        cookie = client.get_cookie(name, domain="localhost")
        assert cookie is not None
        voters.append(Voter(index, person.id, cookie.value, client.csrf_token, client.environ_base["HTTP_USER_AGENT"]))
    return voters


def _send(address: tuple[str, int], path: str, voter: Voter, fields: list[tuple[str, str]]) -> tuple[int, str]:
    body = urlencode([("csrf_token", voter.csrf), *fields, ("confirm", "yes")])
    connection = http.client.HTTPConnection(*address, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"rochdale_session={voter.cookie}",
                "User-Agent": voter.user_agent,
            },
        )
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _storm(address, path: str, voters: list[Voter], fields_for) -> list[Outcome]:
    """Every voter sends ``TRIES`` votes, interleaved, from ``CLIENT_THREADS`` threads."""
    jobs = [(voter, attempt) for attempt in range(TRIES) for voter in voters]
    outcomes: list[Outcome] = []
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        futures = {
            pool.submit(_send, address, path, voter, fields_for(voter, attempt)): (voter, attempt)
            for voter, attempt in jobs
        }
        for future in as_completed(futures, timeout=TOTAL_TIMEOUT):
            voter, attempt = futures[future]
            status, body = future.result()
            match = RECEIPT.search(body)
            outcomes.append(
                Outcome(
                    voter.index,
                    attempt,
                    status,
                    match.group(1) if match else None,
                    "You have already voted in this ballot" in body,
                    tuple(fields_for(voter, attempt)),
                )
            )
    assert time.monotonic() - started < TOTAL_TIMEOUT
    return outcomes


def _check_outcomes(outcomes: list[Outcome]) -> dict[int, Outcome]:
    assert len(outcomes) == VOTERS * TRIES
    statuses = Counter(o.status for o in outcomes)
    assert not [o for o in outcomes if o.status >= 500], statuses
    assert statuses == {200: VOTERS, 409: VOTERS * (TRIES - 1)}, statuses
    accepted: dict[int, Outcome] = {}
    for outcome in outcomes:
        if outcome.status == 200:
            assert outcome.receipt, "an accepted vote must show its receipt code"
            assert outcome.voter not in accepted, f"voter {outcome.voter} had two votes accepted"
            accepted[outcome.voter] = outcome
        else:
            assert outcome.status == 409 and outcome.already_voted and outcome.receipt is None, outcome
    assert sorted(accepted) == list(range(VOTERS))
    return accepted


def _stored(council_id: int) -> tuple[int, list[BallotPaper]]:
    with council_context(council_id):
        db.session.expire_all()
        participation = db.session.scalar(select(func.count()).select_from(Participation))
        papers = list(db.session.scalars(select(BallotPaper)))
    return participation, papers


def _world(committed_db, create_council, server_app, grant_role, kind: BallotKind):
    # A slug per test: the server's processes remember councils by slug for a while
    # (tenants/council_cache.py), and each test truncates and recreates its council.
    council = create_council(slug=f"crowdham-{kind.value}", name="Crowdham Council")
    committed_db.session.commit()
    committed_db.session.refresh(council)
    ballot_id = build_ballot(council.id, kind, module=None).id
    voters = _voters(server_app, council, grant_role, committed_db)
    return council, ballot_id, voters


def test_a_thousand_identical_submissions_from_a_hundred_voters(
    committed_db, create_council, grant_role, server_app, server
):
    council, ballot_id, voters = _world(committed_db, create_council, server_app, grant_role, BallotKind.APPROVAL)
    path = f"/c/{council.slug}/ballots/{ballot_id}/vote"
    outcomes = _storm(server, path, voters, lambda voter, attempt: [("choice", "a"), ("choice", "c")])
    accepted = _check_outcomes(outcomes)

    participation, papers = _stored(council.id)
    assert participation == VOTERS
    assert len(papers) == VOTERS
    assert all(p.content == ["a", "c"] for p in papers)
    # T-2.5: every accepted voter's receipt is in the ballot box, and nothing else is.
    hashes = {p.receipt_hash for p in papers}
    assert hashes == {receipts.receipt_hash(o.receipt) for o in accepted.values()}
    assert len(hashes) == len(papers) == participation


def test_different_contents_leave_exactly_the_accepted_paper_of_each_voter(
    committed_db, create_council, grant_role, server_app, server
):
    council, ballot_id, voters = _world(committed_db, create_council, server_app, grant_role, BallotKind.DIVISION)
    path = f"/c/{council.slug}/ballots/{ballot_id}/vote"

    def fields(voter: Voter, attempt: int) -> list[tuple[str, str]]:
        # A paper unique to (voter, attempt), adding up to the £10,000 budget.
        clubs = 100_000 + voter.index * 100 + attempt
        return [
            ("amount-clubs", f"{clubs // 100}.{clubs % 100:02d}"),
            ("amount-sport", f"{(1_000_000 - clubs) // 100}.{(1_000_000 - clubs) % 100:02d}"),
            ("amount-arts", "0"),
        ]

    outcomes = _storm(server, path, voters, fields)
    accepted = _check_outcomes(outcomes)

    participation, papers = _stored(council.id)
    assert participation == VOTERS and len(papers) == VOTERS
    by_hash = {p.receipt_hash: p for p in papers}
    for voter_index, outcome in accepted.items():
        paper = by_hash.pop(receipts.receipt_hash(outcome.receipt))  # the survivor has the accepted receipt ...
        clubs = 100_000 + voter_index * 100 + outcome.attempt
        # ... and says what that accepted request said.
        assert paper.content == {"clubs": clubs, "sport": 1_000_000 - clubs, "arts": 0}
    assert by_hash == {}
