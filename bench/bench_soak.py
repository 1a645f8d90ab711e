"""Load from loopback for issue 9: a vote burst, a 20 votes/s soak and 2,000 sign-ins, each beside the bare endpoint.

Usage (a PostgreSQL superuser URL and a Redis URL)::

    python bench/bench_soak.py --database-url postgresql://postgres@127.0.0.1:5432/postgres \\
        --redis-url redis://127.0.0.1:6379/15 [--phase burst|votes|signins|all] [--seconds 600]

Servers as in ``bench_web_vote.py``: Rochdale and the bare Flask insert
endpoint (``bench/web_bare_app.py``), each on gunicorn ``-w 2 -k sync`` on
loopback, against one scratch database. Phases:

* **burst** — 500 signed-in residents submit their votes at the same instant
  (threads released by one barrier); then the same 500 again. Each vote must
  be recorded exactly once (500 participation rows, 500 papers) and every
  second submission answered 409. The bare endpoint takes a burst of 500
  inserts the same way; the time to clear each burst is compared.
* **votes** — an open-loop load of ``--rate`` votes per second (default 20)
  for ``--seconds`` (default 600) against each server in turn; latency is
  measured from each request's scheduled start, so a stall cannot hide
  (no coordinated omission). Target: app p95 < 500 ms and no error.
* **signins** — 2,000 sign-ins (page, then the form with a real argon2
  password check) spread over ``--seconds``, while the resident set size of
  the app's gunicorn (master and workers) is sampled every second. Target: no
  error, memory flat (the argon2 settings in use are printed).

Every loop is bounded in count and time. Prints a table per phase; copy the
figures to ``bench/RESULTS.md`` with the command line.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._scratch import SECRET, plain, redis_url, scratch_database, superuser_url  # noqa: E402
from bench.bench_web_vote import USER_AGENT, _free_port, _gunicorn, _mint, _setup, _stop  # noqa: E402

BURST = 500
SIGN_INS = 2000
REQUEST_TIMEOUT = 30.0
PASSWORD = "soak-test-password-7Kq"  # noqa: S105 - a throwaway benchmark database


def _post(port: int, path: str, body: str, cookie: str = "") -> tuple[int, float, str]:
    """(status, seconds, Set-Cookie) of one POST on a new connection, as a browser's form submission."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT}
        if cookie:
            headers["Cookie"] = cookie
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - start, response.getheader("Set-Cookie") or ""
    except OSError:
        return 0, time.perf_counter() - start, ""
    finally:
        conn.close()


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def _summary(name: str, statuses: list[int], seconds: list[float], extra: str = "") -> str:
    ok = sum(1 for s in statuses if 200 <= s < 400)
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<22}{len(statuses):>7}{ok:>7}{len(statuses) - ok:>7}"
        f"{_percentile(ms, 50):>9.1f}{_percentile(ms, 95):>9.1f}{_percentile(ms, 99):>9.1f}  {extra}"
    )


HEADER = f"{'':<22}{'sent':>7}{'2xx/3xx':>7}{'other':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"


def _burst(port: int, jobs: list[tuple[str, str, str]]) -> tuple[list[int], list[float], float]:
    """Send every (path, body, cookie) at once; (statuses, latencies, seconds to clear the burst)."""
    barrier = threading.Barrier(len(jobs))

    def one(job):
        barrier.wait(timeout=REQUEST_TIMEOUT)
        return _post(port, *job)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(one, jobs))
    return [r[0] for r in results], [r[1] for r in results], time.perf_counter() - start


def _open_loop(port: int, jobs: list[tuple[str, str, str]], rate: float) -> tuple[list[int], list[float]]:
    """Start job i at t0 + i/rate whatever happened before; latency counts from the scheduled start."""
    statuses: list[int] = [0] * len(jobs)
    latencies: list[float] = [0.0] * len(jobs)
    t0 = time.perf_counter() + 0.5

    def one(i: int) -> None:
        scheduled = t0 + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        status, _, _ = _post(port, *jobs[i])
        statuses[i], latencies[i] = status, time.perf_counter() - scheduled

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(one, range(len(jobs))))
    return statuses, latencies


def _vote_jobs(lines: list[str], path: str) -> list[tuple[str, str, str]]:
    return [(path, body, cookie) for cookie, body in (line.split("\t") for line in lines)]


def _bare_jobs(count: int) -> list[tuple[str, str, str]]:
    return [("/vote", f"voter=v{n}&choice=north", "") for n in range(count)]


def _counts(urls: dict[str, str]) -> tuple[int, int, int]:
    import psycopg

    with psycopg.connect(plain(urls["superuser"])) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in ("voting_participations", "voting_papers", "bench_bare_votes")
        )


