"""Benchmark: casting a vote through the web app against a bare Flask insert, in the same run.

Usage (a PostgreSQL superuser URL and a Redis URL; ``wrk`` on the PATH)::

    python bench/bench_web_vote.py --database-url postgresql://postgres@127.0.0.1:5432/postgres \\
        --redis-url redis://127.0.0.1:6379/15

Two gunicorn servers, each ``-w 2 -k sync``, on loopback, against one scratch
database:

* **app** — Rochdale itself: ``POST /c/<council>/ballots/<id>/vote`` with
  ``confirm=yes``, as a signed-in resident with a CSRF token. Each request is a
  different voter (a vote is cast once per person), so every request does the
  whole cast: session and user load, council and role, eligibility check, the
  ballot row share-locked, both inserts (participation and paper), the receipt
  page. Sessions are minted beforehand by the app's own ``start_session`` and
  signed with its secret, exactly as the sign-in page would leave them.
* **bare** — ``bench/web_bare_app.py``: Flask + Flask-SQLAlchemy, one ORM
  INSERT and COMMIT per POST.

Load: ``wrk -t2 -c32 --latency`` (32 concurrent voters, bounded), 10 s per run
after a 3 s warm-up, alternating bare/app ``--repeats`` times. Prints req/s and
p50/p99 latency for each (medians over runs), the app/bare throughput ratio
(target >= 0.5) and the app's p99 (target < 100 ms), and checks that every
accepted vote left exactly one participation row and one paper.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._scratch import SECRET, plain, redis_url, scratch_database, superuser_url  # noqa: E402

USER_AGENT = "rochdale-bench"
WRK = shutil.which("wrk") or "wrk"

LUA = r"""
-- Each thread takes every n-th line of the voters file; each request is the next voter.
local path = "__FILE__"
local counter = 0
local threads = {}
local mine = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local n = 0
  local total = __THREADS__
  for line in io.lines(path) do
    if n % total == id then table.insert(mine, line) end
    n = n + 1
  end
end

function request()
  counter = counter + 1
  local line = mine[((counter - 1) % #mine) + 1]
  local cookie, body = line:match("([^\t]*)\t(.*)")
  return wrk.format("POST", "__PATH__", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["User-Agent"] = "__UA__",
  }, body)
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _setup(urls: dict[str, str], redis: str, voters: int) -> tuple[str, int, list[int]]:
    """A council, an open approval ballot for residents, and ``voters`` residents. Returns (slug, ballot, user ids)."""
    import psycopg

    from app import create_app
    from app.extensions import db
    from app.voting.models import Ballot, BallotKind, BallotOption, BallotStatus
    from app.voting.rules import rules_version
    from bench._scratch import app_config
    from tenants.context import council_context
    from tenants.models import Council, CouncilType, Region

    app = create_app(app_config(urls, redis))
    with app.app_context():
        council = Council(
            slug="bench-web",
            name="Bench Web Council",
            council_type=CouncilType.UNITARY,
            region=Region.NORTH_WEST,
            population=300_000,
        )
        db.session.add(council)
        db.session.commit()
        council_id = council.id
        with council_context(council_id):
            ballot = Ballot(
                title="Which park first?",
                kind=BallotKind.APPROVAL,
                method="approval",
                parameters={"seats": 1, "max_approvals": None},
                electorate={"type": "council_role", "roles": ["resident"]},
                status=BallotStatus.OPEN,
                tie_break_rule="lexicographic",
                electorate_size=voters,
            )
            db.session.add(ballot)
            db.session.flush()
            options = [
                BallotOption(ballot_id=ballot.id, key=k, title=t, position=i)
                for i, (k, t) in enumerate([("north", "North park"), ("south", "South park"), ("east", "East")])
            ]
            db.session.add_all(options)
            db.session.flush()
            ballot.rules_version = rules_version(ballot, options)
            ballot_id = ballot.id
            db.session.commit()
        db.engine.dispose()
    with psycopg.connect(plain(urls["superuser"])) as conn:
        with conn.cursor().copy("COPY users (email, name, password_hash) FROM STDIN") as copy:
            for n in range(voters):
                copy.write_row((f"voter{n}@bench.example", f"Voter {n}", None))
        conn.execute(
            "INSERT INTO council_roles (council_id, user_id, role, modules) "
            "SELECT %s, id, 'resident', '{}' FROM users WHERE email LIKE 'voter%%@bench.example'",
            (council_id,),
        )
        conn.execute("ANALYZE")
        ids = [
            row[0] for row in conn.execute("SELECT id FROM users WHERE email LIKE 'voter%%@bench.example' ORDER BY id")
        ]
        conn.commit()
    with psycopg.connect(plain(urls["owner"])) as conn:  # the bare app connects as the owner
        conn.execute(
            "CREATE TABLE bench_bare_votes (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            "voter varchar(40) NOT NULL, choice varchar(40) NOT NULL)"
        )
        conn.commit()
    return "bench-web", ballot_id, ids


def _mint(urls: dict[str, str], redis: str, user_ids: list[int]) -> list[str]:
    """One 'cookie<TAB>form body' line per voter: a signed session with a CSRF token, as after sign-in."""
    from flask import session
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from app import create_app
    from app.auth.models import User
    from app.auth.sessions import start_session
    from bench._scratch import app_config

    app = create_app(app_config(urls, redis, INSECURE_COOKIES=True))
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    lines = []
    with app.app_context():
        from app.extensions import db

        # By the set-up's addresses, not by id: a list of ids this long is more parameters than PostgreSQL takes.
        users = {u.id: u for u in db.session.scalars(select(User).where(User.email.like("voter%@bench.example")))}
        db.session.expunge_all()
    for uid in user_ids:
        # Session protection is "strong": the session is bound to the client's address and user agent.
        with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT}):
            start_session(users[uid])
            token = generate_csrf()
            cookie = serializer.dumps(dict(session))
        lines.append(f"{name}={cookie}\tcsrf_token={token}&choice=north&confirm=yes")
    return lines


