"""Benchmark: the count job end to end on 100,000 papers (load + count + store), with peak memory.

Usage (a PostgreSQL superuser URL; a scratch database is created and dropped)::

    python bench/bench_count_job.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    python bench/bench_count_job.py --papers 100000 --repeats 3

Two ballots, each counted ``--repeats`` times, every run in a fresh process so
that its peak resident memory (``VmHWM``) is the count's own:

* ranked: Scottish STV, 12 candidates, 3 seats, the ballots of ``bench_stv.py``
  (three Plackett-Luce factions, truncated rankings);
* PB: approval ballots over 60 projects, the instance of ``bench_pb.py``,
  counted by Equal Shares with Add1 completion (the default for PB).

Each run does what the count job does (``app.voting.counting.run_count``): the
advisory lock, loading the papers grouped by content in one statement, the
count, and the insert-once of the result, committed; the phases are timed
separately. For reference it also times loading the papers one row per paper
(SQLAlchemy Core, no grouping). Targets (issue 3): the whole job under 300 MB
resident; loading 100,000 papers in about 0.5 s or less.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._scratch import app_config, plain, redis_url, scratch_database, superuser_url  # noqa: E402


def _rss_mb() -> float:
    """This process's peak resident memory in MB.

    ``VmHWM`` belongs to the process image, so it starts afresh at ``exec``;
    ``ru_maxrss`` would also count the parent's peak from before the fork.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- set-up (parent) -------------------------------------------------------------------------------


def _make_ballots(urls: dict[str, str], redis: str, papers: int) -> dict[str, int]:
    """Create a council, a ranked and a PB ballot (closed), and their papers; returns the ids."""
    import psycopg
    from psycopg.types.json import Jsonb

    from app import create_app
    from app.extensions import db
    from app.voting.models import Ballot, BallotKind, BallotOption, BallotStatus
    from app.voting.rules import rules_version
    from bench.bench_pb import generate as generate_pb
    from bench.bench_stv import generate as generate_ranked
    from tenants.context import council_context
    from tenants.models import Council, CouncilType, Region

    app = create_app(app_config(urls, redis))
    names, rankings = generate_ranked(papers, 12, seed=2027)
    budget, costs, approvals = generate_pb(papers, 60, seed=12345)
    with app.app_context():
        council = Council(
            slug="bench",
            name="Bench Council",
            council_type=CouncilType.UNITARY,
            region=Region.NORTH_WEST,
            population=300_000,
        )
        db.session.add(council)
        db.session.commit()
        ids = {"council": council.id}
        with council_context(council.id):
            specs = {
                "stv": (BallotKind.RANKED, "stv", {"seats": 3}, [(n, n, None) for n in names]),
                "mes-add1": (
                    BallotKind.PB,
                    "mes-add1",
                    {"budget_pence": budget * 100, "utility": "cost"},
                    [(p, f"Project {p}", c * 100) for p, c in costs.items()],
                ),
            }
            for label, (kind, method, params, options) in specs.items():
                ballot = Ballot(
                    title=f"Bench {label}",
                    kind=kind,
                    method=method,
                    parameters=params,
                    electorate={"type": "council_role", "roles": ["resident"]},
                    status=BallotStatus.CLOSED,
                    electorate_size=papers * 2,
                )
                db.session.add(ballot)
                db.session.flush()
                made = [
                    BallotOption(ballot_id=ballot.id, key=k, title=t, cost_pence=c, position=i)
                    for i, (k, t, c) in enumerate(options)
                ]
                db.session.add_all(made)
                db.session.flush()
                ballot.rules_version = rules_version(ballot, made)
                ids[label] = ballot.id
                ids[f"{label}:rules"] = ballot.rules_version
            db.session.commit()
        db.engine.dispose()

    contents = {"stv": [list(r) for r in rankings], "mes-add1": [sorted(a) for a in approvals]}
    with psycopg.connect(plain(urls["superuser"])) as conn:
        for label, rows in contents.items():
            with conn.cursor().copy(
                "COPY voting_papers (council_id, id, ballot_id, content, receipt_hash, channel, cast_on, "
                "rules_version) FROM STDIN"
            ) as copy:
                for content in rows:
                    copy.write_row(
                        (
                            ids["council"],
                            uuid.uuid4(),
                            ids[label],
                            Jsonb(content),
                            uuid.uuid4().hex * 2,
                            "online",
                            "2027-03-02",
                            ids[f"{label}:rules"],
                        )
                    )
        conn.execute("ANALYZE voting_papers")
        conn.commit()
    return ids


def _reset(urls: dict[str, str], ballot_id: int) -> None:
    import psycopg

    with psycopg.connect(plain(urls["superuser"])) as conn:
        conn.execute("DELETE FROM voting_results WHERE ballot_id = %s", (ballot_id,))
        conn.execute("UPDATE voting_ballots SET status = 'closed' WHERE id = %s", (ballot_id,))
        conn.commit()