def phase_burst(urls, app_port, bare_port, lines, path) -> list[str]:
    jobs = _vote_jobs(lines[:BURST], path)
    before = _counts(urls)
    statuses, seconds, cleared = _burst(app_port, jobs)
    again, again_seconds, again_cleared = _burst(app_port, jobs)
    final = _counts(urls)
    bare_statuses, bare_seconds, bare_cleared = _burst(bare_port, _bare_jobs(BURST))
    # A vote whose answer the client gave up waiting for is still stored once by the server: count after both bursts.
    stored = (final[0] - before[0], final[1] - before[1])
    timed_out = sum(1 for s in statuses if s == 0)
    return [
        HEADER,
        _summary("app: 500 votes", statuses, seconds, f"cleared in {cleared:.2f} s"),
        _summary("app: same 500 again", again, again_seconds, f"cleared in {again_cleared:.2f} s"),
        _summary("bare: 500 inserts", bare_statuses, bare_seconds, f"cleared in {bare_cleared:.2f} s"),
        f"stored after both bursts: {stored[0]} participation rows, {stored[1]} papers (want {BURST} each); "
        f"first burst: {sum(1 for s in statuses if s == 200)} receipts, {timed_out} unanswered within "
        f"{REQUEST_TIMEOUT:.0f} s; second burst: {sum(1 for s in again if s == 409)} of {BURST} answered 409",
        f"burst ratio (bare clear time / app clear time): {bare_cleared / cleared:.2f}",
    ]


def phase_votes(urls, app_port, bare_port, lines, path, rate: float, seconds: int) -> list[str]:
    count = int(rate * seconds)
    app_statuses, app_latency = _open_loop(app_port, _vote_jobs(lines[:count], path), rate)
    bare_statuses, bare_latency = _open_loop(bare_port, _bare_jobs(count), rate)
    p95_app, p95_bare = _percentile(app_latency, 95), _percentile(bare_latency, 95)
    return [
        HEADER,
        _summary(f"app: {rate:g} votes/s", app_statuses, app_latency, f"for {seconds} s"),
        _summary(f"bare: {rate:g} inserts/s", bare_statuses, bare_latency, f"for {seconds} s"),
        f"app p95 {p95_app * 1000:.1f} ms (target < 500 ms), errors {sum(1 for s in app_statuses if s != 200)}; "
        f"p95 ratio app/bare {p95_app / p95_bare:.2f}",
    ]


