"""Benchmark: the benchmarking dashboard on a large network, and the nightly job for one large council.

Usage (a PostgreSQL superuser URL; a scratch database is created and dropped)::

    python bench/bench_benchmarking.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    python bench/bench_benchmarking.py --councils 400 --years 10 --metrics 40 --requests 200

1. Seeds ``--councils`` councils x ``--years`` x 12 monthly published figures x
   ``--metrics`` metrics (the catalogue's, padded with extra codes) straight into
   ``benchmark_published`` with COPY (1.92 million rows at the defaults).
2. Times the network page (one metric, every council, sorted by value) and a
   council page (every metric against the network, peers by type) through the
   real app (in-process WSGI, anonymous reader), and the same reads through a
   bare Flask + psycopg endpoint (one query, a plain HTML table) in the same
   run; prints p50/p95 and the app/bare ratio. Target: p95 under 150 ms.
3. Seeds one council with 250,000 verified residents and 100,000 votes in 100
   closed priorities ballots, and times the nightly job's work for it
   (``operations.nightly``: compute last and this month, republish). Target: under 30 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._scratch import app_config, plain, redis_url, scratch_database, superuser_url  # noqa: E402


def _copy(conn, table: str, columns: tuple[str, ...], rows) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed_network(url: str, councils: int, years: int, metrics: int) -> tuple[list[str], date]:
    """Councils and their published figures, by COPY as the superuser (past RLS, as a bulk load is)."""
    import random

    import psycopg

    from app.modules.benchmarking.catalogue import METRICS
    from app.modules.benchmarking.periods import add_months, month_start

    codes = list(METRICS)[:metrics] + [f"bench_extra_{i:02d}" for i in range(max(0, metrics - len(METRICS)))]
    types = ["metropolitan_borough", "london_borough", "unitary", "county", "district"]
    regions = ["north_west", "north_east", "london", "south_east", "wales", "scotland"]
    last = add_months(month_start(date.today()), -1)
    months = [add_months(last, -i) for i in range(years * 12)]
    rng = random.Random(7)
    with psycopg.connect(plain(url)) as conn:
        _copy(
            conn,
            "councils",
            ("slug", "name", "council_type", "region", "population"),
            (
                (f"bench-{i:04d}", f"Bench Council {i:04d}", types[i % 5], regions[i % 6], rng.randint(50_000, 900_000))
                for i in range(councils)
            ),
        )
        ids = [r[0] for r in conn.execute("SELECT id FROM councils ORDER BY id")]
        _copy(
            conn,
            "benchmark_published",
            ("publisher_id", "metric_code", "period_start", "visibility", "value", "suppressed"),
            (
                (cid, code, month, "public", None, True)
                if rng.random() < 0.03
                else (cid, code, month, "public", round(rng.uniform(1, 100), 2), False)
                for cid in ids
                for code in codes
                for month in months
            ),
        )
        conn.commit()
        # What autovacuum does after a bulk load: the visibility map lets index-only scans skip the heap.
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE benchmark_published")
    return [f"bench-{i:04d}" for i in range(councils)], last


BARE_NETWORK = """
SELECT c.name, p.value FROM benchmark_published p JOIN councils c ON c.id = p.publisher_id
WHERE p.metric_code = %s AND p.period_start = %s AND p.visibility = 'public' AND c.is_active
ORDER BY p.value DESC NULLS LAST
"""
BARE_COUNCIL = """
WITH mine AS (
  SELECT DISTINCT ON (metric_code) metric_code, period_start, value FROM benchmark_published
  WHERE publisher_id = (SELECT id FROM councils WHERE slug = %s) AND visibility = 'public'
  ORDER BY metric_code, period_start DESC)
