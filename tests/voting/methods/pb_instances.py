"""Small random PB instances and the pabutools oracle (test-only dependency).

Instances are built to hit the corners: tied costs and tied support, projects
costing more than the budget, projects nobody approves, free projects,
fractional costs, blank papers and ids whose string order differs from their
natural order ("p10" < "p9").
"""

from __future__ import annotations

import random
from fractions import Fraction

from gmpy2 import mpq
from pabutools.election import ApprovalBallot, ApprovalProfile, Cardinality_Sat, Cost_Sat, Instance, Project
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule, lexico_tie_breaking

from app.voting.methods.pb import ApprovalElection
from app.voting.methods.ties import TieBreak

SAT = {"cost": Cost_Sat, "cardinality": Cardinality_Sat}

_ID_STYLES = [
    lambda i: f"p{i}",
    lambda i: str(i + 1),
    lambda i: chr(ord("a") + i),
    lambda i: ["Zeta", "alpha", "Beta", "beta", "_x", "10", "9", "a b", "é", "Z", "z", "00"][i],
]


def random_instance(rng: random.Random) -> tuple[Fraction, dict[str, Fraction], list[frozenset[str]]]:
    """A random approval PB election: (budget, costs, one ballot per voter)."""
    m = rng.randint(3, 12)
    style = rng.choice(_ID_STYLES)
    ids = [style(i) for i in range(m)]
    rng.shuffle(ids)
    palette = [rng.randint(1, 12) for _ in range(rng.randint(1, 4))]  # few distinct costs: ties
    costs: dict[str, Fraction] = {}
    for p in ids:
        roll = rng.random()
        if roll < 0.06:
            cost = Fraction(0)
        elif roll < 0.5:
            cost = Fraction(rng.choice(palette))
        elif roll < 0.6:
            cost = Fraction(rng.randint(1, 60), rng.choice([2, 3, 4, 10]))
        else:
            cost = Fraction(rng.randint(1, 30))
        costs[p] = cost
    total = sum(costs.values())
    budget = Fraction(max(1, int(total * Fraction(rng.randint(15, 80), 100))))
    if rng.random() < 0.15:
        budget += Fraction(rng.randint(1, 9), 10)
    if rng.random() < 0.3:  # one project costing more than the whole budget
        costs[rng.choice(ids)] = budget + rng.randint(1, 10)
    popular = [p for p in ids if rng.random() < 0.8]  # the rest get no approvals
    n_distinct = rng.randint(5, 40)
    ballots: list[frozenset[str]] = []
    for _ in range(n_distinct):
        if not popular or rng.random() < 0.05:
            ballot: frozenset[str] = frozenset()
        else:
            size = rng.randint(1, min(len(popular), 5))
            ballot = frozenset(rng.sample(popular, size))
        ballots.extend([ballot] * rng.choice([1, 1, 1, 2, 3]))
    rng.shuffle(ballots)
    return budget, costs, ballots


def election_of(budget, costs, ballots) -> ApprovalElection:
    return ApprovalElection.from_ballots(budget, costs, ballots)


def _money(value: Fraction):
    return int(value) if value.denominator == 1 else mpq(value.numerator, value.denominator)


def pabutools_of(budget, costs, ballots):
    projects = {p: Project(p, _money(c)) for p, c in costs.items()}
    instance = Instance(projects.values(), budget_limit=_money(budget))
    profile = ApprovalProfile([ApprovalBallot(projects[p] for p in ballot) for ballot in ballots], instance=instance)
    return instance, profile


def pabutools_tie_break(tie_break: TieBreak) -> TieBreakingRule:
    if tie_break.kind == "lexicographic":
        return lexico_tie_breaking
    return TieBreakingRule(lambda inst, prof, proj: tie_break.key(proj.name))


def oracle(budget, costs, ballots, *, rule: str, utility: str, tie_break: TieBreak) -> list[str]:
    """pabutools' outcome, exact mpq arithmetic, as a list of project ids in funding order."""
    instance, profile = pabutools_of(budget, costs, ballots)
    sat = SAT[utility]
    tb = pabutools_tie_break(tie_break)
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat, tie_breaking=tb)
    elif rule == "mes":
        outcome = method_of_equal_shares(instance, profile, sat_class=sat, tie_breaking=tb)
    elif rule in ("mes_greedy", "mes_add1"):
        first = {"sat_class": sat, "tie_breaking": tb}
        if rule == "mes_add1":
            first["voter_budget_increment"] = 1
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [first, {"sat_class": sat, "tie_breaking": tb}],
        )
    else:
        raise ValueError(rule)
    return [p.name for p in outcome]


