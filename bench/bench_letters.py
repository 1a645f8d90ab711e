"""Benchmark: 10,000 voting-code letters as one PDF (target: under 2 minutes).

Run ``python bench/bench_letters.py [--letters 10000] [--repeat 3]``. Each run
is a fresh child process (so its peak RSS is its own) that generates the
codes and letters lazily, writes the PDF to a temporary file and then the
mail-merge CSV. Prints each run and the median seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 120


def letters(count: int) -> Iterator:
    from app.letters.codes import generate_code
    from app.letters.letter import Letter

    streets = ("Toad Lane", "Yorkshire Street", "Drake Street", "Heol y Frenhines", "Spotland Road")
    for n in range(1, count + 1):
        yield Letter(
            reference=f"R{n:07d}",
            name=f"Resident {n} Ŵyn-Jones",
            address_lines=(f"Flat {n % 40 + 1}", f"{n % 300 + 1} {streets[n % len(streets)]}", "Rochdale"),
            postcode=f"OL{n % 16 + 1} {n % 9 + 1}AB",
            code=generate_code(),
            url="https://rochdale.example/c/rochdale/verify",
            expires_on=date(2027, 7, 1),
        )


def one_run(count: int, language: str) -> dict[str, float]:
    """Time the PDF and the CSV for ``count`` letters in this process."""
    from app.letters.mailmerge import write_mailmerge_csv
    from app.letters.pdf import write_letters_pdf

    with tempfile.TemporaryDirectory() as folder:
        pdf_path, csv_path = Path(folder, "letters.pdf"), Path(folder, "letters.csv")
        started = time.perf_counter()
        with pdf_path.open("wb") as out:
            pages = write_letters_pdf(letters(count), out, council_name="Rochdale Borough Council", language=language)
        pdf_seconds = time.perf_counter() - started
        pdf_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        with csv_path.open("w", newline="", encoding="utf-8") as out:
            write_mailmerge_csv(letters(count), out, language=language)
        csv_seconds = time.perf_counter() - started
        assert pages == count
        return {
            "pdf_seconds": pdf_seconds,
            "pdf_peak_rss_mib": pdf_rss,
            "pdf_mib": pdf_path.stat().st_size / 2**20,
            "csv_seconds": csv_seconds,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--language", default="en", choices=("en", "cy"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.letters, args.language)))
        return
    runs = []
    for number in range(1, args.repeat + 1):
        command = [sys.executable, __file__, "--child", "--letters", str(args.letters), "--language", args.language]
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout  # noqa: S603 - runs this file
        run = json.loads(output)
        runs.append(run)
        print(
            f"run {number}: PDF {run['pdf_seconds']:.1f} s, peak RSS {run['pdf_peak_rss_mib']:.0f} MiB, "
            f"{run['pdf_mib']:.1f} MiB file; CSV {run['csv_seconds']:.2f} s"
        )
    seconds = statistics.median(r["pdf_seconds"] for r in runs)
    rss = statistics.median(r["pdf_peak_rss_mib"] for r in runs)
    verdict = "within" if seconds < TARGET_SECONDS else "OVER"
    print(
        f"{args.letters} letters: median {seconds:.1f} s ({args.letters / seconds:.0f} letters/s), "
        f"median peak RSS {rss:.0f} MiB -- {verdict} the {TARGET_SECONDS} s target"
    )


if __name__ == "__main__":
    main()
