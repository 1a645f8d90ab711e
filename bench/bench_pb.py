"""Benchmark: Rochdale's PB counts side by side with pabutools, on one seeded instance.

Usage (pabutools is a test-only dependency: ``pip install -e '.[test]'``)::

    python bench/bench_pb.py                       # 50,000 voters x 60 projects, 3 repeats
    python bench/bench_pb.py --voters 10000 --projects 40 --repeats 3 --timeout 120

The instance follows the planning study (performance.md 2a): log-normal costs
(median about 60k, clipped to 5k-600k), four neighbourhoods plus 20% city-wide
projects, a budget of 30% of the total cost, and voters approving 1 to 10
projects (mean about 3.7) weighted by popularity x locality x cheapness.

Each pabutools case runs in its own process with a time limit (a run over the
limit is reported as "> N s"); its outcome must equal ours (same projects
funded). Figures are medians; a run over 60 s is not repeated. This is a
measurement, not a test: it never fails the build.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CASES = ("greedy", "mes", "mes_add1", "pabulib")
LABELS = {
    "greedy": "greedy, cost utility",
    "mes": "Equal Shares, cost utility, no completion",
    "mes_add1": "Equal Shares, cost utility, Add1 + greedy",
    "pabulib": "Pabulib .pb write + read",
}


def generate(n_voters: int, n_projects: int, seed: int = 12345) -> tuple[int, dict[str, int], list[list[str]]]:
    """A seeded approval PB election: (budget, costs, one ballot per voter)."""
    rng = np.random.default_rng(seed)
    costs = np.clip(np.round(rng.lognormal(np.log(60_000), 0.9, n_projects), -2), 5_000, 600_000).astype(np.int64)
    area = np.where(rng.random(n_projects) < 0.2, -1, rng.integers(0, 4, n_projects))
    popularity = rng.lognormal(0.0, 0.8, n_projects)
    cheapness = (costs / 60_000.0) ** -0.5
    log_weight = np.empty((4, n_projects))
    for home in range(4):
        locality = np.where(area == -1, 1.0, np.where(area == home, 3.0, 0.25))
        log_weight[home] = np.log(popularity * locality * cheapness)
    homes = rng.integers(0, 4, n_voters)
    lengths = 1 + np.minimum(rng.poisson(2.7, n_voters), 9)
    # Weighted sampling without replacement: Gumbel top-k per voter.
    keys = log_weight[homes] + rng.gumbel(size=(n_voters, n_projects))
    ranked = np.argsort(-keys, axis=1)
    ids = [f"p{j + 1}" for j in range(n_projects)]
    ballots = [[ids[j] for j in ranked[v, : lengths[v]]] for v in range(n_voters)]
    budget = int(costs.sum() * 3 // 10)
    return budget, {ids[j]: int(costs[j]) for j in range(n_projects)}, ballots


def _ours(case: str, budget, costs, ballots) -> tuple[float, float, list[str]]:
    """(load time, count time, funded projects); for ``pabulib`` the count is a write + read of the file."""
    from app.voting.formats import pabulib
    from app.voting.methods.pb import ApprovalElection, equal_shares, greedy

    start = time.perf_counter()
    election = ApprovalElection.from_ballots(budget, costs, ballots)
    loaded = time.perf_counter()
    if case == "pabulib":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.pb"
            pabulib.write(pabulib.PabulibFile.from_election(election), path)
            again = pabulib.read(path)
        done = time.perf_counter()
        return loaded - start, done - loaded, sorted(again.projects)
    if case == "greedy":
        result = greedy(election, utility="cost")
    else:
        result = equal_shares(election, utility="cost", completion="add1" if case == "mes_add1" else None)
    done = time.perf_counter()
    return loaded - start, done - loaded, list(result.selected)


def _pabutools_worker(case: str, voters: int, projects: int, seed: int, floats: bool) -> None:
    """Child process: build pabutools' objects, time one rule call, print JSON."""
    import pabutools.fractions

    if floats:
        pabutools.fractions.FRACTION = "float"
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project
    from pabutools.election.pabulib import parse_pabulib, write_pabulib
    from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares

    budget, costs, ballots = generate(voters, projects, seed)
    start = time.perf_counter()
    objects = {p: Project(p, c) for p, c in costs.items()}
    instance = Instance(objects.values(), budget_limit=budget)
    profile = ApprovalProfile([ApprovalBallot(objects[p] for p in b) for b in ballots], instance=instance)
    built = time.perf_counter()
    if case == "pabulib":
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "bench.pb")
            write_pabulib(instance, profile, path)
            outcome = parse_pabulib(path)[0]
    elif case == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif case == "mes":
        outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    else:
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
        )
    done = time.perf_counter()
    print(json.dumps({"build": built - start, "time": done - built, "selected": [p.name for p in outcome]}))


def _pabutools(case: str, args, floats: bool) -> dict | None:
    command = [sys.executable, __file__, "--worker", case, "--voters", str(args.voters)]
    command += ["--projects", str(args.projects), "--seed", str(args.seed)] + (["--floats"] if floats else [])
    try:
        limit = args.float_timeout if floats else args.timeout
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=True)  # noqa: S603
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median_runs(run, repeats: int) -> tuple[list, float | None]:
    results, times = [], []
    for _ in range(repeats):
        outcome = run()
        results.append(outcome)
        if outcome is None:
            return results, None
        times.append(outcome["time"])
        if outcome["time"] > 60:
            break
    return results, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=50_000)
    parser.add_argument("--projects", type=int, default=60)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="per pabutools run, exact mode")
    parser.add_argument("--float-timeout", type=float, default=600.0, help="per pabutools run, float mode")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--worker", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--floats", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _pabutools_worker(args.worker, args.voters, args.projects, args.seed, args.floats)
        return

    budget, costs, ballots = generate(args.voters, args.projects, args.seed)
    distinct = len({frozenset(b) for b in ballots})
    mean_length = sum(map(len, ballots)) / len(ballots)
    print(f"{args.voters:,} voters x {args.projects} projects, {distinct:,} distinct ballots, ")
    print(f"mean ballot length {mean_length:.2f}, budget {budget:,} (30% of {sum(costs.values()):,})\n")
    header = f"{'case':58} {'ours: load + count':>20} {'pabutools':>12} {'ratio':>9}  same outcome"
    print(header)
    print("-" * len(header))
    for case in args.cases.split(","):
        ours = [_ours(case, budget, costs, ballots) for _ in range(args.repeats)]
        ours_load = statistics.median(o[0] for o in ours)
        ours_count = statistics.median(o[1] for o in ours)
        selected = set(ours[0][2])
        for mode, floats in [("exact", False)] + ([("float", True)] if case == "mes_add1" else []):
            runs, median = _median_runs(lambda f=floats, c=case: _pabutools(c, args, f), args.repeats)
            label = f"{LABELS[case]} [pabutools {mode}, n={len(runs)}]"
            ours_text = f"{ours_load:.3f} + {ours_count:.3f} s"
            if median is None:
                slower = f"> {args.timeout / ours_count:.0f}x"
                print(f"{label:58} {ours_text:>20} {'> ' + format(args.timeout, 'g') + ' s':>12} {slower:>9}  n/a")
                continue
            same = all(set(r["selected"]) == selected for r in runs if r)
            print(f"{label:58} {ours_text:>20} {median:>10.3f} s {median / ours_count:>8.1f}x  {same}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