# -- one count (child) -----------------------------------------------------------------------------


def _child(urls: dict[str, str], redis: str, council_id: int, ballot_id: int) -> dict:
    """One count in this fresh process: the job body's phases, timed, and the peak RSS."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.voting import counting
    from app.voting.models import Ballot, BallotPaper
    from app.voting.tally import count_papers
    from tenants.context import council_context

    app = create_app(app_config(urls, redis))
    out: dict = {}
    with app.app_context(), council_context(council_id):
        db.session.execute(select(1))  # connect before timing
        out["rss_before_mb"] = _rss_mb()
        start = time.perf_counter()
        counting.lock_ballot(ballot_id)
        ballot = db.session.scalar(select(Ballot).where(Ballot.id == ballot_id))
        load = counting.load_papers(ballot)
        loaded = time.perf_counter()
        tally = count_papers(counting.ballot_spec(ballot), load.papers, load.proxy_papers)
        counted = time.perf_counter()
        outcome = counting.store_result(ballot, tally, load.total)
        db.session.commit()
        stored = time.perf_counter()
        out |= {
            "load_s": loaded - start,
            "count_s": counted - loaded,
            "store_s": stored - counted,
            "total_s": stored - start,
            "papers": load.total,
            "distinct": len(load.papers),
            "status": outcome.status,
            "sha256": outcome.sha256,
            "winners": list(tally.winners),
            "rss_peak_mb": _rss_mb(),
        }
        # The same load again in this process (statement compiled, connection and caches warm).
        t0 = time.perf_counter()
        counting.load_papers(ballot)
        out["load_warm_s"] = time.perf_counter() - t0
        # Reference: the same papers one row per paper through SQLAlchemy Core (what grouping saves).
        t0 = time.perf_counter()
        rows = db.session.execute(select(BallotPaper.content).where(BallotPaper.ballot_id == ballot_id)).all()
        out["load_ungrouped_s"] = time.perf_counter() - t0
        out["ungrouped_rows"] = len(rows)
        db.session.rollback()
    return out


def _run_child(args, urls, council_id: int, ballot_id: int) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        json.dumps({"urls": urls, "redis": args.redis_url, "council": council_id, "ballot": ballot_id}),
    ]
    done = subprocess.run(  # noqa: S603 - this script, run again as a child
        command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        raise SystemExit(f"count run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.redis_url = redis_url(args.redis_url)
    if args.child:
        given = json.loads(args.child)
        print(json.dumps(_child(given["urls"], given["redis"], given["council"], given["ballot"])))
        return

    with scratch_database(superuser_url(args.database_url), "count", args.redis_url) as urls:
        t0 = time.perf_counter()
        ids = _make_ballots(urls, args.redis_url, args.papers)
        print(f"set-up: {args.papers:,} papers per ballot in {time.perf_counter() - t0:.1f} s")
        for label in ("stv", "mes-add1"):
            runs = []
            for _ in range(args.repeats):
                _reset(urls, ids[label])
                runs.append(_run_child(args, urls, ids["council"], ids[label]))
            hashes = {r["sha256"] for r in runs}
            med = {
                k: statistics.median(r[k] for r in runs)
                for k in (
                    "load_s",
                    "load_warm_s",
                    "count_s",
                    "store_s",
                    "total_s",
                    "rss_peak_mb",
                    "rss_before_mb",
                    "load_ungrouped_s",
                )
            }
            print(
                f"\n{label}: {runs[0]['papers']:,} papers, {runs[0]['distinct']:,} distinct contents; "
                f"winners {', '.join(runs[0]['winners'])}"
            )
            print(f"  same SHA-256 in every run: {len(hashes) == 1} ({runs[0]['sha256'][:16]}...)")
            print(
                f"  median of {len(runs)}: load {med['load_s']:.3f} s, count {med['count_s']:.3f} s, "
                f"store {med['store_s']:.3f} s, total {med['total_s']:.3f} s"
            )
            print(
                f"  peak RSS {med['rss_peak_mb']:.0f} MB (process before loading: {med['rss_before_mb']:.0f} MB); "
                f"target < 300 MB: ratio {med['rss_peak_mb'] / 300:.2f}"
            )
            print(f"  load again in the same process (warm): {med['load_warm_s']:.3f} s")
            print(
                f"  reference: one row per paper (Core, ungrouped) {med['load_ungrouped_s']:.3f} s; "
                f"grouped load is {med['load_ungrouped_s'] / med['load_s']:.1f}x faster; "
                f"target load <= 0.5 s: ratio {med['load_s'] / 0.5:.2f}"
            )


if __name__ == "__main__":
    main()
