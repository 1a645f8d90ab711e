"""The Method of Equal Shares (MES) for approval ballots, exact and fast.

The rule (equalshares.net; pabutools ``method_of_equal_shares``), for a budget
``B`` and ``n`` voters (blank papers included):

1. **Shares.** Every voter starts with ``b = B / n``.
2. **Price.** A project is *affordable* if its supporters hold at least its
   cost between them. Its *price per voter* ``p`` is the least amount such
   that, with each supporter paying ``min(remaining money, p)``, the cost is
   covered exactly.
3. **Choice.** Among affordable projects the one with the smallest
   *affordability* ``rho`` is funded: ``rho = p`` with cardinality utility
   (``Cardinality_Sat``) and ``rho = p / cost`` with cost utility
   (``Cost_Sat``: a supporter pays ``rho`` per unit of satisfaction, and a
   project's satisfaction is its cost). Equal ``rho`` is settled by the
   published tie-break rule (lexicographic by project id by default, as
   pabutools). Its supporters pay and the step repeats until nothing is
   affordable.
4. Projects nobody approves are never funded by MES; a project costing
   nothing is funded up front with cardinality utility when somebody approves
   it (it gives no cost-satisfaction, so cost utility ignores it), exactly as
   pabutools does.

Completions (:mod:`app.voting.methods.pb.completion`): ``"greedy"`` funds
what still fits greedily; ``"add1"`` raises every voter's share by one
currency unit per pass while the outcome stays within ``B`` and is not yet
exhaustive, then fills greedily.

**Arithmetic.** Outcomes equal the exact rational computation. Floats rank
the projects each round, with an error allowance four orders of magnitude
above float rounding; every project whose price could be the lowest within
that allowance is then priced exactly (:mod:`app.voting.methods.pb.ledger`),
and the choice, the payments and every near-boundary test of affordability
are made in exact fractions. Projects are re-priced lazily: a project's
previous price is a lower bound on its current one, since money only ever
decreases within a pass.
"""

from __future__ import annotations

from fractions import Fraction
from math import inf
from typing import Any, NamedTuple

from app.voting.methods.pb import completion as _completion
from app.voting.methods.pb.ledger import Ledger, Supporters, float_price
from app.voting.methods.pb.model import ApprovalElection, PBInputError, PBResult, check_utility
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

METHOD = "pb_equal_shares"
RULES_VERSION = "pb-mes/1"
COMPLETIONS = (None, "greedy", "add1")

# Relative error allowance per term summed; float64 rounding is ~1.1e-16 per
# operation, so this leaves a margin of about four orders of magnitude.
_REL = 1e-12


class _Tolerances:
    """Float error allowances per project: on its price, its supporters' total and its rho."""

    def __init__(self, e: Supporters, share: Fraction) -> None:
        share_f = float(share)
        self.price = [_REL * size * (cost + share_f) for size, cost in zip(e.size, e.cost_f, strict=True)]
        self.total = [
            _REL * size * (cost + share_f * support)
            for size, cost, support in zip(e.size, e.cost_f, e.support_f, strict=True)
        ]
        self.rho = [t if e.cardinality else t / c * (1 + _REL) for t, c in zip(self.price, e.cost_f, strict=True)]


def _rank(
    e: Supporters, ledger: Ledger, alive: set[int], lower: list[float], tol: _Tolerances, threshold: float = -inf
) -> dict[int, tuple[float, float, bool]]:
    """Float prices of projects that could have the lowest rho: ``{j: (rho, price, surely affordable)}``.

    Projects are taken by their lower bound; once a bound exceeds the best rho
    found (plus its allowance) no later project can win, and the ranking stops
    unless ``threshold`` asks for every project whose bound is below it.
    Projects surely unaffordable are dropped from ``alive``; ``lower`` is
    raised as prices are found.
    """
    best_high = inf
    evaluated: dict[int, tuple[float, float, bool]] = {}
    for j in sorted(alive, key=lower.__getitem__):
        if lower[j] > best_high and lower[j] > threshold:
            break
        held = ledger.money[e.members[j]]
        weights = e.member_w[j]
        total = float(held @ weights)
        cost = e.cost_f[j]
        if total < cost - tol.total[j]:
            alive.discard(j)
            continue
        price = cost / e.support_f[j]
        if float(held.min()) < price:
            price = float_price(held, weights, cost, e.support_f[j])
        rho = e.rho_f(j, price)
        lower[j] = rho - tol.rho[j]
        best_high = min(best_high, rho + tol.rho[j])
        evaluated[j] = (rho, price, total > cost + tol.total[j])
    return evaluated


class Pass(NamedTuple):
    """One MES pass: funded projects, rounds, its path (chosen project and exact rho per round).

    ``same_path_below`` is true when the pass was run against the path of a
    pass with a smaller share and proved that every share in between follows
    that same path (see :func:`_run`).
    """

    selected: list[str]
    rounds: list[dict[str, Any]]
    path: list[tuple[int, Fraction]]
    same_path_below: bool


