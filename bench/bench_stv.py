"""Benchmark: ranked counts on 100,000 generated ballots (12 candidates, 3 seats).

Run ``python bench/bench_stv.py`` (needs the ``bench`` and ``test`` extras for the
reference libraries; without them only our counts are timed). Prints the median
of ``--repeat`` runs of each count, measured on the same ballots in one run,
and the ratio of each reference library to our Scottish STV count.

Ballots follow the planning study: three factions (50/30/20 %) of
Plackett-Luce voters, each faction with its own seeded candidate weights; 25 %
of voters rank every candidate, the rest 1 + Geometric(0.35) preferences.

What is timed:

* ``read``: building :class:`RankedBallots` from 100,000 papers (validation and
  merging of identical rankings) and its index matrix -- done once per file.
* our counts: ``count_stv_scottish`` / ``count_irv`` / ``count_meek`` on the
  merged ballots, round tables and result object included.
* pyrankvote ``single_transferable_vote`` on prebuilt ``Ballot`` objects, and
  pref_voting ``stv_scottish`` on a prebuilt compressed ``ProfileWithTies``
  (their build time is reported separately, not counted).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.voting.methods.ranked import RankedBallots, count_irv, count_meek, count_stv_scottish


def generate(voters: int, candidates: int, seed: int) -> tuple[list[str], list[tuple[str, ...]]]:
    """Seeded Plackett-Luce ballots from three factions (see the module docstring)."""
    rng = random.Random(seed)
    names = [f"C{i + 1:02d}" for i in range(candidates)]
    factions = []
    for _ in range(3):
        favoured = rng.sample(range(candidates), 4)
        weights = [rng.lognormvariate(0, 0.5) * (6.0 if c in favoured else 1.0) for c in range(candidates)]
        factions.append([math.log(w) for w in weights])
    papers = []
    for _ in range(voters):
        u = rng.random()
        log_w = factions[0] if u < 0.5 else factions[1] if u < 0.8 else factions[2]
        # Gumbel-max trick: sorting log-weights plus Gumbel noise samples a Plackett-Luce ranking.
        keys = [lw - math.log(-math.log(rng.random() or 1e-300)) for lw in log_w]
        order = sorted(range(candidates), key=keys.__getitem__, reverse=True)
        if rng.random() < 0.25:
            length = candidates
        else:
            length = 1
            while rng.random() >= 0.35 and length < candidates:
                length += 1
        papers.append(tuple(names[c] for c in order[:length]))
    return names, papers


def median_time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times = []
    out = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=12)
    parser.add_argument("--seats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-meek", action="store_true")
    args = parser.parse_args()

    names, papers = generate(args.voters, args.candidates, args.seed)
    print(f"{args.voters:,} ballots x {args.candidates} candidates, {args.seats} seats, seed {args.seed}")
    t_read, ballots = median_time(lambda: RankedBallots.from_rankings(names, papers), args.repeat)
    print(f"{len(ballots.rankings):,} distinct rankings; mean length {sum(map(len, papers)) / len(papers):.2f}")
    t_matrix, _ = median_time(lambda: replace(ballots).matrix, args.repeat)
    t_read += t_matrix
    rows: list[tuple[str, float, str]] = [
        ("read: RankedBallots.from_rankings (validate + merge)", t_read - t_matrix, ""),
        ("read: .matrix (rankings as an index matrix)", t_matrix, ""),
    ]
    _ = ballots.matrix  # built once, as a reader does; the counts below reuse it

    t_ours, ours = median_time(lambda: count_stv_scottish(ballots, args.seats), args.repeat)
    rows.append(("ours: count_stv_scottish", t_ours, " ".join(ours.winners)))
    t_irv, irv = median_time(lambda: count_irv(ballots), args.repeat)
    rows.append(("ours: count_irv", t_irv, " ".join(irv.winners)))
    if not args.no_meek:
        t_meek, meek = median_time(lambda: count_meek(ballots, args.seats), args.repeat)
        rows.append(("ours: count_meek", t_meek, " ".join(meek.winners)))

    ratios = []
    try:
        from pyrankvote import Ballot, Candidate, single_transferable_vote
    except ImportError:
        print("pyrankvote not installed (pip install -e '.[bench]'): skipped")
    else:
        people = {n: Candidate(n) for n in names}
        start = time.perf_counter()
        prv_ballots = [Ballot(ranked_candidates=[people[c] for c in p]) for p in papers]
        rows.append(("pyrankvote: build Ballot objects (not counted)", time.perf_counter() - start, ""))
        t_prv, res = median_time(
            lambda: single_transferable_vote(list(people.values()), prv_ballots, args.seats), args.repeat
        )
        elected = " ".join(sorted(str(c) for c in res.get_winners()))
        rows.append(("pyrankvote: single_transferable_vote", t_prv, elected))
        ratios.append(("pyrankvote STV", t_prv))
    try:
        from pref_voting.profiles_with_ties import ProfileWithTies
        from pref_voting.proportional_methods import stv_scottish
    except ImportError:
        print("pref_voting not installed (pip install -e '.[test]'): skipped")
    else:
        start = time.perf_counter()
        profile = ProfileWithTies(
            [{c: k + 1 for k, c in enumerate(r)} for r in ballots.rankings],
            rcounts=list(ballots.counts),
            candidates=list(range(len(names))),
        )
        rows.append(("pref_voting: build ProfileWithTies (not counted)", time.perf_counter() - start, ""))
        t_pv, won = median_time(lambda: stv_scottish(profile, num_seats=args.seats), args.repeat)
        rows.append(("pref_voting: stv_scottish", t_pv, " ".join(names[c] for c in won)))
        ratios.append(("pref_voting stv_scottish", t_pv))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'what':<{width}}  median s  winners")
    for label, seconds, winners in rows:
        print(f"{label:<{width}}  {seconds:8.4f}  {winners}")
    print()
    for label, seconds in ratios:
        print(f"{label} / ours (count_stv_scottish): {seconds / t_ours:.1f}x")
    print(f"ours, read + count: {t_read + t_ours:.4f} s")


if __name__ == "__main__":
    main()
