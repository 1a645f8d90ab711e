"""Benchmark: importing a 250,000-line register of residents (check every line + write), with peak memory.

Usage (a PostgreSQL superuser URL; a scratch database is created and dropped)::

    python bench/bench_register_import.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    python bench/bench_register_import.py --rows 250000 --repeats 3

The CSV is generated (seeded): 20 neighbourhoods, a postcode lookup of 2,000
postcodes, and half the lines naming their neighbourhood (by name or ONS
code) while the other half leave it to the postcode lookup. Each run is a
fresh process doing what the import job does (``app.residents.imports.run_import``):
read the uploaded file from the database, check every line, COPY into
staging, merge into an empty register, audit, commit. Targets (issue 4):
under 60 s and under 500 MB resident.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._scratch import app_config, plain, redis_url, scratch_database, superuser_url  # noqa: E402
from bench.bench_count_job import _rss_mb  # noqa: E402

NEIGHBOURHOODS = 20
POSTCODES = 2000


def _postcode(n: int) -> str:
    return f"OL{n % 90 + 1} {n % 10}{'ABDEFGHJLNPQRSTUWXYZ'[n % 20]}{'ABDEFGHJLNPQRSTUWXYZ'[(n // 20) % 20]}"


def generate(rows: int, seed: int = 2026) -> bytes:
    """A register file of ``rows`` residents (bytes, as uploaded)."""
    rng = random.Random(seed)
    lines = ["reference,name,address,postcode,date_of_birth,neighbourhood"]
    for n in range(rows):
        postcode = _postcode(rng.randrange(POSTCODES))
        ward = rng.randrange(NEIGHBOURHOODS)
        where = ("" if n % 2 else f"Ward {ward}") if n % 3 else f"E0{5000000 + ward:07d}"
        born = f"{rng.randint(1925, 2012)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(f'R{n:07d},Resident {n},"{n} Long Street, Rochdale",{postcode},{born},{where}')
    return ("\r\n".join(lines) + "\r\n").encode()


def _set_up(urls: dict[str, str], redis: str) -> int:
    from app import create_app
    from app.extensions import db
    from app.residents.models import PostcodeNeighbourhood
    from tenants.context import council_context
    from tenants.models import Council, CouncilType, Neighbourhood, Region

    app = create_app(app_config(urls, redis))
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
        council_id = council.id
        with council_context(council_id):
            wards = [
                Neighbourhood(name=f"Ward {n}", ons_ward_code=f"E0{5000000 + n:07d}") for n in range(NEIGHBOURHOODS)
            ]
            db.session.add_all(wards)
            db.session.flush()
            seen = set()
            for n in range(POSTCODES):
                code = _postcode(n)
                if code not in seen:
                    seen.add(code)
                    db.session.add(PostcodeNeighbourhood(postcode=code, neighbourhood_id=wards[n % NEIGHBOURHOODS].id))
            db.session.commit()
        db.engine.dispose()
    return council_id


def _new_import(urls: dict[str, str], redis: str, council_id: int, content: bytes) -> int:
    """An uploaded file waiting for its job, on an empty register (as the upload page leaves it)."""
    import psycopg

    with psycopg.connect(plain(urls["superuser"])) as conn:
        conn.execute("DELETE FROM resident_register WHERE council_id = %s", (council_id,))
        import_id = conn.execute(
            "INSERT INTO register_imports (council_id, kind, mode, status, filename, size_bytes, content, job_id) "
            "VALUES (%s, 'register', 'replace', 'queued', 'bench.csv', %s, %s, 'pending') RETURNING id",
            (council_id, len(content), content),
        ).fetchone()[0]
        job_id = f"bench-register-{import_id}"
        conn.execute("UPDATE register_imports SET job_id = %s WHERE id = %s", (job_id, import_id))
        conn.execute(
            "INSERT INTO job_runs (council_id, job_id, kind, status) VALUES (%s, %s, 'residents-import', 'queued')",
            (council_id, job_id),
        )
        conn.commit()
    return import_id


def _child(urls: dict[str, str], redis: str, council_id: int, import_id: int) -> dict:
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.residents.imports import run_import
    from app.residents.models import RegisterImport
    from tenants.context import council_context
    from workers import progress

    app = create_app(app_config(urls, redis))
    with app.app_context(), council_context(council_id):
        db.session.execute(select(1))
        before = _rss_mb()
        start = time.perf_counter()
        with progress.job_scope(f"bench-register-{import_id}"):
            status = run_import(import_id)
            db.session.commit()
        elapsed = time.perf_counter() - start
        record = db.session.scalar(select(RegisterImport).where(RegisterImport.id == import_id))
        return {
            "seconds": elapsed,
            "status": str(status),
            "rows": record.rows,
            "added": record.added,
            "rss_before_mb": before,
            "rss_peak_mb": _rss_mb(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.redis_url = redis_url(args.redis_url)
    if args.child:
        given = json.loads(args.child)
        print(json.dumps(_child(given["urls"], given["redis"], given["council"], given["import"])))
        return

    with scratch_database(superuser_url(args.database_url), "register", args.redis_url) as urls:
        t0 = time.perf_counter()
        content = generate(args.rows)
        council_id = _set_up(urls, args.redis_url)
        print(f"set-up: {args.rows:,} lines, {len(content) / 1e6:.1f} MB, in {time.perf_counter() - t0:.1f} s")
        runs = []
        for _ in range(args.repeats):
            import_id = _new_import(urls, args.redis_url, council_id, content)
            payload = json.dumps({"urls": urls, "redis": args.redis_url, "council": council_id, "import": import_id})
            done = subprocess.run(  # noqa: S603 - this script, run again as a child
                [sys.executable, __file__, "--child", payload],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
                timeout=900,
            )
            if done.returncode != 0:
                raise SystemExit(f"import run failed:\n{done.stderr[-3000:]}")
            run = json.loads(done.stdout.strip().splitlines()[-1])
            if run["status"] != "finished" or run["added"] != args.rows:
                raise SystemExit(f"import did not finish as expected: {run}")
            print(f"  run: {run['seconds']:.1f} s, peak RSS {run['rss_peak_mb']:.0f} MB")
            runs.append(run)
        seconds = statistics.median(r["seconds"] for r in runs)
        rss = statistics.median(r["rss_peak_mb"] for r in runs)
        print(
            f"median of {len(runs)}: {seconds:.1f} s for {args.rows:,} lines "
            f"(target < 60 s: ratio {seconds / 60:.2f}); "
            f"peak RSS {rss:.0f} MB (target < 500 MB: ratio {rss / 500:.2f}; "
            f"process before the import {statistics.median(r['rss_before_mb'] for r in runs):.0f} MB)"
        )


if __name__ == "__main__":
    main()