def _run(e: Supporters, share: Fraction, below: list[tuple[int, Fraction]] | None = None) -> Pass:
    """One MES pass with every voter starting at ``share``.

    With ``below``, the path of a pass at a smaller share ``b``, this pass also
    checks whether every share between ``b`` and ``share`` follows that path.
    It does when this pass follows it too and, each round, every other project
    still unfunded costs here (exactly) more rho than the chosen one cost at
    ``b``: along a fixed path, more money per voter leaves every voter at least
    as much money after every round (a price can only fall when its payers
    hold more), so between the two shares the chosen project's rho is at most
    its value at ``b`` and every rival's at least its value here; and whatever
    is unaffordable here is unaffordable with less money.
    """
    ledger = Ledger(e, share)
    tol = _Tolerances(e, share)
    selected: list[str] = list(e.free)
    n_voters = e.election.n_voters
    approvals = e.election.approvals()
    # Free projects come first, at no price: the same keys as any other round, marked "free".
    rounds: list[dict[str, Any]] = [
        {
            "phase": "equal_shares",
            "project": p,
            "free": True,
            "cost": Fraction(0),
            "supporters": approvals[p],
            "price_per_voter": Fraction(0),
            "rho": Fraction(0),
            "supporters_paying_less": 0,
            "voters_with_money_left": n_voters,
            "money_left": share * n_voters,
        }
        for p in e.free
    ]
    path: list[tuple[int, Fraction]] = []
    same = below is not None
    spent = Fraction(0)
    # Lower bounds on each project's current rho: prices only rise as money is spent.
    lower = [e.rho_f(j, e.cost_f[j] / e.support_f[j]) - tol.rho[j] for j in range(len(e.ids))]
    alive = set(range(len(e.ids)))
    while alive:
        threshold = -inf
        if same and len(path) < len(below):
            rival, rival_rho = below[len(path)]
            threshold = float(rival_rho) + tol.rho[rival]  # above the exact rho at the smaller share
        evaluated = _rank(e, ledger, alive, lower, tol, threshold)
        best_high = min((rho + tol.rho[j] for j, (rho, _, _) in evaluated.items()), default=inf)
        contenders = {j: v for j, v in evaluated.items() if v[0] - tol.rho[j] <= best_high}
        if not contenders:
            break
        priced = []
        for j, (_, price_f, affordable) in contenders.items():
            exact = ledger.exact_price(j, price_f, tol.price[j], affordable)
            if exact is None:
                alive.discard(j)
            else:
                priced.append((e.rho(j, exact[0]), e.tie_keys[j], j, exact))
        if len(priced) < len(contenders):
            continue  # an apparent contender was unaffordable: rank the round again
        rho, _, chosen, (price, drained, less) = min(priced, key=lambda item: item[:3])
        if same:
            same = len(path) < len(below) and below[len(path)][0] == chosen
            same = same and all(r - tol.rho[j] > threshold for j, (r, _, _) in evaluated.items() if j != chosen)
        path.append((chosen, rho))
        alive.discard(chosen)
        selected.append(e.ids[chosen])
        spent += e.cost[chosen]
        ledger.pay(chosen, price, drained)
        rounds.append(
            {
                "phase": "equal_shares",
                "project": e.ids[chosen],
                "cost": e.cost[chosen],
                "supporters": e.support[chosen],
                "price_per_voter": price,
                "rho": rho,
                "supporters_paying_less": less,
                "voters_with_money_left": n_voters - int(e.weights[ledger.drained].sum()),
                "money_left": share * n_voters - spent,
            }
        )
    return Pass(selected, rounds, path, same and len(path) == len(below))


def equal_shares(
    election: ApprovalElection,
    *,
    utility: str = "cost",
    completion: str | None = None,
    tie_break: TieBreak = LEXICOGRAPHIC,
    max_passes: int | None = None,
) -> PBResult:
    """Count ``election`` by the Method of Equal Shares (rule in the module docstring).

    ``completion``: ``None`` (plain MES), ``"greedy"`` (then fund what fits
    greedily, same utility) or ``"add1"`` (raise each voter's share by 1 per
    pass, then greedy); ``max_passes`` caps Add1's passes (exceeding it raises
    :class:`PBInputError`; the default is no cap, as in pabutools).
    """
    check_utility(utility)
    if completion not in COMPLETIONS:
        raise PBInputError(f"unknown completion {completion!r}; expected none, 'greedy' or 'add1'")
    details: dict[str, Any] = {"voters": election.n_voters, "projects": len(election.costs), "completion": completion}
    if election.n_voters == 0:
        # pabutools: no ballots, nothing funded by MES (not even free projects).
        mes_selected: list[str] = []
        rounds: list[dict[str, Any]] = []
        details |= {"share": None, "passes": 0}
    else:
        supporters = Supporters(election, utility == "cardinality", tie_break)
        share = election.budget / election.n_voters

        def run(share: Fraction, below: list[tuple[int, Fraction]] | None = None) -> Pass:
            return _run(supporters, share, below)

        if completion == "add1":
            mes_selected, rounds, share, passes = _completion.add1(run, supporters.ids, election, share, max_passes)
        else:
            mes_selected, rounds = run(share)[:2]
            passes = 1
        details |= {"share": share, "passes": passes}
    selected = list(mes_selected)
    details["equal_shares_selected"] = list(mes_selected)
    if completion is not None:
        added, fill_rounds = _completion.greedy_completion(election, selected, utility, tie_break)
        selected += added
        rounds = rounds + fill_rounds
    return PBResult(
        method=METHOD,
        rules_version=RULES_VERSION,
        utility=utility,
        budget=election.budget,
        selected=tuple(selected),
        rounds=tuple(rounds),
        spent=sum((election.costs[p] for p in selected), Fraction(0)),
        tie_break=tie_break,
        details=details,
    )