def _sign_in_once(port: int, email: str) -> tuple[int, float]:
    """The sign-in page (for its cookie and CSRF token), then the form: (status of the POST, seconds for both)."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", "/sign-in", headers={"User-Agent": USER_AGENT})
        page = conn.getresponse()
        html = page.read().decode()
        cookie = (page.getheader("Set-Cookie") or "").split(";", 1)[0]
    except OSError:
        return 0, time.perf_counter() - start
    finally:
        conn.close()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    if token is None:
        return 0, time.perf_counter() - start
    from urllib.parse import urlencode

    body = urlencode({"csrf_token": token.group(1) or token.group(2), "email": email, "password": PASSWORD})
    status, _, _ = _post(port, "/sign-in", body, cookie)
    return status, time.perf_counter() - start


def phase_signins(urls, app_proc, app_port, seconds: int) -> list[str]:
    import psutil

    emails = _sign_in_people(urls)
    rss: list[float] = []
    curve: list[tuple[float, list[float]]] = []  # (seconds since start, RSS of each process: master first)
    stop = threading.Event()
    started = time.perf_counter()

    def sample() -> None:
        parent = psutil.Process(app_proc.pid)
        while not stop.is_set():
            try:
                procs = [parent, *sorted(parent.children(recursive=True), key=lambda p: p.pid)]
                sizes = [p.memory_info().rss / 2**20 for p in procs]
                rss.append(sum(sizes))
                curve.append((time.perf_counter() - started, sizes))
            except psutil.Error:
                pass
            stop.wait(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rate = SIGN_INS / seconds
    statuses: list[int] = [0] * SIGN_INS
    latencies: list[float] = [0.0] * SIGN_INS
    t0 = time.perf_counter() + 0.5

    def one(i: int) -> None:
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        statuses[i], latencies[i] = _sign_in_once(app_port, emails[i])

    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            list(pool.map(one, range(SIGN_INS)))
    finally:
        stop.set()
        sampler.join(5)
    redirected = sum(1 for s in statuses if s == 302)
    return [
        *_rss_curve(curve, seconds),
        HEADER,
        _summary(f"app: {SIGN_INS} sign-ins", statuses, latencies, f"over {seconds} s (page + form each)"),
        f"signed in (302): {redirected} of {SIGN_INS}; gunicorn RSS (master + 2 workers): start {rss[0]:.0f} MiB, "
        f"peak {max(rss):.0f} MiB, end {rss[-1]:.0f} MiB; argon2 memory {os.environ.get('ARGON2_MEMORY_KIB', '19456')}"
        f" KiB, time cost {os.environ.get('ARGON2_TIME_COST', '2')}",
    ]


def _rss_curve(curve: list[tuple[float, list[float]]], seconds: int, windows: int = 10) -> list[str]:
    """The resident set size over the phase, one line per tenth: the largest sample of each process in it.

    A leak shows as a worker that keeps growing to the last line; warm-up (modules, templates, the argon2
    arena) as growth that stops early.
    """
    lines = ["RSS curve (MiB; peak in each window; master, then each worker, then the total):"]
    width = max(seconds / windows, 1.0)
    for n in range(windows):
        inside = [sizes for at, sizes in curve if n * width <= at < (n + 1) * width]
        if not inside:
            continue
        count = max(len(s) for s in inside)
        peaks = [max((s[i] for s in inside if i < len(s)), default=0.0) for i in range(count)]
        each = " ".join(f"{p:6.0f}" for p in peaks)
        lines.append(f"  {n * width:5.0f}-{(n + 1) * width:5.0f} s: {each}   total {sum(peaks):6.0f}")
    return lines


def _sign_in_people(urls: dict[str, str]) -> list[str]:
    """2,000 people with one real argon2 hash of PASSWORD (hashed once: every sign-in still verifies it)."""
    import psycopg

    from app.auth.passwords import _hasher

    digest = _hasher(int(os.environ.get("ARGON2_MEMORY_KIB", "19456")), int(os.environ.get("ARGON2_TIME_COST", "2")))
    password_hash = digest.hash(PASSWORD)
    emails = [f"signin{n}@bench.example" for n in range(SIGN_INS)]
    with psycopg.connect(plain(urls["superuser"])) as conn:
        with conn.cursor().copy("COPY users (email, name, password_hash) FROM STDIN") as copy:
            for n, email in enumerate(emails):
                copy.write_row((email, f"Sign-in {n}", password_hash))
        conn.commit()
    return emails


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--phase", choices=["burst", "votes", "signins", "all"], default="all")
    parser.add_argument("--rate", type=float, default=20.0, help="Votes per second in the soak.")
    parser.add_argument("--seconds", type=int, default=600, help="Length of the soak and of the sign-ins.")
    args = parser.parse_args()
    redis = redis_url(args.redis_url)
    phases = ["burst", "votes", "signins"] if args.phase == "all" else [args.phase]
    voters = 2 * BURST + int(args.rate * args.seconds)
    database = superuser_url(args.database_url)
    with scratch_database(database, "soak", redis) as urls, tempfile.TemporaryDirectory() as tmp:
        slug, ballot_id, ids = _setup(urls, redis, voters)
        lines = _mint(urls, redis, ids)
        path = f"/c/{slug}/ballots/{ballot_id}/vote"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=plain(urls["app"]),
            DATABASE_OWNER_URL=plain(urls["owner"]),
            REDIS_URL=redis,
            SECRET_KEY=SECRET,
            ROCHDALE_INSECURE_COOKIES="1",
            RATELIMIT_ENABLED="0",  # 2,000 sign-ins from one address would otherwise be throttled, as they should be
            BARE_DATABASE_URL=plain(urls["owner"]),
            PYTHONPATH=str(ROOT),
        )
        app_port, bare_port = _free_port(), _free_port()
        log = Path(tmp) / "gunicorn.log"
        app_proc = _gunicorn("app:create_app()", app_port, env, log)
        bare_proc = _gunicorn("bench.web_bare_app:create_app()", bare_port, env, log)
        try:
            for phase in phases:
                print(f"\n== {phase}")
                if phase == "burst":
                    report = phase_burst(urls, app_port, bare_port, lines, path)
                elif phase == "votes":
                    report = phase_votes(urls, app_port, bare_port, lines[2 * BURST :], path, args.rate, args.seconds)
                else:
                    report = phase_signins(urls, app_proc, app_port, args.seconds)
                print("\n".join(report), flush=True)
        finally:
            _stop(app_proc)
            _stop(bare_proc)
        errors = [line for line in log.read_text().splitlines() if "Traceback" in line or "ERROR" in line]
        print(f"\nserver log: {len(errors)} error lines" + (f"; first: {errors[0]}" if errors else ""))


if __name__ == "__main__":
    main()