def _gunicorn(target: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    with log.open("ab") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own command line
            [gunicorn, "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning", target],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn {target} exited:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    raise SystemExit(f"gunicorn {target} did not start")


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _unit(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(url: str, script: Path, seconds: int) -> dict:
    command = [WRK, "-t2", "-c32", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(script), url]
    out = subprocess.run(  # noqa: S603 - our own command line
        command,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {"raw": out}
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        result[f"p{pct}"] = _unit(m.group(1), m.group(2))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors: (.*)", out)
    result["socket_errors"] = errors.group(1) if errors else ""
    return result


def _script(tmp: Path, name: str, lines: list[str], path: str) -> Path:
    data = tmp / f"{name}.tsv"
    data.write_text("\n".join(lines) + "\n")
    script = tmp / f"{name}.lua"
    script.write_text(
        LUA.replace("__FILE__", str(data))
        .replace("__THREADS__", "2")
        .replace("__PATH__", path)
        .replace("__UA__", USER_AGENT)
    )
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--voters-per-run", type=int, default=15000, help="More than the app can take in one run.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    redis = redis_url(args.redis_url)
    runs_needed = args.repeats + 1  # one warm-up
    with (
        scratch_database(superuser_url(args.database_url), "web", redis) as urls,
        tempfile.TemporaryDirectory() as tmp_name,
    ):
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        slug, ballot_id, voters = _setup(urls, redis, args.voters_per_run * runs_needed)
        lines = _mint(urls, redis, voters)
        print(f"set-up: {len(voters):,} signed-in residents, ballot {ballot_id}, in {time.perf_counter() - t0:.1f} s")
        vote_path = f"/c/{slug}/ballots/{ballot_id}/vote"
        chunks = [lines[i * args.voters_per_run : (i + 1) * args.voters_per_run] for i in range(runs_needed)]
        app_scripts = [_script(tmp, f"app{i}", chunk, vote_path) for i, chunk in enumerate(chunks)]
        bare_script = _script(tmp, "bare", [f"x\tvoter={n}&choice=north" for n in range(1000)], "/vote")

        env = dict(os.environ)
        env.update(
            DATABASE_URL=plain(urls["app"]),
            DATABASE_OWNER_URL=plain(urls["owner"]),
            REDIS_URL=redis,
            SECRET_KEY=SECRET,
            ROCHDALE_INSECURE_COOKIES="1",
            BARE_DATABASE_URL=plain(urls["owner"]),
            PYTHONPATH=str(ROOT),
        )
        app_port, bare_port = _free_port(), _free_port()
        log = tmp / "gunicorn.log"
        servers = [
            _gunicorn("app:create_app()", app_port, env, log),
            _gunicorn("bench.web_bare_app:create_app()", bare_port, env, log),
        ]
        try:
            app_url, bare_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
            _wrk(bare_url, bare_script, args.warmup)
            warm = _wrk(app_url, app_scripts[0], args.warmup)
            if warm["non_2xx"]:
                raise SystemExit(f"the app refused votes in the warm-up:\n{warm['raw']}\n{log.read_text()[-3000:]}")
            results = {"bare": [], "app": []}
            accepted = warm["requests"]
            for i in range(args.repeats):
                results["bare"].append(_wrk(bare_url, bare_script, args.seconds))
                run = _wrk(app_url, app_scripts[i + 1], args.seconds)
                results["app"].append(run)
                accepted += run["requests"] - run["non_2xx"]
        finally:
            for proc in servers:
                _stop(proc)

        import psycopg

        with psycopg.connect(plain(urls["superuser"])) as conn:
            participation = conn.execute("SELECT count(*) FROM voting_participations").fetchone()[0]
            papers = conn.execute("SELECT count(*) FROM voting_papers").fetchone()[0]

        def med(name: str, key: str) -> float:
            return statistics.median(r[key] for r in results[name])

        print(f"\n{'endpoint':<8} {'req/s (median, runs)':<34} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        for name in ("bare", "app"):
            runs = ", ".join(f"{r['rps']:.0f}" for r in results[name])
            bad = sum(r["non_2xx"] for r in results[name])
            print(
                f"{name:<8} {med(name, 'rps'):>7.0f} ({runs}){'':<{max(0, 24 - len(runs))}} "
                f"{med(name, 'p50'):>8.1f} {med(name, 'p99'):>8.1f} {bad:>8}"
            )
        ratio = med("app", "rps") / med("bare", "rps")
        print(f"\nratio app/bare throughput: {ratio:.2f} (target >= 0.5)")
        print(f"app p99: {med('app', 'p99'):.1f} ms (target < 100 ms)")
        print(
            f"votes answered 2xx by wrk {accepted:,}; participation rows {participation:,}; papers {papers:,}; "
            f"one paper per participation row: {participation == papers}; every 2xx stored: {papers >= accepted}"
        )
        errors = [r["socket_errors"] for rs in results.values() for r in rs if r["socket_errors"]]
        if errors:
            print("socket errors:", "; ".join(errors))


if __name__ == "__main__":
    main()