def canonical_free_first(selected: list[str], costs, tie_break: TieBreak, leading: int) -> list[str]:
    """pabutools funds free projects up front in set order; put the first ``leading`` in tie-break order."""
    return tie_break.order(selected[:leading]) + selected[leading:]


def near_tie_instance(rng: random.Random) -> tuple[Fraction, dict[str, Fraction], list[frozenset[str]]]:
    """Huge costs differing by a unit or two: floats cannot tell the prices apart, fractions can."""
    budget, costs, ballots = random_instance(rng)
    scale = 10 ** rng.randint(12, 19)
    costs = {p: (c * scale + rng.randint(-2, 2) if c else c) for p, c in costs.items()}
    costs = {p: max(c, Fraction(0)) for p, c in costs.items()}
    return budget * scale + rng.randint(-2, 2), costs, ballots


def mine(election, rule: str, utility: str, tie_break: TieBreak) -> list[str]:
    from app.voting.methods.pb import equal_shares, greedy

    if rule == "greedy":
        return list(greedy(election, utility=utility, tie_break=tie_break).selected)
    completion = {"mes": None, "mes_greedy": "greedy", "mes_add1": "add1"}[rule]
    return list(equal_shares(election, utility=utility, completion=completion, tie_break=tie_break).selected)


def mismatches(make, seeds, rule: str, utility: str) -> list[tuple]:
    """Instances from ``make(rng)`` where our outcome differs from pabutools' (every 5th with a seeded lot)."""
    found = []
    for seed in seeds:
        budget, costs, ballots = make(random.Random(seed))
        tie_break = TieBreak("lot", f"seed-{seed}") if seed % 5 == 0 else TieBreak()
        election = election_of(budget, costs, ballots)
        ours = mine(election, rule, utility, tie_break)
        theirs = oracle(budget, costs, ballots, rule=rule, utility=utility, tie_break=tie_break)
        leading = 0
        if rule != "greedy" and utility == "cardinality" and ballots:
            approvals = election.approvals()
            leading = sum(1 for p, c in costs.items() if c == 0 and approvals[p] > 0)
        if canonical_free_first(ours, costs, tie_break, leading) != canonical_free_first(
            theirs, costs, tie_break, leading
        ):
            found.append((seed, ours, theirs))
    return found


def boundary_instance(rng: random.Random) -> tuple[Fraction, dict[str, Fraction], list[frozenset[str]]]:
    """Costs equal to what supporters hold, shares like 10/3: money equals prices, totals equal costs."""
    m = rng.randint(3, 8)
    ids = [f"p{i}" for i in range(m)]
    ballots: list[frozenset[str]] = []
    for _ in range(rng.randint(3, 10)):
        ballot = frozenset(rng.sample(ids, rng.randint(1, min(m, 4))))
        ballots.extend([ballot] * rng.choice([1, 1, 2, 3]))
    share = Fraction(rng.choice([1, 2, 3, 7, 10]), rng.choice([1, 3, 7]))
    approvals = {p: sum(p in b for b in ballots) for p in ids}
    costs = {}
    for p in ids:
        held = approvals[p] or 1
        roll = rng.random()
        if roll < 0.3:
            cost = share * held  # exactly affordable at the start: every supporter pays all it has
        elif roll < 0.45:  # a hair more or less than that: floats cannot tell
            cost = share * held + rng.choice([1, -1]) * Fraction(1, 10 ** rng.randint(12, 16))
        elif roll < 0.7:
            cost = share * rng.randint(1, held)
        else:
            cost = share * Fraction(rng.randint(1, 2 * held), rng.choice([2, 3]))
        costs[p] = cost
    return share * len(ballots), costs, ballots


def many_passes_instance(rng: random.Random) -> tuple[Fraction, dict[str, Fraction], list[frozenset[str]]]:
    """Amounts scaled up 20-60 times: Add1 then takes tens to hundreds of passes."""
    budget, costs, ballots = random_instance(rng)
    scale = rng.randint(20, 60)
    return budget * scale, {p: c * scale for p, c in costs.items()}, ballots