SELECT m.metric_code, m.value,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY p.value) AS median
FROM mine m JOIN benchmark_published p ON p.metric_code = m.metric_code AND p.period_start = m.period_start
WHERE p.visibility = 'public' AND p.value IS NOT NULL GROUP BY m.metric_code, m.value
"""


def bare_app(url: str):
    """The floor: Flask + one psycopg connection, one query per page, a plain HTML table, no templates."""
    import psycopg
    from flask import Flask, request
    from markupsafe import escape

    app = Flask("bare")
    conn = psycopg.connect(plain(url), autocommit=True)

    def table(rows) -> str:
        cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table>{cells}</table>"

    @app.get("/network/<code>")
    def network(code: str):
        return table(conn.execute(BARE_NETWORK, (code, date.fromisoformat(request.args["period"]))).fetchall())

    @app.get("/council/<slug>")
    def council(slug: str):
        return table(conn.execute(BARE_COUNCIL, (slug,)).fetchall())

    return app


def timed(client, url: str, requests: int) -> dict[str, float]:
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    samples.sort()
    return {"p50": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1]}


def seed_big_council(url: str, residents: int, votes: int) -> int:
    """One council with ``residents`` verified residents and ``votes`` votes in 100 closed priorities ballots."""
    import psycopg

    from app.modules.benchmarking.catalogue import METRICS

    now = datetime.now(UTC)
    last_month = (now.replace(day=1) - timedelta(days=10)).replace(hour=12)
    with psycopg.connect(plain(url)) as conn:
        council_id = conn.execute(
            "INSERT INTO councils (slug, name, council_type, region, population) "
            "VALUES ('big', 'Big Council', 'unitary', 'north_west', 800000) RETURNING id"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO council_modules (council_id, module, is_enabled) VALUES (%s, 'priorities', true)",
            (council_id,),
        )
        first_user = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM users").fetchone()[0]
        _copy(
            conn,
            "users",
            ("id", "email", "name"),
            ((first_user + i, f"r{i}@big.example", f"R {i}") for i in range(residents)),
        )
        conn.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))")
        _copy(
            conn,
            "resident_profiles",
            ("council_id", "user_id", "verified_at"),
            ((council_id, first_user + i, now - timedelta(days=40)) for i in range(residents)),
        )
        ballots = 100
        ballot_ids = []
        for b in range(ballots):
            ballot_ids.append(
                conn.execute(
                    "INSERT INTO voting_ballots (council_id, title, kind, method, module, parameters, electorate, "
                    "status, opens_at, closes_at, closed_at, electorate_size) VALUES (%s, %s, 'approval', "
                    "'approval', 'priorities', '{}', '{}', 'closed', %s, %s, %s, %s) RETURNING id",
                    (
                        council_id,
                        f"Ballot {b}",
                        last_month - timedelta(days=5),
                        last_month,
                        last_month,
                        residents // 10,
                    ),
                ).fetchone()[0]
            )
        per = votes // ballots
        _copy(
            conn,
            "voting_participations",
            ("council_id", "ballot_id", "user_id", "channel", "cast_on"),
            (
                (council_id, ballot_ids[b], first_user + (b * per + i) % residents, "online", last_month.date())
                for b in range(ballots)
                for i in range(per)
            ),
        )
        _copy(
            conn,
            "benchmark_sharing",
            ("council_id", "metric_code", "visibility"),
            ((council_id, code, "public") for code in METRICS),
        )
        conn.execute("ANALYZE")
        conn.commit()
    return council_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--councils", type=int, default=400)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--metrics", type=int, default=40)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--residents", type=int, default=250_000)
    parser.add_argument("--votes", type=int, default=100_000)
    args = parser.parse_args()
    redis = redis_url(args.redis_url)
    with scratch_database(superuser_url(args.database_url), "benchmarking", redis) as urls:
        from app import create_app
        from app.extensions import db
        from app.modules.benchmarking import operations, queries
        from tenants.context import council_context

        started = time.perf_counter()
        slugs, last = seed_network(urls["superuser"], args.councils, args.years, args.metrics)
        rows = args.councils * args.years * 12 * args.metrics
        print(f"seeded {rows:,} published figures in {time.perf_counter() - started:.1f} s")

        app = create_app(app_config(urls, redis))
        bare = bare_app(urls["app"])
        period = f"{last.year:04d}-{last.month:02d}"
        slug = slugs[len(slugs) // 2]
        pages = {
            "network page": (
                f"/benchmarking/metrics/priorities_turnout?period={period}&sort=value&order=desc",
                f"/network/priorities_turnout?period={last.isoformat()}",
            ),
            "council page": (f"/benchmarking/councils/{slug}", f"/council/{slug}"),
        }
        client, bare_client = app.test_client(), bare.test_client()
        for name, (app_url, bare_url) in pages.items():
            ours = timed(client, app_url, args.requests)
            floor = timed(bare_client, bare_url, args.requests)
            print(
                f"{name}: app p50 {ours['p50']:.1f} ms p95 {ours['p95']:.1f} ms | bare p50 {floor['p50']:.1f} ms "
                f"p95 {floor['p95']:.1f} ms | ratio app/bare p95 {ours['p95'] / floor['p95']:.1f} "
                f"(target p95 < 150 ms)"
            )

        council_id = seed_big_council(urls["superuser"], args.residents, args.votes)
        with app.app_context(), council_context(council_id):
            started = time.perf_counter()
            published = operations.nightly(date.today())
            db.session.commit()
            took = time.perf_counter() - started
            figures = queries.own_series()
            for code in ("priorities_turnout", "residents_verified_per_1000"):
                print(f"  {code}: {figures[code][0][1]:.2f} ({figures[code][0][0]:%Y-%m})")
        print(
            f"nightly job for one council ({args.residents:,} residents, {args.votes:,} votes): {took:.2f} s, "
            f"{published} figures published (target < 30 s)"
        )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
