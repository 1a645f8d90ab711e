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

**Arithmetic.** Outcomes equal the exact rational computation: every decision
is confirmed in exact fractions. Remaining money is kept both exactly (per
*state*: voters who paid for the same funded projects hold the same amount)
and as the nearest float; floats only rank candidates, with an error bound
far above float rounding, and every price that could be the minimum within
that bound is recomputed exactly before anything is decided.
"""

from __future__ import annotations

from fractions import Fraction
from math import inf
from typing import Any

import numpy as np

from app.voting.methods.pb import completion as _completion
from app.voting.methods.pb.model import ApprovalElection, PBInputError, PBResult, check_utility
from app.voting.methods.ties import LEXICOGRAPHIC, TieBreak

METHOD = "pb_equal_shares"
RULES_VERSION = "pb-mes/1"
COMPLETIONS = (None, "greedy", "add1")

# Relative error allowance per term summed; float64 rounding is ~1.1e-16 per
# operation, so this leaves a margin of about four orders of magnitude.
_REL = 1e-12
_DRAINED = 0
_FRESH = 1


class _Engine:
    """Precomputed supporters of each project over the distinct ballots."""

    def __init__(self, election: ApprovalElection, utility: str, tie_break: TieBreak) -> None:
        self.election = election
        self.cardinality = utility == "cardinality"
        self.tie_break = tie_break
        approvals = election.approvals()
        weights = [w for _, w in election.ballots]
        self.weights = np.array(weights, dtype=np.float64)
        self.n_ballots = len(weights)
        members: dict[str, list[int]] = {p: [] for p in election.costs}
        for index, (ballot, _) in enumerate(election.ballots):
            for project in ballot:
                members[project].append(index)
        # Free projects with support are funded before MES starts (cardinality only).
        self.free = tie_break.order(
            p for p, c in election.costs.items() if c == 0 and approvals[p] > 0 and self.cardinality
        )
        self.ids = [p for p, c in election.costs.items() if c > 0 and approvals[p] > 0]
        self.tie_keys = [tie_break.key(p) for p in self.ids]
        self.cost = [election.costs[p] for p in self.ids]
        self.cost_f = [float(c) for c in self.cost]
        self.support = [approvals[p] for p in self.ids]
        self.support_f = [float(w) for w in self.support]
        self.members = [np.array(members[p], dtype=np.intp) for p in self.ids]
        self.member_w = [self.weights[m] for m in self.members]
        self.size = [len(m) + 16 for m in self.members]

    # -- exact helpers ---------------------------------------------------------------------------

    def _groups(self, j: int, state: np.ndarray, exact: list[Fraction]) -> list[tuple[Fraction, int]]:
        """Supporters of project ``j`` as (exact remaining money, weight), poorest first."""
        states, inverse = np.unique(state[self.members[j]], return_inverse=True)
        totals = np.bincount(inverse, weights=self.member_w[j])
        return sorted((exact[int(s)], int(t)) for s, t in zip(states, totals, strict=True))

    def _exact_price(self, j: int, groups: list[tuple[Fraction, int]]) -> Fraction | None:
        """The exact price per voter of project ``j``, or ``None`` if it is not affordable."""
        cost = self.cost[j]
        if sum(r * w for r, w in groups) < cost:
            return None
        paid, weight_left = Fraction(0), self.support[j]
        for money, weight in groups:
            price = (cost - paid) / weight_left
            if price <= money:
                return price
            paid += money * weight
            weight_left -= weight
        raise AssertionError("an affordable project always has a price")  # pragma: no cover

    def _rho(self, j: int, price: Fraction) -> Fraction:
        return price if self.cardinality else price / self.cost[j]

    # -- float helpers ---------------------------------------------------------------------------

    @staticmethod
    def _float_price(money: np.ndarray, weights: np.ndarray, cost: float, support: float) -> float:
        order = np.argsort(money, kind="stable")
        money, weights = money[order], weights[order]
        paid = np.cumsum(weights * money)[:-1]
        weight_paid = np.cumsum(weights)[:-1]
        prices = (cost - paid) / (support - weight_paid)
        fits = prices <= money[1:]
        if fits.any():
            return float(prices[int(np.argmax(fits))])
        return float(money[-1])

    # -- the count -------------------------------------------------------------------------------

    def run(self, share: Fraction, record: bool = True) -> tuple[list[str], list[dict[str, Any]]]:
        """One MES pass with every voter starting at ``share``: funded projects and rounds."""
        selected: list[str] = list(self.free)
        rounds: list[dict[str, Any]] = []
        if record:
            rounds.extend({"phase": "free", "project": p, "price_per_voter": Fraction(0)} for p in self.free)
        share_f = float(share)
        money = np.full(self.n_ballots, share_f)
        state = np.full(self.n_ballots, _FRESH, dtype=np.int64)
        exact: list[Fraction] = [Fraction(0), share]
        n_voters = self.election.n_voters
        drained_weight = 0
        spent = Fraction(0)
        m = len(self.ids)
        tol_price = [_REL * self.size[j] * (self.cost_f[j] + share_f) for j in range(m)]
        tol_total = [_REL * self.size[j] * (self.cost_f[j] + share_f * self.support_f[j]) for j in range(m)]
        tol_rho = [t if self.cardinality else t / c * (1 + _REL) for t, c in zip(tol_price, self.cost_f, strict=True)]
        # Lower bounds on each project's current rho: prices only rise as money is spent.
        lower = [self._rho_f(j, self.cost_f[j] / self.support_f[j]) - tol_rho[j] for j in range(m)]
        alive = set(range(m))
        while alive:
            best_high = inf
            evaluated: dict[int, tuple[float, bool]] = {}
            for j in sorted(alive, key=lower.__getitem__):
                if lower[j] > best_high:
                    break
                held = money[self.members[j]]
                weights = self.member_w[j]
                total = float(held @ weights)
                cost = self.cost_f[j]
                if total < cost - tol_total[j]:
                    alive.discard(j)
                    continue
                price = cost / self.support_f[j]
                poorest = float(held.min())
                all_rich = poorest > price + tol_price[j]
                if poorest < price:
                    price = self._float_price(held, weights, cost, self.support_f[j])
                rho = self._rho_f(j, price)
                lower[j] = rho - tol_rho[j]
                best_high = min(best_high, rho + tol_rho[j])
                evaluated[j] = (rho, all_rich)
            candidates = [j for j, (rho, _) in evaluated.items() if rho - tol_rho[j] <= best_high]
            if not candidates:
                break
            priced: list[tuple[Fraction, tuple[str, str], int, Fraction]] = []
            dropped = False
            for j in candidates:
                if evaluated[j][1]:
                    price = self.cost[j] / self.support[j]
                else:
                    price = self._exact_price(j, self._groups(j, state, exact))
                if price is None:
                    alive.discard(j)
                    dropped = True
                    continue
                priced.append((self._rho(j, price), self.tie_keys[j], j, price))
            if dropped:
                continue  # an apparent contender was unaffordable: rank the round again
            rho, _, chosen, price = min(priced)
            alive.discard(chosen)
            selected.append(self.ids[chosen])
            spent += self.cost[chosen]
            members = self.members[chosen]
            states, inverse = np.unique(state[members], return_inverse=True)
            totals = np.bincount(inverse, weights=self.member_w[chosen])
            new_state = np.empty(len(states), dtype=np.int64)
            new_money = np.empty(len(states), dtype=np.float64)
            paying_less = 0
            for k, s in enumerate(states):
                held_exact = exact[int(s)]
                if held_exact <= price:
                    new_state[k], new_money[k] = _DRAINED, 0.0
                    if held_exact < price:
                        paying_less += int(totals[k])
                    if s != _DRAINED:
                        drained_weight += int(totals[k])
                else:
                    exact.append(held_exact - price)
                    new_state[k], new_money[k] = len(exact) - 1, float(exact[-1])
            state[members] = new_state[inverse]
            money[members] = new_money[inverse]
            if record:
                rounds.append(
                    {
                        "phase": "equal_shares",
                        "project": self.ids[chosen],
                        "cost": self.cost[chosen],
                        "supporters": self.support[chosen],
                        "price_per_voter": price,
                        "rho": rho,
                        "supporters_paying_less": paying_less,
                        "voters_with_money_left": n_voters - drained_weight,
                        "money_left": share * n_voters - spent,
                    }
                )
        return selected, rounds

    def _rho_f(self, j: int, price: float) -> float:
        return price if self.cardinality else price / self.cost_f[j]


def equal_shares(
    election: ApprovalElection,
    *,
    utility: str = "cost",
    completion: str | None = None,
    tie_break: TieBreak = LEXICOGRAPHIC,
) -> PBResult:
    """Count ``election`` by the Method of Equal Shares (rule in the module docstring).

    ``completion``: ``None`` (plain MES), ``"greedy"`` (then fund what fits
    greedily, same utility) or ``"add1"`` (raise each voter's share by 1 per
    pass, then greedy).
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
        engine = _Engine(election, utility, tie_break)
        share = election.budget / election.n_voters
        if completion == "add1":
            mes_selected, rounds, share, passes = _completion.add1(engine.run, engine.ids, election, share)
        else:
            mes_selected, rounds = engine.run(share)
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
